/**
 * One run event as a sentence: a line of `roux run`'s plain output and an entry of the
 * terminal UI's log, so both say the same thing.
 */
import type { MeanSe } from "../runtime/record/eval-figures.js";
import type { RunEvent } from "../runtime/record/events.js";
import { clock } from "./clock.js";
import { fixed } from "./figures.js";

type EvalEvent = Extract<RunEvent, { event: "eval" }>;

export function eventLine(e: RunEvent): string {
  switch (e.event) {
    case "run_start":
      return `run ${e.recipe} ${e.hash.slice(0, 19)} -> ${e.dir} (training: ${e.backend}; sampling: ${e.sampler})`;
    case "resume":
      return (
        `resumed from ${e.checkpoint} (${e.from.stageName} step ${e.from.step})` +
        (e.droppedMetrics > 0 ? `; ${e.droppedMetrics} metrics lines after it will be computed again` : "")
      );
    case "stage_start":
      return `stage ${e.stage} (${e.kind}, ${e.steps} steps)`;
    case "stage_end":
      return `stage ${e.stage} done: ${e.steps} steps in ${clock(e.seconds)}`;
    case "eval":
      return `eval ${e.stage}@${e.step}: ${evalFigures(e)}`;
    case "checkpoint":
      return `checkpoint ${e.stage}@${e.step} -> ${e.file}`;
    case "warning":
      return `warning${e.stage ? ` ${e.stage}@${e.step}` : ""}: ${e.message}`;
    case "error":
      return `error${e.stage ? ` in stage ${e.stage}, step ${e.step}` : ""}: ${e.message}`;
    case "run_end":
      return `run ${e.status}`;
    case "stage_cached":
      return `stage ${e.stage} from the stage cache (${e.key.slice(0, 12)}), not trained again`;
    case "cache_wait":
      return `waiting for stage ${e.stage}: process ${e.pid} is computing it (stage cache ${e.key.slice(0, 12)})`;
    case "cache_rejected":
      return `warning: stage cache entry ${e.key.slice(0, 12)} (stage ${e.stage}) not used and removed: ${e.reason}`;
  }
}

/**
 * An eval's values and how they were drawn, as `roux eval` prints them too: each value, with its
 * standard error when it is an accuracy (docs/algorithms.md §10), and for an eval that samples
 * the greedy accuracy and pass@k beside it, e.g. `correct 0.417 ± 0.020 (greedy 0.520 ± 0.035,
 * pass@8 0.710 ± 0.032), steps 0.810 (test, 200 examples, 8 answers each at T 1)`.
 */
export function evalFigures(e: Pick<EvalEvent, "data" | "examples" | "values" | "temperature" | "samples" | "accuracy">): string {
  const sampling = e.temperature !== undefined && e.temperature > 0;
  const values = Object.entries(e.values).map(([label, v]) => {
    const figures = e.accuracy?.[label];
    const se = (sampling ? figures?.sampled : figures?.greedy)?.se;
    const beside = [
      ...(sampling && figures?.greedy ? [`greedy ${withSe(figures.greedy)}`] : []),
      ...(figures?.pass_at_k ? [`pass@${e.samples} ${withSe(figures.pass_at_k)}`] : []),
    ];
    return `${label} ${withSe({ mean: v, se: se ?? null })}${beside.length > 0 ? ` (${beside.join(", ")})` : ""}`;
  });
  const drawn = sampling ? `, ${e.samples === 1 ? "1 answer" : `${e.samples} answers`} each at T ${e.temperature}` : "";
  return `${values.join(", ")} (${e.data}, ${e.examples} examples${drawn})`;
}

/** A standard error in thousandths, as a spread is read: 0.004, not 4.0e-3. */
function withSe({ mean, se }: MeanSe): string {
  return se === null ? fixed(mean) : `${fixed(mean)} ± ${se.toFixed(3)}`;
}
