/**
 * The front end's cost grows with its input and no faster (docs/architecture.md "Conventions"):
 * checking ten times the recipe takes ten times as long, and a file full of mistakes on
 * megabyte-long lines checks and renders (docs/language.md §7 "Long output") in well under a
 * second, against the same file without them.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { main } from "../cli/main.js";
import { lowerProgram } from "../compiler/plan/lower.js";
import { checkProgram } from "../compiler/program.js";
import { generatePair } from "./generate.js";
import { medianMillisAsync, medianPair, type Comparison } from "./measure.js";

function checkAndLower(recipe: string): void {
  const program = checkProgram("bench.recipe", recipe);
  const error = program.diagnostics.find((d) => d.severity === "error");
  if (error) throw new Error(`the generated recipe does not check: ${error.message}`);
  lowerProgram(program);
}

/**
 * Check + lower of a 100k-line recipe against the 10k-line one ten times over, timed in
 * alternation (measure.ts medianPair): timed one after the other, the ratio swung 0.95-1.73 over ten
 * runs, with whatever the earlier benches had left to collect.
 */
export function linearCheckBench(): Comparison {
  const small = generatePair(10_000);
  const large = generatePair(100_000);
  const tenSmall = () => {
    for (let i = 0; i < 10; i++) checkAndLower(small.recipe);
  };
  return {
    name: `check + lower (${large.lines} lines)`,
    ...medianPair(() => checkAndLower(large.recipe), tenSmall, 5),
    baseline: `10 x ${small.lines} lines`,
    goal: "ratio <= 1.2: linear in the recipe's size",
  };
}

const LINES = 10;
const ERRORS_PER_LINE = 1_000;
const LINE_BYTES = 1 << 20;

/** Ten lines of a 1 MiB string each; with `strays`, each line ends in 1,000 stray `@` (E0001 each). */
function longLines(strays: boolean): string {
  const tail = strays ? " @".repeat(ERRORS_PER_LINE) : "";
  const lines = Array.from({ length: LINES }, (_, i) => `let text_${i} = "${"x".repeat(LINE_BYTES)}"${tail}`);
  return `recipe long_lines "generated for npm run bench"\n\n${lines.join("\n")}\n`;
}

/**
 * `roux check` of a recipe with 10,000 errors on 1 MiB lines, as the CLI runs it (reading and
 * decoding the file, its renderer with the cap and line clipping), in this process so that
 * Node's start-up does not drown the figure; against the same lines without the errors.
 */
export async function manyErrorsBench(): Promise<Comparison> {
  const dir = mkdtempSync(path.join(tmpdir(), "roux-bench-"));
  try {
    const withErrors = path.join(dir, "errors.recipe");
    const clean = path.join(dir, "clean.recipe");
    writeFileSync(withErrors, longLines(true));
    writeFileSync(clean, longLines(false));
    const check = (file: string, status: number) => async () => {
      const exit = await main(["check", file], { stdout: discard(), stderr: discard(), env: {}, cwd: dir });
      if (exit !== status) throw new Error(`roux check ${file} exited with ${exit}, not ${status}`);
    };
    return {
      name: `check + render ${LINES * ERRORS_PER_LINE} errors on 1 MiB lines`,
      millis: await medianMillisAsync(check(withErrors, 1), 7, 1),
      baseline: "the same lines without them",
      baselineMillis: await medianMillisAsync(check(clean, 0), 7, 1),
      goal: "under 1 s",
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function discard(): Writable {
  return new Writable({ write: (_chunk, _encoding, done) => done() });
}
