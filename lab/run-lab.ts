/**
 * `npm run lab`: the arithmetic lab's results, from nothing to the README's table, with its
 * controls (lab/README.md "Controls"). For each seed it runs the warm-up (recipes/arith/sft.recipe)
 * once; then, each started from that warm-up's checkpoint (lab/fork-run.ts), every method's
 * recipe, the method's null control (the same recipe with `rl.control = shuffled_advantages`,
 * where its credit admits one: E3108) and the equal-compute SFT continuation (sft-more.recipe,
 * given as many steps as the methods' RL stage). `--jobs` runs go side by side. Then the table
 * (lab/lab-table.ts) and the plot (`roux compare`, docs/lab/compare.png) go into the README
 * between the `<!-- lab:begin -->` and `<!-- lab:end -->` markers.
 *
 *   npm run lab -- [--seeds 17,18,19] [--jobs 2] [--recipes grpo,prof,...] [--controls grpo,...]
 *                  [--rl-steps N] [--out runs/lab] [--set PATH=VALUE]... [--rl-set PATH=VALUE]...
 *                  [--readme README.md] [--plots docs/lab]
 *   npm run lab -- --report-only [--out runs/lab]
 *
 * `--controls` limits the null controls to the methods named (all that admit one by default).
 * `--rl-steps` sets the methods' RL stage (`rl.steps`) and the SFT continuation (`more.steps`)
 * alike, which is what keeps the continuation's compute equal to a method's. `--set` goes to
 * every recipe, so its path must be in all of them (`warmup.steps=2 steps`, a `test` dataset);
 * `--rl-set` only to the methods and their controls (`rl.batch=4`).
 * Side by side, runs get ROUX_THREADS=1 so that they share the cores instead of fighting over
 * them. Each run's output goes to OUT/logs/<name>.log; a failed run is reported and the rest go
 * on, and the table shows what finished. `--report-only` runs nothing: it remakes the table,
 * the plot and the README section from the runs already in OUT. `--readme` and `--plots` send
 * the section and the plot elsewhere (a smoke test leaves the repository's alone).
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import type { Plan } from "../plan/plan.js";
import { clock } from "../tui/clock.js";
import { keepFinished, SUPERSEDED } from "./finished-run.js";
import type { Contrast } from "./contrasts.js";
import { forkFromWarmup } from "./fork-run.js";
import { type Arm, runName } from "./lab-results.js";
import { labTable } from "./lab-table.js";
import { replaceSection } from "./readme-section.js";
import { ROOT, roux } from "./roux-process.js";

/**
 * A task of the lab (recipes/arith/README.md): a warm-up recipe, run once per seed, the methods
 * started from its checkpoint, its equal-compute SFT continuation, and the papers' findings set
 * as one method against another.
 */
interface Task {
  readonly title: string;
  readonly warmup: string;
  readonly sft: string;
  readonly methods: readonly string[];
  readonly contrasts: readonly Contrast[];
}

const TASKS: readonly Task[] = [
  {
    title: "Problems of 1 to 3 operators (demonstrations, RL prompts and test alike)",
    warmup: "sft",
    sft: "sft-more",
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
    warmup: "depth3-sft",
    sft: "depth3-sft-more",
    methods: ["depth3-grpo"],
    contrasts: [],
  },
];
const DEFAULT_RECIPES = TASKS.flatMap((t) => t.methods);

interface Job {
  recipe: string;
  arm: Arm;
  seed: number;
  /** The warm-up recipe whose run for this seed the job starts from (its own, for a warm-up). */
  warmup: string;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seeds: { type: "string", default: "17,18,19" },
      jobs: { type: "string", default: "2" },
      recipes: { type: "string", default: DEFAULT_RECIPES.join(",") },
      controls: { type: "string" },
      "rl-steps": { type: "string" },
      out: { type: "string", default: "runs/lab" },
      readme: { type: "string", default: path.join(ROOT, "README.md") },
      plots: { type: "string", default: path.join(ROOT, "docs", "lab") },
      set: { type: "string", multiple: true, default: [] },
      "rl-set": { type: "string", multiple: true, default: [] },
      "report-only": { type: "boolean", default: false },
    },
  });
  const seeds = values.seeds.split(",").map(Number);
  const jobs = Number(values.jobs);
  const rlSteps = values["rl-steps"] === undefined ? undefined : Number(values["rl-steps"]);
  if (!seeds.every(Number.isInteger) || !(Number.isInteger(jobs) && jobs >= 1) || !(rlSteps === undefined || (Number.isInteger(rlSteps) && rlSteps >= 1))) {
    process.stderr.write("lab: --seeds takes whole numbers separated by commas, --jobs and --rl-steps a whole number >= 1\n");
    return 2;
  }
  const methods = values.recipes.split(",");
  const unknown = methods.filter((m) => !DEFAULT_RECIPES.includes(m));
  if (unknown.length > 0) {
    process.stderr.write(`lab: --recipes takes methods of the lab (${DEFAULT_RECIPES.join(", ")}); not ${unknown.join(", ")}\n`);
    return 2;
  }
  // Each task with the methods asked for; a task none of whose methods is asked for is not run.
  const tasks = TASKS.map((t) => ({ ...t, methods: t.methods.filter((m) => methods.includes(m)) })).filter((t) => t.methods.length > 0);
  const controls = values.controls?.split(",") ?? methods;
  const out = path.resolve(values.out);
  const logs = path.join(out, "logs");
  await fs.mkdir(logs, { recursive: true });
  const failed: string[] = [];
  const started = Date.now();
  const log = (name: string, status: number) => {
    if (status !== 0) failed.push(name);
    process.stderr.write(
      `lab: ${name} ${status === 0 ? "done" : `failed (exit ${status}, see logs/${name}.log)`} at ${clock((Date.now() - started) / 1000)}\n`,
    );
  };
  const kept = (name: string): void => {
    process.stderr.write(`lab: ${name} kept: finished earlier with the same plan\n`);
  };
  const sideBySide = jobs > 1;

  /** The recipe's plan for this seed and arm, or undefined when the checker refuses it (its log says why). */
  const planOf = async (job: Job, name: string): Promise<Plan | undefined> => {
    const sets = [`run.seed=${job.seed}`, `run.out="${path.join(out, name)}"`, ...values.set];
    if (job.arm === "method" || job.arm === "control") sets.push(...values["rl-set"]);
    if (job.arm === "control") sets.push("rl.control=shuffled_advantages");
    if (rlSteps !== undefined && job.arm !== "warmup") sets.push(`${job.arm === "sft" ? "more" : "rl"}.steps=${rlSteps} steps`);
    const planFile = path.join(logs, `${name}.plan.json`);
    const status = await roux(
      ["plan", ...sets.flatMap((s) => ["--set", s]), path.join(ROOT, "recipes", "arith", `${job.recipe}.recipe`)],
      planFile,
      path.join(logs, `${name}.log`),
      false,
    );
    return status === 0 ? (JSON.parse(await fs.readFile(planFile, "utf8")) as Plan) : undefined;
  };
  const pool = async (queue: Job[], work: (job: Job) => Promise<void>) => {
    const worker = async () => {
      for (let job = queue.shift(); job !== undefined; job = queue.shift()) await work(job);
    };
    await Promise.all(Array.from({ length: jobs }, worker));
  };

  if (!values["report-only"]) {
    // The warm-ups first, one a seed: every other run starts from one of them.
    await pool(
      tasks.flatMap((t) => seeds.map((seed): Job => ({ recipe: t.warmup, arm: "warmup", seed, warmup: t.warmup }))),
      async (job) => {
        const name = runName(job.recipe, job.arm, job.seed);
        const plan = await planOf(job, name);
        if (plan !== undefined && (await keepFinished(out, path.join(out, name), plan)) !== undefined) return kept(name);
        process.stderr.write(`lab: ${name} started\n`);
        const planFile = path.join(logs, `${name}.plan.json`);
        log(name, plan === undefined ? 1 : await roux(["run", planFile], path.join(logs, `${name}.log`), path.join(logs, `${name}.log`), sideBySide));
      },
    );
    const queue: Job[] = tasks.flatMap((t) =>
      seeds.flatMap((seed) => [
        ...t.methods.map((recipe): Job => ({ recipe, arm: "method", seed, warmup: t.warmup })),
        ...t.methods.filter((m) => controls.includes(m)).map((recipe): Job => ({ recipe, arm: "control", seed, warmup: t.warmup })),
        { recipe: t.sft, arm: "sft", seed, warmup: t.warmup },
      ]),
    );
    await pool(queue, async (job) => {
      const name = runName(job.recipe, job.arm, job.seed);
      const warmup = runName(job.warmup, "warmup", job.seed);
      const warmupBase = path.join(out, warmup);
      const plan = await planOf(job, name);
      if (plan === undefined) {
        // A method whose credit has no null control (E3108) is left without one, as the table says.
        if (job.arm !== "control") log(name, 1);
        else process.stderr.write(`lab: ${name} skipped: the recipe admits no null control (logs/${name}.log)\n`);
        return;
      }
      if (failed.includes(warmup)) return log(name, 1);
      if ((await keepFinished(out, path.join(out, name), plan)) !== undefined) return kept(name);
      process.stderr.write(`lab: ${name} started\n`);
      const [warmupRun] = await fs.readdir(warmupBase);
      const dir = await forkFromWarmup(path.join(warmupBase, warmupRun ?? ""), plan, path.join(out, name));
      log(name, await roux(["resume", dir], path.join(logs, `${name}.log`), path.join(logs, `${name}.log`), sideBySide));
    });
  }

  const sections = await Promise.all(tasks.map(async (t) => `### ${t.title}\n\n${(await labTable(out, t.methods, t.sft, t.warmup, t.contrasts)).trim()}\n`));
  const table = sections.join("\n");
  await fs.writeFile(path.join(out, "results.md"), `${table}\n`);
  const runs = await runDirectories(out);
  const plots = path.resolve(values.plots);
  const status = await roux(["compare", "--format", "markdown", "--out", plots, ...runs], path.join(out, "compare.md"), path.join(logs, "compare.log"), false);
  if (status !== 0) process.stderr.write(`lab: roux compare failed (exit ${status}); see logs/compare.log\n`);
  const today = new Date().toISOString().slice(0, 10);
  const options = [
    `--seeds ${values.seeds}`,
    ...(values.recipes === DEFAULT_RECIPES.join(",") ? [] : [`--recipes ${values.recipes}`]),
    ...(values.controls === undefined ? [] : [`--controls ${values.controls}`]),
    ...(rlSteps === undefined ? [] : [`--rl-steps ${rlSteps}`]),
    ...values.set.map((x) => `--set '${x}'`),
    ...values["rl-set"].map((x) => `--rl-set '${x}'`),
  ];
  const failures = failed.length > 0 ? `; failed: ${failed.join(", ")}` : "";
  const made = values["report-only"]
    ? `Remade by \`npm run lab -- --report-only\` on ${today} from ${runs.length} runs of \`npm run lab\`.`
    : `Made by \`npm run lab -- ${options.join(" ")}\` on ${today}, ${runs.length} runs in ${clock((Date.now() - started) / 1000)}${failures}.`;
  const plot = "![eval accuracy, training reward, response length and steps per response of the lab's runs](docs/lab/compare.png)";
  const section = [made, "", table.trim(), ...(status === 0 ? ["", plot] : [])].join("\n");
  const readme = path.resolve(values.readme);
  await fs.writeFile(readme, replaceSection(await fs.readFile(readme, "utf8"), "lab", section));
  process.stderr.write(`lab: results written to ${readme}, ${path.join(out, "results.md")} and ${plots}\n`);
  return failed.length > 0 ? 1 : 0;
}

/** OUT/<name>/<run dir> for every run the lab made. */
async function runDirectories(out: string): Promise<string[]> {
  const dirs: string[] = [];
  for (const name of (await fs.readdir(out)).sort()) {
    if (name === "logs" || name === SUPERSEDED || name.endsWith(".md")) continue;
    for (const run of await fs.readdir(path.join(out, name))) dirs.push(path.join(out, name, run));
  }
  return dirs;
}

process.exitCode = await main();
