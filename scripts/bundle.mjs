// Bundles the CLI into dist/bundle/ with esbuild, after tsc has compiled dist/ (`npm run build`).
// Why a bundle: a cold `roux check` otherwise spends most of its start-up in Node's module loader
// resolving, reading and compiling about a hundred files (docs/architecture.md "Start-up").
//
// - Code splitting keeps the CLI's lazy loading: each command's module, loaded by `import()`
//   from cli/main.ts's table, becomes a chunk loaded only when that command runs.
// - `roux check` is the exception: it is one file of its own (check.js), built without
//   splitting. Split, it loaded some thirty chunks (the parts it shares with each other
//   command), and Node's module loader pays for every file. What it loads lazily stays lazy:
//   the bundler runs an inlined module's top level only when its `import()` runs.
// - Some modules are one file that both builds import, not a copy in each (SHARED): the usage
//   errors, which cli/main.ts recognises with `instanceof`, and the JS module lexer, whose
//   packages the one-file build would otherwise import at its top (a bundle hoists a package's
//   import) and so load on every check.
// - Scripts that Node loads by themselves (the registry's check worker, a JS reward's worker
//   entry and its TypeScript hooks) are entry points too, written beside the chunks: the code
//   that starts them finds them by a URL relative to its own file, which in the bundle is a
//   chunk of this same folder.
// - Packages stay external: several are native (onnxruntime-node, better-sqlite3, tfjs), and
//   grammar/chevrotain.ts loads chevrotain's own single-file build by path.
// - Source maps are written beside the files but not enabled at run time, which would cost
//   start-up; `node --enable-source-maps bin/roux.js ...` gives mapped stacks (cli/README.md).
import { rmSync } from "node:fs";
import path from "node:path";
import { build } from "esbuild";

const OUT = "dist/bundle";

/** Output name (without `.js`) of each shared module, by its source. */
const SHARED = new Map([
  [path.resolve("cli/usage-error.ts"), "usage-error"],
  [path.resolve("compiler/outside/js-exports.ts"), "js-exports"],
]);

/** The command built as one file, and where cli/main.ts's table imports it from. */
const ONE_FILE = { name: "check", source: "cli/commands/check.ts", importedAs: "./commands/check.js" };

/** Resolves an import of a shared module, or of the one-file command, to its file in OUT. */
const linkOutputs = {
  name: "link-outputs",
  setup(builder) {
    builder.onResolve({ filter: /^\.\.?\// }, (args) => {
      if (args.kind === "entry-point") return undefined;
      if (args.path === ONE_FILE.importedAs && args.importer === path.resolve("cli/main.ts")) return { path: `./${ONE_FILE.name}.js`, external: true };
      const name = SHARED.get(path.resolve(args.resolveDir, args.path).replace(/\.js$/, ".ts"));
      return name === undefined ? undefined : { path: `./${name}.js`, external: true };
    });
  },
};

const common = {
  outdir: OUT,
  bundle: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  jsx: "automatic",
  sourcemap: "linked",
  logLevel: "warning",
  plugins: [linkOutputs],
};

// Chunks from an earlier build, named by their content, would otherwise pile up.
rmSync(OUT, { recursive: true, force: true });
await build({
  ...common,
  entryPoints: {
    roux: "cli/main.ts",
    "check-worker": "registry/check-worker.ts",
    "js-worker-entry": "runtime/rewards/js-worker-entry.ts",
    "ts-hooks": "runtime/rewards/ts-hooks.ts",
    ...Object.fromEntries([...SHARED].map(([source, name]) => [name, source])),
  },
  splitting: true,
});
const oneFile = await build({ ...common, entryPoints: { [ONE_FILE.name]: ONE_FILE.source }, splitting: false, metafile: true });
// A package the one file imports statically is loaded on every run of the command, even when
// the source imports it only from a module that is itself loaded lazily: refuse the build
// rather than slow the command down unseen (make that module SHARED).
for (const output of Object.values(oneFile.metafile.outputs)) {
  const eager = output.imports.filter((i) => i.kind === "import-statement" && !i.path.startsWith("node:") && !i.path.startsWith("./"));
  if (eager.length > 0) throw new Error(`${ONE_FILE.name}.js would load ${eager.map((i) => i.path).join(", ")} on every run`);
}
