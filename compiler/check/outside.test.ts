/**
 * The outside checks in a process that lives on, as the language server does: a dataset or
 * reward module rewritten on disk between two checks is read again, so the second check reports
 * the file as it is now.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { checkRecipe } from "../check-recipe.js";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "roux-outside-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function errors(file: string, source: string): Promise<string[]> {
  const program = await checkRecipe(file, source);
  return program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
}

describe("a file changed on disk between two checks in one process", () => {
  it("reports a JSONL dataset's new header, not the one first read", async () => {
    const recipe = path.join(dir, "data.recipe");
    const source = 'data train = jsonl("train.jsonl") { prompt = "question", answer = "answer" }\n';
    await writeFile(path.join(dir, "train.jsonl"), '{"question": "1+1=", "answer": "2"}\n');
    expect(await errors(recipe, source)).toEqual([]);
    await writeFile(path.join(dir, "train.jsonl"), '{"prompt": "1+1=", "answer": "2"}\n');
    expect(await errors(recipe, source)).toEqual([expect.stringMatching(/^E3201 .*no key `question`/)]);
    await writeFile(path.join(dir, "train.jsonl"), '{"question": "2+2=", "answer": "4"}\n');
    expect(await errors(recipe, source)).toEqual([]);
  });

  it("reports a reward module's exports as they are now", async () => {
    const recipe = path.join(dir, "reward.recipe");
    const source = 'reward judge : outcome = js("judge.mjs", "score") { range = 0..1 }\n';
    await writeFile(path.join(dir, "judge.mjs"), "export const score = () => 1;\n");
    expect(await errors(recipe, source)).toEqual([]);
    await writeFile(path.join(dir, "judge.mjs"), "export const scored = () => 1;\n");
    expect(await errors(recipe, source)).toEqual([expect.stringMatching(/^E3302 /)]);
  });
});
