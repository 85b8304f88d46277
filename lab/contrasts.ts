/**
 * Each paper's finding, reproduced at the lab's scale as a head-to-head of two methods of one
 * task (lab/README.md "Findings"): the method the paper proposes against the one it improves on.
 * Both start from the same warm-up for each seed, so their difference is paired over the seeds,
 * and it is reported whichever way it goes: "shown" only beyond 2 standard errors.
 */
import { accuracy, METRICS, type Result } from "./lab-results.js";
import { formatPaired, paired, type Paired } from "./paired.js";

export interface Contrast {
  /** The paper's claim, in a few words. */
  readonly finding: string;
  readonly method: string;
  readonly against: string;
}

/** The markdown table of the contrasts whose two methods both have runs in `results`; nothing when none has. */
export function contrastTable(results: readonly Result[], contrasts: readonly Contrast[]): string[] {
  const k = results.find((r) => r.end.samples !== undefined)?.end.samples ?? 1;
  const lines = [
    '**The papers\' findings** (method minus the method it is compared with, points, paired over the seeds ± SE; "shown" beyond 2 SE; hacked steps: of the steps the PRM likes, the share step_check rejects)',
    "",
    `| finding | method − compared with | seeds | ${METRICS.map(([, title]) => title.replace("pass@k", `pass@${k}`)).join(" | ")} | hacked steps |`,
    `|---|---|---|${METRICS.map(() => "---|").join("")}---|`,
  ];
  for (const { finding, method, against } of contrasts) {
    const pairs = results.flatMap((r) => {
      const other =
        r.variant === method && r.arm === "method" ? results.find((o) => o.variant === against && o.arm === "method" && o.seed === r.seed) : undefined;
      return other === undefined ? [] : [[r, other] as const];
    });
    if (pairs.length === 0) continue;
    const over = (figure: (r: Result) => number | undefined): Paired =>
      paired(pairs.flatMap(([a, b]) => ((x, y) => (x === undefined || y === undefined ? [] : [x - y]))(figure(a), figure(b))));
    const cells = METRICS.map(([metric]) => formatPaired(over((r) => accuracy(r.end, metric))));
    lines.push(`| ${finding} | ${method} − ${against} | ${pairs.length} | ${cells.join(" | ")} | ${formatPaired(over((r) => r.hacked))} |`);
  }
  // No table at all for a task none of whose contrasts has both methods.
  return lines.length > 4 ? [...lines, ""] : [];
}
