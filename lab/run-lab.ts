/**
 * `npm run lab`: the arithmetic lab's results, from nothing to the README's table, with its
 * controls (lab/README.md "Controls"). It runs `roux sweep` on the lab's sweep file
 * (recipes/arith/lab.sweep: each task's warm-up, its methods, their null controls and its
 * equal-compute SFT continuation, over three seeds) into OUT, then makes the table
 * (lab/lab-table.ts) from that sweep directory and the plot (`roux compare --group` of it from
 * the end of the warm-ups, docs/lab/compare.png), and writes them into the README between the `<!-- lab:begin -->` and
 * `<!-- lab:end -->` markers.
 *
 *   npm run lab -- [--sweep recipes/arith/lab.sweep] [--jobs 2] [--out runs/lab]
 *                  [--readme README.md] [--plots docs/lab]
 *   npm run lab -- --report-only [--out runs/lab]
 *
 * What runs (recipes, controls, seeds, sizes) is the sweep file's: a smaller lab is another sweep
 * file whose variants keep the names of the lab's (test/e2e/recipes/lab-tiny.sweep). The sweep
 * trains each seed's warm-up once, every other point taking it from the stage cache; run again,
 * it keeps the finished points and continues the others (docs/architecture.md "Sweeps"). A point
 * that fails is reported and the table shows what finished. `--report-only` runs nothing: it
 * remakes the table, the plot and the README section from the sweep directory OUT. `--readme`
 * and `--plots` send the section and the plot elsewhere (a smoke test leaves the repository's
 * alone).
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { isSweepDirectory } from "../cli/sweep/sweep-dir.js";
import { clock } from "../tui/clock.js";
import { readResults } from "./lab-results.js";
import { labTable, type Task } from "./lab-table.js";
import { replaceSection } from "./readme-section.js";
import { ROOT, roux } from "./roux-process.js";

/** The lab's tasks by the variants of its sweep file (recipes/arith/lab.sweep). */
const TASKS: readonly Task[] = [
  {
    title: "Problems of 1 to 3 operators (demonstrations, RL prompts and test alike)",
    warmup: "sft",
    sft: "sft_more",
    methods: ["grpo", "prof", "blend", "pure", "sumform", "renorm", "gate", "chord"],
    contrasts: [
      { finding: "PURE: min-form credit resists the PRM's hacking that sum-form falls to", method: "pure", against: "sumform" },
      { finding: "PROF: filtering by process/outcome consistency beats blending the two rewards", method: "prof", against: "blend" },
      { finding: "PROF beats outcome-only GRPO", method: "prof", against: "grpo" },
      { finding: "CHORD: expert data mixed into RL beats SFT then RL", method: "chord", against: "grpo" },
      { finding: "ReNorm beats outcome-only GRPO", method: "renorm", against: "grpo" },
      { finding: "The gate (Posterior-GRPO) beats outcome-only GRPO", method: "gate", against: "grpo" },
    ],
  },
  {
    title: "Depth-3 generalisation (demonstrations of 1 and 2 operators; RL prompts and test of 3)",
    warmup: "depth3_sft",
    sft: "depth3_sft_more",
    methods: ["depth3_grpo"],
    contrasts: [],
  },
];
const LAB_SWEEP = path.join(ROOT, "recipes", "arith", "lab.sweep");

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      sweep: { type: "string", default: LAB_SWEEP },
      jobs: { type: "string", default: "2" },
      out: { type: "string", default: "runs/lab" },
      readme: { type: "string", default: path.join(ROOT, "README.md") },
      plots: { type: "string", default: path.join(ROOT, "docs", "lab") },
      "report-only": { type: "boolean", default: false },
    },
  });
  const jobs = Number(values.jobs);
  if (!(Number.isInteger(jobs) && jobs >= 1)) {
    process.stderr.write("lab: --jobs takes a whole number >= 1\n");
    return 2;
  }
  const sweepFile = path.resolve(values.sweep);
  const out = path.resolve(values.out);
  const started = Date.now();
  if (!values["report-only"]) {
    // Its exit status is 1 when a point did not finish: the table says which.
    await roux(["sweep", "--jobs", String(jobs), "--out", out, sweepFile]);
  }
  if (!isSweepDirectory(out)) {
    process.stderr.write(`lab: ${out} holds no sweep${values["report-only"] ? "" : "; roux sweep ran nothing (its output above says why)"}\n`);
    return 1;
  }
  const { results, points, unfinished } = await readResults(out);
  const table = TASKS.map((t) => `### ${t.title}\n\n${labTable(results, t).trim()}\n`).join("\n");
  await fs.writeFile(path.join(out, "results.md"), `${table}\n`);
  const plots = path.resolve(values.plots);
  // Plotted from the end of the warm-ups, which every run shares: the methods differ after it.
  const warmupEnd = Math.min(...results.flatMap((r) => (r.start === undefined ? [] : [r.start.step])));
  const fromStep = Number.isFinite(warmupEnd) ? warmupEnd : 0;
  const compare = ["compare", "--group", "--format", "markdown", "--from-step", String(fromStep), "--out", plots, out];
  const status = await roux(compare, { stdout: path.join(out, "compare.md"), stderr: path.join(out, "compare.log") });
  if (status !== 0) process.stderr.write(`lab: roux compare failed (exit ${status}); see ${path.join(out, "compare.log")}\n`);
  const today = new Date().toISOString().slice(0, 10);
  const options = [...(sweepFile === LAB_SWEEP ? [] : [`--sweep ${path.relative(ROOT, sweepFile)}`]), `--jobs ${jobs}`];
  const done = points - unfinished.length;
  const notDone = unfinished.length > 0 ? `; not done: ${unfinished.join(", ")}` : "";
  const made = values["report-only"]
    ? `Remade by \`npm run lab -- --report-only\` on ${today} from the ${done} finished runs of its sweep${notDone}.`
    : `Made by \`npm run lab -- ${options.join(" ")}\` on ${today}: ${done} of ${points} runs done in ${clock((Date.now() - started) / 1000)}${notDone}.`;
  const plot =
    "![eval accuracy, training reward, response length and steps per response of the lab's variants after the warm-up, each the mean over its seeds with the band of its seeds](docs/lab/compare.png)";
  const section = [made, "", table.trim(), ...(status === 0 ? ["", plot] : [])].join("\n");
  const readme = path.resolve(values.readme);
  await fs.writeFile(readme, replaceSection(await fs.readFile(readme, "utf8"), "lab", section));
  process.stderr.write(`lab: results written to ${readme}, ${path.join(out, "results.md")} and ${plots}\n`);
  return values["report-only"] || unfinished.length === 0 ? 0 : 1;
}

process.exitCode = await main();
