// Bundles the CLI into dist/bundle/ with esbuild, after tsc has compiled dist/ (`npm run build`).
// Why a bundle: a cold `roux check` otherwise spends most of its start-up in Node's module loader
// resolving, reading and compiling about a hundred files (docs/architecture.md "Start-up").
//
// - Code splitting keeps the CLI's lazy loading: each command's module, loaded by `import()`
//   from cli/main.ts's table, becomes a chunk loaded only when that command runs.
// - `roux check` is the exception: it is one CommonJS file of its own (check.cjs), with
//   chevrotain in it, run through V8's code cache by cli/code-cache.ts. Split, it loaded some
//   thirty chunks, and Node's module loader pays for every file; Node 20 keeps no compiled code
//   for modules, and the code cache needs a script. What check.cjs loads lazily stays lazy: the
//   bundler runs an inlined module's top level, and `require`s its packages, only when its
//   `import()` runs. cli/main.ts's table imports, in place of the command's module, a stand-in
//   that runs check.cjs and hands it the usage errors, which cli/main.ts recognises with
//   `instanceof` and so must be its own.
// - After building, the build runs `roux check` once on the flagship to save the code cache
//   (check.cjs.v8cache). A `node` of another version refuses it; check.cjs then compiles as
//   usual and saves a cache of its own, where the user may write.
// - Scripts that Node loads by themselves (the registry's check worker, a JS reward's worker
//   entry and its TypeScript hooks) are entry points too, written beside the chunks: the code
//   that starts them finds them by a URL relative to its own file, which in the bundle is a
//   chunk of this same folder.
// - Packages stay external: several are native (onnxruntime-node, better-sqlite3, tfjs), and
//   grammar/chevrotain.ts loads chevrotain's own single-file build by path (check.cjs, which
//   cannot wait for an `import()` at its top, has that file bundled in).
// - Source maps are written beside the files but not enabled at run time, which would cost
//   start-up; `node --enable-source-maps bin/roux.js ...` gives mapped stacks (cli/README.md).
import { execFileSync } from "node:child_process";
import { rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";
// Where grammar/chevrotain.ts finds the package, from tsc's output, built before this script.
import { CHEVROTAIN_ROOT } from "../dist/grammar/chevrotain.js";

const OUT = "dist/bundle";
const MAIN = path.resolve("cli/main.ts");

/** In the split build, cli/main.ts's import of the check command loads check.cjs instead. */
const checkStandIn = {
  name: "check-stand-in",
  setup(builder) {
    builder.onResolve({ filter: /^\.\/commands\/check\.js$/ }, (args) =>
      args.importer === MAIN ? { path: "check-stand-in", namespace: "check-stand-in" } : undefined,
    );
    builder.onLoad({ filter: /.*/, namespace: "check-stand-in" }, () => ({
      resolveDir: path.resolve("cli"),
      loader: "js",
      contents: [
        'import { fileURLToPath } from "node:url";',
        'import { runCached } from "./code-cache.ts";',
        'import * as usageErrors from "./usage-error.ts";',
        'const script = runCached(fileURLToPath(new URL("./check.cjs", import.meta.url)), new Map([["./usage-error.js", usageErrors]]));',
        'if (!script.fromCache) process.once("exit", () => script.saveCache());',
        "export const { command } = script.exports;",
      ].join("\n"),
    }));
  },
};

/** In check.cjs: the usage errors come from the stand-in, and chevrotain is bundled in. */
const checkScript = {
  name: "check-script",
  setup(builder) {
    builder.onResolve({ filter: /usage-error\.js$/ }, () => ({ path: "./usage-error.js", external: true }));
    builder.onLoad({ filter: /grammar[\\/]chevrotain\.ts$/ }, () => ({
      resolveDir: process.cwd(),
      loader: "js",
      contents: `export * from ${JSON.stringify(path.join(CHEVROTAIN_ROOT, "lib", "chevrotain.mjs"))};`,
    }));
  },
};

const common = {
  outdir: OUT,
  bundle: true,
  platform: "node",
  target: "node20",
  packages: "external",
  jsx: "automatic",
  sourcemap: "linked",
  logLevel: "warning",
};

// Chunks and a code cache from an earlier build would otherwise pile up or go stale.
rmSync(OUT, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: {
    roux: "cli/main.ts",
    "check-worker": "registry/check-worker.ts",
    "js-worker-entry": "runtime/rewards/js-worker-entry.ts",
    "ts-hooks": "runtime/rewards/ts-hooks.ts",
  },
  format: "esm",
  splitting: true,
  plugins: [checkStandIn],
});
await build({
  ...common,
  entryPoints: { check: "cli/commands/check.ts" },
  outExtension: { ".js": ".cjs" },
  format: "cjs",
  // A script has no import.meta; the bundle's own URL stands in, as for an ES module.
  define: { "import.meta.url": "__bundleUrl" },
  banner: { js: 'const __bundleUrl = require("node:url").pathToFileURL(__filename).href;' },
  plugins: [checkScript],
});
// Piped, so a failure shows what the check printed.
execFileSync(process.execPath, ["bin/roux.js", "check", "recipes/arith/flagship.recipe"], { stdio: "pipe" });
