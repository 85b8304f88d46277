/**
 * Deep, long and garbage input through `roux check` and `roux fmt` as a user runs them: each
 * gives a clean result or its diagnostic, never an internal error (docs/language.md §9
 * "Nesting"), and garbage gives output of bounded size (docs/language.md §7 "Long output").
 * Sizes are those that overflowed the stack or flooded the output before.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_PER_FILE } from "../diagnostics/cap.js";
import { NESTING_LIMIT } from "../grammar/nesting.js";
import { parse } from "../grammar/parse.js";
import { runCli } from "./run-cli.js";

const SFT = `use "std/arith" as arith
data demos = arith.solutions { count = 100 }
stage s = sft { data = demos, epochs = 1 epochs, batch = 4, optimizer = adam { lr = 3e-4 } }
`;

/** Flat chains: each checks clean and is already in the canonical layout. */
const FLAT: Record<string, string> = {
  "a sum of 10,000 terms": `let a = ${Array(10_000).fill("1").join(" + ")}\n`,
  "a pipeline of 50,000 stages": `${SFT}let p = ${Array(50_000).fill("s").join(" -> ")}\n`,
  "a list of 340,000 items": `let a = [\n${"  1,\n".repeat(340_000)}]\n`,
  "10,000 declarations, each defined by the one below it": `${Array.from({ length: 10_000 }, (_, i) => `let a${i} = a${i + 1}\n`).join("")}let a10000 = 1\n`,
};

/** The deepest nesting allowed, of each kind whose every level costs the passes most stack. */
const AT_LIMIT: Record<string, string> = {
  parentheses: `let a = ${"(".repeat(NESTING_LIMIT)}1${")".repeat(NESTING_LIMIT)}\n`,
  blocks: `let a = ${"{ x = ".repeat(NESTING_LIMIT)}1${" }".repeat(NESTING_LIMIT)}\n`,
  lists: `let a = ${"[".repeat(NESTING_LIMIT)}1${"]".repeat(NESTING_LIMIT)}\n`,
  "calls with block arguments": `let a = ${"f { x = ".repeat(NESTING_LIMIT / 2)}1${" }".repeat(NESTING_LIMIT / 2)}\n`,
};

/** Nesting past the limit, in the source or in the value it builds: E0005. */
const DEEP: Record<string, string> = {
  "200 nested parentheses": `let a = ${"(".repeat(200)}1${")".repeat(200)}\n`,
  "150 nested blocks": `let a = ${"{ x = ".repeat(150)}1${" }".repeat(150)}\n`,
  "100,000 unary minus signs": `let a = ${"-".repeat(100_000)}1\n`,
  "an advantage composed of 20,000 `|>` steps": `let a = rloo${" |> whiten".repeat(20_000)}\n`,
  "a cycle of 10,000 declarations": Array.from({ length: 10_000 }, (_, i) => `let a${i} = a${(i + 1) % 10_000}\n`).join(""),
  "a reward summed from 10,000 rewards": `use "std/arith" as arith\nreward r : outcome = ${Array(10_000).fill("arith.answer_match").join(" + ")}\n`,
};

/** Bytes from a seeded generator (a linear congruential one), the same on every run. */
function randomBytes(count: number, seed: number): Buffer {
  const bytes = Buffer.alloc(count);
  let state = seed;
  for (let i = 0; i < count; i++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    bytes[i] = state >>> 24;
  }
  return bytes;
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "roux-hostile-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function written(name: string, content: string | Buffer): Promise<string> {
  const file = path.join(dir, `${name.replace(/\W+/g, "-")}.recipe`);
  await writeFile(file, content);
  return file;
}

describe("deep and long input", () => {
  for (const [name, source] of Object.entries(AT_LIMIT)) {
    it(`checks and formats ${name} nested ${NESTING_LIMIT} deep without an internal error`, async () => {
      const file = await written(`limit ${name}`, source);
      const checked = await runCli(["check", "--format", "json", file]);
      expect(checked.stderr).toBe("");
      expect(JSON.parse(checked.stdout).diagnostics.map((d: { code: string }) => d.code)).not.toContain("E0005");
      const formatted = await runCli(["fmt", file]);
      expect(formatted.status).toBe(0);
      expect(parse(formatted.stdout, file).diagnostics).toEqual([]);
    });
  }

  for (const [name, source] of Object.entries(FLAT)) {
    it(`checks ${name} clean and formats it unchanged`, async () => {
      const file = await written(name, source);
      const checked = await runCli(["check", file]);
      expect(checked.stderr).toMatch(/: .*0 errors, 0 warnings/);
      expect(checked.status).toBe(0);
      const formatted = await runCli(["fmt", file]);
      expect(formatted.status).toBe(0);
      expect(formatted.stdout === source).toBe(true);
    }, 300_000);
  }

  for (const [name, source] of Object.entries(DEEP)) {
    it(`refuses ${name} with E0005 alone, in check and, when the source nests, in fmt`, async () => {
      const file = await written(name, source);
      const checked = await runCli(["check", "--format", "json", file]);
      expect(checked.status).toBe(1);
      expect(JSON.parse(checked.stdout).diagnostics.map((d: { code: string }) => d.code)).toEqual(["E0005"]);
      const formatted = await runCli(["fmt", file]);
      expect(formatted.stderr).not.toContain("internal error");
      const nestsInSource = parse(source, file).diagnostics.length > 0;
      expect(formatted.status).toBe(nestsInSource ? 1 : 0);
      if (nestsInSource) expect(formatted.stderr).toContain("error[E0005]");
      else expect(formatted.stdout === source).toBe(true);
    }, 300_000);
  }
});

describe("binary garbage", () => {
  it("builds at most 100 diagnostics a file however long the garbage, counts the rest, and prints a bounded report", async () => {
    const sizes = [100_000, 400_000];
    const reports = [];
    for (const size of sizes) {
      const bytes = randomBytes(size, 19);
      const file = await written(`garbage-${size}`, bytes);
      // The front end's own output: a hundred built, every other one counted on the last.
      const parsed = parse(bytes.toString("utf8"), file).diagnostics;
      expect(parsed).toHaveLength(MAX_PER_FILE);
      const counted = MAX_PER_FILE + (parsed.at(-1)?.more ?? 0);
      const checked = await runCli(["check", "--format", "json", file]);
      const { errors, diagnostics, omitted } = JSON.parse(checked.stdout);
      // One more: E0004, the first byte that is not UTF-8.
      expect(errors).toBe(counted + 1);
      expect(diagnostics).toHaveLength(MAX_PER_FILE);
      expect(omitted).toBe(errors - MAX_PER_FILE);
      const text = await runCli(["check", file]);
      expect(text.stderr).toContain(`and ${omitted} more errors in ${file}`);
      reports.push({ counted, bytes: text.stderr.length });
    }
    const [small, large] = reports;
    // Four times the garbage is about four times the errors, and no more output.
    expect(large!.counted).toBeGreaterThan(3 * small!.counted);
    expect(large!.counted).toBeLessThan(5 * small!.counted);
    for (const { bytes } of reports) expect(bytes).toBeLessThan(100_000);
  }, 300_000);
});
