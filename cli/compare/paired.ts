/**
 * Paired differences between runs (docs/algorithms.md §10). Two runs pair when they share their
 * seed and their warm-up and their last evals answered the same problems:
 *   - the warm-up is the plan's first stage, with the policy it starts from and the datasets and
 *     reward sources it reads; its name and its eval block do not count, as they change nothing
 *     that it trains;
 *   - the same problems: the same eval data, prompt for prompt, in the same order.
 * Runs that pair start their later stages from the same policy, so the difference of their last
 * evals is what those stages did differently. Per figure, d_i is the difference on problem i
 * (run minus baseline: each run against each run named before it); a row gives the mean of d and
 * its paired standard error sd(d) / sqrt(N). Sampled accuracy and pass@k are compared only
 * between evals at the same temperature and k.
 *
 * Grouped (`--group`), each recipe is compared with each recipe named before it, seed by seed:
 * each run of the later recipe is paired with a run of the earlier one that it pairs with, and
 * a row gives the mean over those seeds of the per-seed mean differences, with its standard
 * error over the seeds, the spread a claim about the method (not about one seed) has to beat.
 */
import { canonicalJson } from "../../plan/canonical-json.js";
import { evalAccuracy } from "../../plan/eval-accuracy.js";
import type { Plan } from "../../plan/plan.js";
import { FIGURE_NAMES, meanSe, problemScores, type EvalSettings, type FigureName, type MeanSe, type ProblemScores } from "../../runtime/record/eval-figures.js";
import type { EvalEvent, RunLog } from "../../runtime/record/read-run.js";

export interface Paired {
  /** A run's name, or with `--group` a recipe. */
  readonly run: string;
  readonly baseline: string;
  /** What the standard errors are over: problems, or with `--group` seeds. */
  readonly n: number;
  readonly figures: Readonly<Partial<Record<FigureName, MeanSe>>>;
}

interface LastEval {
  readonly warmup: string;
  readonly data: string;
  readonly settings: EvalSettings;
  readonly scores: ProblemScores;
}

/** Every pair among `runs` (by run, or by recipe when grouped) that has a figure to compare. */
export function pairedDifferences(runs: readonly RunLog[], group: boolean): Paired[] {
  const evals = runs.map(lastEval);
  return group ? byRecipe(runs, evals) : byRun(runs, evals);
}

function byRun(runs: readonly RunLog[], evals: readonly (LastEval | undefined)[]): Paired[] {
  const rows: Paired[] = [];
  runs.forEach((run, j) => {
    runs.slice(0, j).forEach((baseline, i) => {
      const d = differences(evals[j], evals[i]);
      if (d !== undefined) rows.push({ run: run.name, baseline: baseline.name, n: d.problems, figures: mapFigures(d.figures, meanSe) });
    });
  });
  return rows;
}

function byRecipe(runs: readonly RunLog[], evals: readonly (LastEval | undefined)[]): Paired[] {
  const recipes = [...new Set(runs.map((r) => r.recipe))];
  const runsOf = (recipe: string) => runs.flatMap((run, i) => (run.recipe === recipe ? [i] : []));
  const rows: Paired[] = [];
  recipes.forEach((recipe, j) => {
    for (const baseline of recipes.slice(0, j)) {
      // Each baseline run pairs with one run of the recipe at most: one seed, one difference.
      const unused = runsOf(baseline);
      const perSeed: Partial<Record<FigureName, number[]>> = {};
      let seeds = 0;
      for (const i of runsOf(recipe)) {
        const at = unused.findIndex((b) => differences(evals[i], evals[b]) !== undefined);
        if (at < 0) continue;
        const d = differences(evals[i], evals[unused[at]!])!;
        unused.splice(at, 1);
        seeds++;
        for (const [name, values] of figureEntries(d.figures)) perSeed[name] = [...(perSeed[name] ?? []), meanSe(values).mean];
      }
      if (seeds > 0) rows.push({ run: recipe, baseline, n: seeds, figures: mapFigures(perSeed, meanSe) });
    }
  });
  return rows;
}

/** The last eval's accuracy per problem; undefined without an eval, an accuracy or its answers. */
function lastEval(run: RunLog): LastEval | undefined {
  const last = run.events.filter((e): e is EvalEvent => e.event === "eval").at(-1);
  if (last === undefined || run.lastAnswers === undefined) return undefined;
  const accuracy = evalAccuracy(run.plan, Object.keys(last.values));
  if (accuracy === undefined) return undefined;
  const settings = { temperature: last.temperature ?? 0, samples: last.samples ?? 1 };
  const scores = problemScores(run.lastAnswers, accuracy.source, settings);
  return scores && { warmup: warmupKey(run.plan), data: last.data, settings, scores };
}

/** The same text for runs that share their seed and warm-up. */
export function warmupKey(plan: Plan): string {
  const [first] = plan.stages;
  const datasets = new Set(first?.graph.flatMap((node) => ("data" in node ? [node.data] : node.op === "Expert" ? [node.expert.data] : [])));
  const rewards = new Set(first?.graph.flatMap((node) => (node.op === "Score" ? [node.reward] : [])));
  return canonicalJson({
    seed: plan.settings.seed,
    policy: plan.policy,
    stage: first && { ...first, name: undefined, eval: undefined },
    datasets: plan.datasets.filter((d) => datasets.has(d.name)),
    rewards: plan.rewards.filter((r) => rewards.has(r.name)),
  });
}

/** Per problem, `run` minus `baseline`, for each figure both have comparably; undefined when they do not pair. */
function differences(
  run: LastEval | undefined,
  baseline: LastEval | undefined,
): { problems: number; figures: Partial<Record<FigureName, number[]>> } | undefined {
  if (run === undefined || baseline === undefined || run.warmup !== baseline.warmup || run.data !== baseline.data) return undefined;
  const prompts = run.scores.prompts;
  if (prompts.length !== baseline.scores.prompts.length || prompts.some((p, i) => p !== baseline.scores.prompts[i])) return undefined;
  const sameDrawing = run.settings.temperature === baseline.settings.temperature && run.settings.samples === baseline.settings.samples;
  const figures: Partial<Record<FigureName, number[]>> = {};
  for (const name of FIGURE_NAMES) {
    const a = run.scores.figures[name];
    const b = baseline.scores.figures[name];
    if (a !== undefined && b !== undefined && (name === "greedy" || sameDrawing)) figures[name] = a.map((v, i) => v - b[i]!);
  }
  return { problems: prompts.length, figures };
}

function figureEntries<T>(figures: Partial<Record<FigureName, T>>): [FigureName, T][] {
  return FIGURE_NAMES.flatMap((name) => (figures[name] === undefined ? [] : [[name, figures[name]] as [FigureName, T]]));
}

function mapFigures<T, U>(figures: Partial<Record<FigureName, T>>, f: (value: T) => U): Partial<Record<FigureName, U>> {
  return Object.fromEntries(figureEntries(figures).map(([name, value]) => [name, f(value)]));
}
