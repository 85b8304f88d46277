/**
 * One run event as a sentence: a line of `roux run`'s plain output and an entry of the
 * terminal UI's log, so both say the same thing.
 */
import type { RunEvent } from "../runtime/record/events.js";
import { clock } from "./clock.js";
import { fixed } from "./figures.js";

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
    case "eval": {
      const values = Object.entries(e.values).map(([label, v]) => `${label} ${fixed(v)}`);
      return `eval ${e.stage}@${e.step}: ${values.join(", ")} (${e.data}, ${e.examples} examples)`;
    }
    case "checkpoint":
      return `checkpoint ${e.stage}@${e.step} -> ${e.file}`;
    case "warning":
      return `warning${e.stage ? ` ${e.stage}@${e.step}` : ""}: ${e.message}`;
    case "error":
      return `error${e.stage ? ` in stage ${e.stage}, step ${e.step}` : ""}: ${e.message}`;
    case "run_end":
      return `run ${e.status}`;
  }
}
