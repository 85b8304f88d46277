/**
 * `npm run lab`: the arithmetic lab's results, from nothing to the README's table. Runs each
 * lab recipe (recipes/arith/) once per seed, `--jobs` at a time, then `roux compare --group`
 * over the runs, and writes the markdown table and the plot (docs/lab/compare.png) into the
 * README between the `<!-- lab:begin -->` and `<!-- lab:end -->` markers.
 *
 *   npm run lab -- [--seeds 17,18,19] [--jobs 2] [--recipes sft,grpo,...] [--out runs/lab] [--set PATH=VALUE]...
 *   npm run lab -- --report-only [--out runs/lab]
 *
 * `--report-only` runs nothing: it remakes the table, the plot and the README section from the
 * runs already in OUT (after a change to `roux compare`, or a lab cut short).
 *
 * `--set` is passed to every run (a shrunken lab for a smoke test: `--set rl.steps=2 steps`
 * reaches the recipes that have an `rl` stage). Side by side, runs get ROUX_THREADS=1 so that
 * they share the cores instead of fighting over them. Each run's output goes to
 * OUT/logs/<recipe>-s<seed>.log; a failed run is reported and the rest go on, and the table
 * shows what finished.
 */
import { spawn } from "node:child_process";
import { promises as fs } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { clock } from "../tui/clock.js";
import { replaceSection } from "./readme-section.js";

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "..", "..");
const ROUX = path.join(ROOT, "bin", "roux.js");
const DEFAULT_RECIPES = ["sft", "grpo", "prof", "pure", "sumform", "flagship"];

interface Job {
  recipe: string;
  seed: number;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seeds: { type: "string", default: "17,18,19" },
      jobs: { type: "string", default: "2" },
      recipes: { type: "string", default: DEFAULT_RECIPES.join(",") },
      out: { type: "string", default: "runs/lab" },
      set: { type: "string", multiple: true, default: [] },
      "report-only": { type: "boolean", default: false },
    },
  });
  const seeds = values.seeds.split(",").map(Number);
  const jobs = Number(values.jobs);
  if (!seeds.every(Number.isInteger) || !(Number.isInteger(jobs) && jobs >= 1)) {
    process.stderr.write("lab: --seeds takes whole numbers separated by commas, --jobs a whole number >= 1\n");
    return 2;
  }
  const out = path.resolve(values.out);
  await fs.mkdir(path.join(out, "logs"), { recursive: true });
  const reportOnly = values["report-only"] === true;
  const queue: Job[] = reportOnly ? [] : values.recipes.split(",").flatMap((recipe) => seeds.map((seed) => ({ recipe, seed })));
  const failed: string[] = [];
  const started = Date.now();
  const worker = async () => {
    for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
      const name = `${job.recipe}-s${job.seed}`;
      process.stderr.write(`lab: ${name} started\n`);
      const status = await roux(
        [
          "run",
          "--set",
          `run.seed=${job.seed}`,
          "--set",
          `run.out="${path.join(out, name)}"`,
          ...values.set.flatMap((s) => ["--set", s]),
          path.join(ROOT, "recipes", "arith", `${job.recipe}.recipe`),
        ],
        path.join(out, "logs", `${name}.log`),
        path.join(out, "logs", `${name}.log`),
        jobs > 1,
      );
      if (status !== 0) failed.push(name);
      process.stderr.write(`lab: ${name} ${status === 0 ? "done" : `failed (exit ${status}, see logs/${name}.log)`} at ${minutes(Date.now() - started)}\n`);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  const runs = await runDirectories(out);
  if (runs.length === 0) {
    process.stderr.write(`lab: no runs in ${out} to report on\n`);
    return 1;
  }
  const plots = path.join(ROOT, "docs", "lab");
  const table = path.join(out, "results.md");
  const status = await roux(["compare", "--group", "--format", "markdown", "--out", plots, ...runs], table, path.join(out, "logs", "compare.log"), false);
  if (status !== 0) {
    process.stderr.write(`lab: roux compare failed (exit ${status}); see logs/compare.log\n`);
    return 1;
  }
  const today = new Date().toISOString().slice(0, 10);
  const command = `npm run lab -- --seeds ${values.seeds}${values.set.map((x) => ` --set '${x}'`).join("")}`;
  const failures = failed.length > 0 ? `; failed: ${failed.join(", ")}` : "";
  const made = reportOnly
    ? `Remade by \`npm run lab -- --report-only\` on ${today} from ${runs.length} runs of \`npm run lab\`.`
    : `Made by \`${command}\` on ${today}, ${runs.length} runs in ${minutes(Date.now() - started)}${failures}.`;
  const section = [
    made,
    "",
    (await fs.readFile(table, "utf8")).trim(),
    "",
    "![eval accuracy, training reward, response length and steps per response of the lab's runs](docs/lab/compare.png)",
  ].join("\n");
  const readme = path.join(ROOT, "README.md");
  await fs.writeFile(readme, replaceSection(await fs.readFile(readme, "utf8"), "lab", section));
  process.stderr.write(`lab: results written to README.md and docs/lab/\n`);
  return failed.length > 0 ? 1 : 0;
}

/** Runs roux with its stdout into `stdout` and its stderr into `stderr` (may be the same file); resolves with its exit status. */
async function roux(args: string[], stdout: string, stderr: string, sideBySide: boolean): Promise<number> {
  const out = await fs.open(stdout, "w");
  const err = stderr === stdout ? out : await fs.open(stderr, "w");
  try {
    return await new Promise((resolve, reject) => {
      const env = sideBySide ? { ...process.env, ROUX_THREADS: "1" } : process.env;
      const child = spawn(process.execPath, [ROUX, ...args], { cwd: ROOT, env, stdio: ["ignore", out.fd, err.fd] });
      child.on("error", reject);
      child.on("close", (code) => resolve(code ?? 1));
    });
  } finally {
    await out.close();
    if (err !== out) await err.close();
  }
}

/** OUT/<name>/<run dir> for every run the lab made. */
async function runDirectories(out: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const name of (await fs.readdir(out)).sort()) {
    if (name === "logs" || name.endsWith(".md")) continue;
    for (const run of await fs.readdir(path.join(out, name))) dirs.push(path.join(out, name, run));
  }
  return dirs;
}

function minutes(ms: number): string {
  return clock(ms / 1000);
}

process.exitCode = await main();
