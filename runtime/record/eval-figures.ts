/**
 * An eval's accuracy figures (docs/algorithms.md §10), from its answers: per problem (a prompt
 * of the eval data) the greedy answer's score, the mean score of the answers sampled at the
 * eval's temperature, and pass@k over them; over the problems, each figure's mean with the
 * standard error of that mean. The runtime reports them from the answers it writes and
 * `roux compare` pairs runs problem by problem from the answers it reads back, so both take
 * them from here.
 */
import type { RewardSource } from "../../plan/plan.js";
import type { EvalAnswer } from "./events.js";

/** A mean over problems and its standard error; null where fewer than 2 problems give no spread. */
export interface MeanSe {
  readonly mean: number;
  readonly se: number | null;
}

export const FIGURE_NAMES = ["greedy", "sampled", "pass_at_k"] as const;
export type FigureName = (typeof FIGURE_NAMES)[number];

/** One accuracy's figures: `greedy` always, `sampled` when the eval samples, `pass_at_k` when it samples k > 1 answers. */
export type AccuracyFigures = Readonly<Partial<Record<FigureName, MeanSe>>>;

/** The eval's settings the figures depend on (its block, or its event). */
export interface EvalSettings {
  readonly temperature: number;
  readonly samples: number;
}

/** Per problem, in the order of the eval data: its prompt and its value of each figure. */
export interface ProblemScores {
  readonly prompts: readonly string[];
  readonly figures: Readonly<Partial<Record<FigureName, readonly number[]>>>;
}

/** The mean and its standard error s / sqrt(N), with s the sample standard deviation (N - 1). */
export function meanSe(values: readonly number[]): MeanSe {
  const n = values.length;
  const mean = values.reduce((sum, v) => sum + v, 0) / n;
  if (n < 2) return { mean, se: null };
  const variance = values.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  return { mean, se: Math.sqrt(variance / n) };
}

/**
 * The unbiased estimate of pass@k from n samples of which c are right: 1 - C(n-c, k) / C(n, k),
 * the chance that k drawn without replacement from the n include a right one. Computed as
 * 1 - prod_{i = n-c+1..n} (1 - k / i), which never forms the binomials (they overflow for large n).
 */
export function passAtK(n: number, c: number, k: number): number {
  if (!(Number.isInteger(n) && Number.isInteger(c) && Number.isInteger(k) && k >= 1 && k <= n && c >= 0 && c <= n)) {
    throw new Error(`pass@k needs whole numbers 1 <= k <= n and 0 <= c <= n, got n = ${n}, c = ${c}, k = ${k}`);
  }
  if (n - c < k) return 1;
  let miss = 1;
  for (let i = n - c + 1; i <= n; i++) miss *= 1 - k / i;
  return 1 - miss;
}

/**
 * Each problem's figures for a binary outcome `source`: an answer is right when it scores the
 * source's top value. Greedy answers are those at temperature 0; when the eval itself is greedy
 * there are no sampled figures. A problem without its greedy answer or its k sampled ones, and
 * an answer without its problem, temperature or score (a file written otherwise), are left out;
 * undefined when no problem is left.
 */
export function problemScores(answers: readonly Partial<EvalAnswer>[], source: RewardSource, settings: EvalSettings): ProblemScores | undefined {
  const problems = new Map<number, { prompt: string; greedy: number[]; sampled: number[] }>();
  for (const answer of answers) {
    const score = answer.rewards?.[source.name]?.[0];
    if (answer.problem === undefined || answer.temperature === undefined || answer.prompt === undefined || score === undefined) continue;
    const problem = problems.get(answer.problem) ?? { prompt: answer.prompt, greedy: [], sampled: [] };
    problems.set(answer.problem, problem);
    (answer.temperature === 0 ? problem.greedy : problem.sampled).push(score === source.range.hi ? 1 : 0);
  }
  const sampling = settings.temperature > 0;
  const complete = [...problems]
    .filter(([, p]) => p.greedy.length > 0 && (!sampling || p.sampled.length >= settings.samples))
    .sort(([a], [b]) => a - b)
    .map(([, p]) => p);
  if (complete.length === 0) return undefined;
  const mean = (rights: readonly number[]) => rights.reduce((sum, r) => sum + r, 0) / rights.length;
  return {
    prompts: complete.map((p) => p.prompt),
    figures: {
      greedy: complete.map((p) => mean(p.greedy)),
      ...(sampling ? { sampled: complete.map((p) => mean(p.sampled)) } : {}),
      ...(sampling && settings.samples > 1
        ? { pass_at_k: complete.map((p) => passAtK(p.sampled.length, p.sampled.filter((r) => r === 1).length, settings.samples)) }
        : {}),
    },
  };
}

/** The figures' means over the problems, with their standard errors. */
export function accuracyFigures(scores: ProblemScores): AccuracyFigures {
  return Object.fromEntries(FIGURE_NAMES.flatMap((name) => (scores.figures[name] ? [[name, meanSe(scores.figures[name])]] : [])));
}
