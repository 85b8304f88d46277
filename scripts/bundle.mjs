// Bundles the CLI into dist/bundle/ with esbuild, after tsc has compiled dist/ (`npm run build`).
// Why a bundle: a cold `roux check` otherwise spends most of its start-up in Node's module loader
// resolving, reading and compiling about a hundred files (docs/architecture.md "Start-up").
//
// - Code splitting keeps the CLI's lazy loading: each command's module, loaded by `import()`
//   from cli/main.ts's table, becomes a chunk loaded only when that command runs.
// - Scripts that Node loads by themselves (the registry's check worker, a JS reward's worker
//   entry and its TypeScript hooks) are entry points too, written beside the chunks: the code
//   that starts them finds them by a URL relative to its own file, which in the bundle is a
//   chunk of this same folder.
// - Packages stay external: several are native (onnxruntime-node, better-sqlite3, tfjs), and
//   grammar/chevrotain.ts loads chevrotain's own single-file build by path.
// - Source maps are written beside the files but not enabled at run time, which would cost
//   start-up; `node --enable-source-maps bin/roux.js ...` gives mapped stacks (cli/README.md).
import { build } from "esbuild";

await build({
  entryPoints: {
    roux: "cli/main.ts",
    "check-worker": "registry/check-worker.ts",
    "js-worker-entry": "runtime/rewards/js-worker-entry.ts",
    "ts-hooks": "runtime/rewards/ts-hooks.ts",
  },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  packages: "external",
  jsx: "automatic",
  sourcemap: "linked",
  logLevel: "warning",
});
