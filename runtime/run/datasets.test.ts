// A JSONL dataset as `roux run` loads it: every line read (roux check reads the first ones only),
// a bad one named by file:line, and only from a regular file.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { planOfFile } from "../../compiler/plan/testing.js";
import { runCli } from "../../test/run-cli.js";
import { REPO_ROOT } from "../../test/recipes.js";
import { architectureOf } from "../policy/architecture.js";
import { createTokenizer } from "../tokenizer.js";
import { loadDataset } from "./datasets.js";

const RECIPE = "test/e2e/recipes/sft.recipe";
const plan = planOfFile(RECIPE);
if (plan.policy.kind !== "transformer") throw new Error(`${RECIPE} should train a transformer`);
const tokenizer = createTokenizer(plan.policy.tokenizer);
const arch = architectureOf(plan.policy);

const dir = mkdtempSync(path.join(tmpdir(), "roux-datasets-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The recipe's dataset read from `file` instead. */
function load(file: string) {
  const [dataset] = plan.datasets;
  if (dataset?.source.kind !== "jsonl") throw new Error(`${RECIPE} should read a JSONL dataset`);
  return loadDataset({ ...dataset, source: { ...dataset.source, path: file } }, tokenizer, arch);
}

describe("a JSONL dataset", () => {
  it("whose line 50, past what roux check reads, has a number for the prompt: check is clean, loading names file:50", async () => {
    const lines = readFileSync(path.join(REPO_ROOT, "test/e2e/recipes/reverse.jsonl"), "utf8").split("\n").slice(0, 60);
    expect(lines).toHaveLength(60);
    lines[49] = JSON.stringify({ prompt: 5, response: "ab" });
    const file = path.join(dir, "reverse.jsonl");
    writeFileSync(file, `${lines.join("\n")}\n`);
    copyFileSync(path.join(REPO_ROOT, RECIPE), path.join(dir, "sft.recipe"));

    const check = await runCli(["check", path.join(dir, "sft.recipe")]);
    expect(check.stdout + check.stderr).toContain("0 errors");
    expect(check.status).toBe(0);
    await expect(load(file)).rejects.toThrow(`${file}:50: \`prompt\` should be a string, found 5`);
  });

  it("reads every line, numbering blank ones, the last without a newline", async () => {
    const file = path.join(dir, "blank.jsonl");
    writeFileSync(file, '{"prompt": "ab=", "response": "ba"}\n\n  \n{"prompt": "c=", "response": 7}');
    await expect(load(file)).rejects.toThrow(`${file}:4: \`response\` should be a string, found 7`);
    writeFileSync(file, '{"prompt": "ab=", "response": "ba"}\r\n\n{"prompt": "c=", "response": "c"}');
    expect((await load(file)).map((e) => e.prompt)).toEqual(["ab=", "c="]);
    // Past the reader's first 64 KiB chunk, lines split across chunks keep their numbers.
    const long = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ prompt: `${"abc".repeat(i % 4)}=`, response: i === 2499 ? null : "a" }));
    writeFileSync(file, long.join("\n"));
    await expect(load(file)).rejects.toThrow(`${file}:2500: \`response\` should be a string, found null`);
    writeFileSync(file, long.slice(0, 2499).join("\n"));
    expect(await load(file)).toHaveLength(2499);
  });

  it("is refused when its path is a FIFO (without waiting for a writer), a device or a directory", async () => {
    const fifo = path.join(dir, "pipe.jsonl");
    execFileSync("mkfifo", [fifo]);
    await expect(load(fifo)).rejects.toThrow(`dataset \`pairs\`: ${fifo} is a FIFO, not a regular file`);
    // roux check reads the same path first, and refuses it the same way (E3201).
    const recipe = path.join(dir, "pipe.recipe");
    writeFileSync(recipe, readFileSync(path.join(REPO_ROOT, RECIPE), "utf8").replace('jsonl("reverse.jsonl")', 'jsonl("pipe.jsonl")'));
    const check = await runCli(["check", recipe]);
    expect(check.stderr).toContain("error[E3201]: dataset file pipe.jsonl: is a FIFO, not a regular file");
    const zero = path.join(dir, "zero.jsonl");
    symlinkSync("/dev/zero", zero);
    await expect(load(zero)).rejects.toThrow(`${zero} is a device, not a regular file`);
    await expect(load(dir)).rejects.toThrow(`${dir} is a directory, not a regular file`);
  });
});
