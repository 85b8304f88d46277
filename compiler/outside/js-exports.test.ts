import { execFileSync } from "node:child_process";
import { access, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listModuleExports } from "./js-exports.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "roux-js-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const exists = (path: string): Promise<boolean> =>
  access(path).then(
    () => true,
    () => false,
  );

describe("listModuleExports", () => {
  it("lists a TypeScript module's value exports, not its types", async () => {
    const path = await file(
      "reward.ts",
      `import type { Sample } from "./types.js";
export interface Scored { score: number }
export type Range = [lo: number, hi: number];
export declare const ambient: number;
const weight: number = 2;
export function score<T extends Sample>(sample: T, bonus?: number): Scored {
  return { score: (sample.text.length as number) * weight + (bonus ?? 0) };
}
export const range: Range = [0, 1], label = "len";
export abstract class Scorer<T> implements Iterable<T> {
  abstract [Symbol.iterator](): Iterator<T>;
}
export { weight as defaultWeight, type Sample };
export default class LengthReward { private cap: number = 10; }
`,
    );
    expect(await listModuleExports(path)).toEqual({
      ok: true,
      path,
      format: "esm",
      names: ["score", "range", "label", "Scorer", "defaultWeight", "default"],
      reexportsFrom: [],
      // A type-only import is stripped with the types: it loads nothing at run time.
      imports: [],
    });
  });

  it("lists defaults, renamed exports and re-exports, noting `export *`", async () => {
    const path = await file(
      "mixed.mjs",
      `const a = 1, b = 2;
export { a as alpha, b as "quoted name" };
export { helper as otherHelper } from "./helpers.js";
export * as everything from "./all.js";
export * from "./more.js";
export const { first, nested: [second] } = { first: 1, nested: [2] };
export default (x) => x;
`,
    );
    expect(await listModuleExports(path)).toEqual({
      ok: true,
      path,
      format: "esm",
      names: ["alpha", "quoted name", "otherHelper", "everything", "first", "second", "default"],
      reexportsFrom: ["./more.js"],
      imports: ["./helpers.js", "./all.js", "./more.js"],
    });
  });

  it("lists what a module loads: imports, literal dynamic imports and requires, not computed ones", async () => {
    const esm = await file(
      "loads.ts",
      `import { f } from "./lib/helper.js";
import fs from "node:fs";
import { createRequire } from "node:module";
const require = createRequire(import.meta.url);
const table = require("./table.json");
const lazy = await import("./lazy.mjs");
const chosen = await import(\`./\${fs.readdirSync(".")[0]}\`);
export const score = (s: string): number => f(s) + table.length + lazy.x + chosen.y;
`,
    );
    expect(await listModuleExports(esm)).toMatchObject({ imports: ["./lib/helper.js", "node:fs", "node:module", "./lazy.mjs", "./table.json"] });
    const cjs = await file(
      "loads.cjs",
      `const { f } = require("./helper");
const _ = require('lodash');
exports.score = (s) => f(s);
`,
    );
    expect(await listModuleExports(cjs)).toMatchObject({ imports: ["./helper", "lodash"] });
  });

  it("never executes the module", async () => {
    const marker = join(dir, "executed.marker");
    const body = `writeFileSync(${JSON.stringify(marker)}, "ran");
console.log("executed");
throw new Error("executed");
`;
    const modules = [
      await file("side-effect.mjs", `import { writeFileSync } from "node:fs";\n${body}export const reward = () => 1;\n`),
      await file("side-effect.ts", `import { writeFileSync } from "node:fs";\n${body}export const reward = (): number => 1;\n`),
      await file("side-effect.cjs", `const { writeFileSync } = require("node:fs");\n${body}exports.reward = () => 1;\n`),
    ];
    for (const path of modules) {
      expect(await listModuleExports(path)).toMatchObject({ ok: true, names: expect.arrayContaining(["reward"]) });
    }
    expect(await exists(marker)).toBe(false);
  });

  it("reads CommonJS modules, which always have a default export", async () => {
    const path = await file(
      "reward.cjs",
      `Object.defineProperty(exports, "__esModule", { value: true });
exports.exact = function exact() { return 1; };
module.exports.partial = () => 0.5;
`,
    );
    expect(await listModuleExports(path)).toEqual({
      ok: true,
      path,
      format: "commonjs",
      names: ["exact", "partial", "default"],
      reexportsFrom: [],
      imports: [],
    });
    const forwarding = await file("forward.cjs", `module.exports = require("./reward.cjs");\n`);
    expect(await listModuleExports(forwarding)).toMatchObject({ names: ["default"], reexportsFrom: ["./reward.cjs"] });
  });

  it("treats a .js file without import or export as CommonJS, as Node does", async () => {
    const path = await file("legacy.js", `exports.score = (s) => s.length;\n`);
    expect(await listModuleExports(path)).toMatchObject({ ok: true, format: "commonjs", names: ["score", "default"] });
    const esm = await file("modern.js", `export const score = (s) => s.length;\n`);
    expect(await listModuleExports(esm)).toMatchObject({ ok: true, format: "esm", names: ["score"] });
  });

  it("ignores a UTF-8 BOM", async () => {
    const path = await file("bom.mjs", `\uFEFFexport const first = 1;\nexport const second = 2;\n`);
    expect(await listModuleExports(path)).toMatchObject({ ok: true, names: ["first", "second"] });
  });

  it("fails on a missing file, naming it", async () => {
    const path = join(dir, "nope.ts");
    expect(await listModuleExports(path)).toEqual({ ok: false, kind: "missing", path, reason: "no such file" });
  });

  it("fails on a FIFO without waiting for a writer", async () => {
    const path = join(dir, "pipe.mjs");
    execFileSync("mkfifo", [path]);
    expect(await listModuleExports(path)).toEqual({ ok: false, kind: "unreadable", path, reason: "is a FIFO, not a regular file" });
  });

  it("fails on a file that is not a module", async () => {
    const path = await file("reward.py", "def reward(): return 1\n");
    expect(await listModuleExports(path)).toEqual({
      ok: false,
      kind: "invalid",
      path,
      reason: '".py" is not a module extension; a reward module ends in one of .js, .mjs, .cjs, .ts, .mts, .cts',
    });
  });

  it("fails on a TypeScript syntax error, with its line", async () => {
    const path = await file("broken.ts", `export const a = 1;\n\nexport const b: = 2;\n`);
    expect(await listModuleExports(path)).toMatchObject({
      ok: false,
      kind: "invalid",
      reason: expect.stringMatching(/^syntax error: Unexpected token `=`/),
      line: 3,
    });
    const oneLine = await file("one-line.mts", `export const x = 'unterminated`);
    expect(await listModuleExports(oneLine)).toMatchObject({
      ok: false,
      reason: "syntax error: Unterminated string constant",
      line: 1,
    });
  });

  it("fails on TypeScript that Node cannot run without a transform", async () => {
    const path = await file("enum.ts", `export const a = 1;\nexport enum Mode { Fast, Slow }\n`);
    expect(await listModuleExports(path)).toMatchObject({
      ok: false,
      reason: "syntax error: TypeScript enum is not supported in strip-only mode",
      line: 2,
    });
  });

  it("fails on a JavaScript syntax error the lexer meets, with its line", async () => {
    const esm = await file("broken.mjs", `export const a = 1;\nexport const b = "unterminated;\nexport const c = 3;\n`);
    expect(await listModuleExports(esm)).toEqual({ ok: false, kind: "invalid", path: esm, reason: "syntax error", line: 2 });
    const cjs = await file("broken.cjs", `exports.a = 1;\n\nexports.b = 'unterminated;\n`);
    expect(await listModuleExports(cjs)).toMatchObject({ ok: false, reason: "syntax error", line: 3 });
  });
});
