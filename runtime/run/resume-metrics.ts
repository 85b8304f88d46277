/**
 * metrics.jsonl cut back to the checkpoint a run resumes from: the lines of later steps are
 * dropped (the resumed run computes them again, identically). What the cut cannot mend is said,
 * not hidden: lines that are not records, and steps up to the checkpoint that have no line (a
 * truncated or missing file). Those steps are not trained again, so the record keeps the gap,
 * and the warnings name it; the run goes on from the checkpoint, which is what it can resume.
 */
import { existsSync } from "node:fs";
import { writeFileAtomic } from "../record/atomic-write.js";
import type { Position } from "../record/events.js";
import { rewriteJsonl } from "../record/jsonl-log.js";
import { METRICS_FILE } from "../record/layout.js";

export interface MetricsCut {
  /** Lines of steps after the checkpoint, dropped. */
  readonly dropped: number;
  readonly warnings: string[];
}

/** `stages` are the plan's in order, with their steps; `position` is the checkpoint's. */
export async function cutMetricsTo(file: string, stages: readonly { name: string; steps: number }[], position: Position): Promise<MetricsCut> {
  const warnings: string[] = [];
  if (!existsSync(file)) {
    warnings.push(`${METRICS_FILE} is missing; it is started again empty`);
    await writeFileAtomic(file, "");
  }
  const order = new Map(stages.map((s, i) => [s.name, i]));
  const seen = new Set<string>();
  const { dropped, badLines } = await rewriteJsonl(file, (record) => {
    const stage = order.get(String(record.stage)) ?? Infinity;
    const keep = stage < position.stage || (stage === position.stage && Number(record.step) <= position.step);
    if (keep) seen.add(`${record.stage}\u0000${record.step}`);
    return keep;
  });
  if (badLines.length > 0) warnings.push(`${METRICS_FILE}: dropped line ${badLines.join(", ")}, not a JSON object`);
  for (const [i, { name, steps }] of stages.slice(0, position.stage + 1).entries()) {
    const upTo = i === position.stage ? position.step : steps;
    const missing = ranges(Array.from({ length: upTo }, (_, s) => s + 1).filter((s) => !seen.has(`${name}\u0000${s}`)));
    if (missing.length > 0) {
      warnings.push(
        `${METRICS_FILE} has no line for stage \`${name}\` step ${missing.join(", ")}, before the checkpoint: those steps are not run again, so the record has a gap there`,
      );
    }
  }
  return { dropped, warnings };
}

/** Ascending step numbers as `4-15`, `20`. */
function ranges(steps: readonly number[]): string[] {
  const out: string[] = [];
  let start = steps[0];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    if (steps[i + 1] === step + 1) continue;
    out.push(start === step ? `${step}` : `${start}-${step}`);
    start = steps[i + 1];
  }
  return out;
}
