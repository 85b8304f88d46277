/**
 * The `roux` binary as a user runs it: a real process, real files, real exit codes. The build
 * (`npm run build`, run before the tests by `npm test`) must be current.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { recipeFiles, REPO_ROOT } from "../recipes.js";

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, "bin/roux.js");

async function roux(args: string[], env: NodeJS.ProcessEnv = {}) {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, ...env } });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { status: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

function tempDir(): string {
  return mkdtempSync(path.join(tmpdir(), "roux-e2e-"));
}

describe("roux (the binary)", () => {
  it("checks the example recipes: one success line each on stderr, exit 0", async () => {
    const result = await roux(["check", "recipes/arith/flagship.recipe"]);
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("");
    expect(result.stderr).toMatch(/^checked recipes\/arith\/flagship\.recipe: 2 stages, 3 rewards, 1 model, 0 errors, 0 warnings \(\d+ ms\)\n$/);
  });

  it('checks from the code cache the build saved beside the bundled check (docs/architecture.md "Start-up")', async () => {
    const bundle = path.join(REPO_ROOT, "dist/bundle/check.cjs");
    const probe = [
      `import { runCached } from ${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, "dist/cli/code-cache.js")).href)};`,
      `import * as usageErrors from ${JSON.stringify(pathToFileURL(path.join(REPO_ROOT, "dist/cli/usage-error.js")).href)};`,
      `const script = runCached(${JSON.stringify(bundle)}, new Map([["./usage-error.js", usageErrors]]));`,
      "console.log(script.fromCache, typeof script.exports.command.run);",
    ].join("\n");
    // The environment roux runs with here: NODE_OPTIONS with V8 flags would make V8 refuse the cache.
    const { stdout } = await run(process.execPath, ["--input-type=module", "-e", probe], { cwd: REPO_ROOT, env: { PATH: process.env.PATH } });
    expect(stdout).toBe("true function\n");
  });

  it("exits 1 with rustc-style errors, without colour under NO_COLOR", async () => {
    const dir = tempDir();
    const file = path.join(dir, "bad.recipe");
    writeFileSync(file, 'model p = transformer { layers = 2\ndata d = jsonl("x.jsonl")\n');
    const result = await roux(["check", file], { NO_COLOR: "1" });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error[E0001]: expected `}`, found `data`");
    expect(result.stderr).toContain(`--> ${file}:2:1`);
    expect(result.stderr).not.toContain("\x1b[");
    expect(result.stderr.trimEnd().split("\n").at(-1)).toBe(`error: 1 error, 0 warnings in ${file}`);
  });

  it("prints JSON diagnostics on stdout with --format json", async () => {
    const dir = tempDir();
    const file = path.join(dir, "bad.recipe");
    writeFileSync(file, "let x = 1__0\n");
    const result = await roux(["check", "--format", "json", file]);
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.errors).toBe(1);
    expect(report.diagnostics[0]).toMatchObject({ code: "E0003", file, line: 1, column: 9, endLine: 1, endColumn: 13 });
  });

  it("exits 2 for usage mistakes and 1 for a missing file, with one line and no stack trace", async () => {
    const usage = await roux(["check", "--colour"]);
    expect(usage.status).toBe(2);
    expect(usage.stderr).toMatch(/^error: .*--colour/);
    const unknown = await roux(["frobnicate"]);
    expect(unknown.status).toBe(2);
    const missing = await roux(["check", "no/such.recipe"]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe("error: cannot read no/such.recipe: no such file or directory\n");
  });

  it("fmt --write rewrites a file in place and fmt --check then passes", async () => {
    const dir = tempDir();
    const file = path.join(dir, "messy.recipe");
    writeFileSync(file, "let   x=1 // one\nmodel p = transformer{layers=2}\n");
    expect((await roux(["fmt", "--check", file])).status).toBe(1);
    const written = await roux(["fmt", "--write", file]);
    expect(written.status).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("let x = 1  // one\n");
    expect((await roux(["fmt", "--check", file])).status).toBe(0);
    expect(readdirSync(dir)).toEqual(["messy.recipe"]);
  });

  it("keeps every shipped recipe in the canonical layout", async () => {
    const files = recipeFiles().map((r) => r.file);
    const result = await roux(["fmt", "--check", ...files]);
    expect(result.stdout).toBe("");
    expect(result.status).toBe(0);
  });

  it("fmt leaves a file with syntax errors untouched and reports them", async () => {
    const dir = tempDir();
    const file = path.join(dir, "broken.recipe");
    const source = "let x = (1 +\n";
    writeFileSync(file, source);
    const result = await roux(["fmt", "--write", file]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain("error[E0001]");
    expect(readFileSync(file, "utf8")).toBe(source);
  });

  it("grammar --html writes a self-contained railroad page", async () => {
    const out = path.join(tempDir(), "grammar.html");
    const result = await roux(["grammar", "--html", out]);
    expect(result.status).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).toContain("Roux recipe grammar");
    expect(html).not.toMatch(/(src|href)="https?:/);
  });
});
