/**
 * A run's wall-clock time in its stages: the `seconds` of each stage_end, plus, for a stretch
 * of a stage that never reached its stage_end (the run is still in it, or was stopped, failed
 * or killed), the time from its start to where it stopped: the run_end, or else the last record
 * written before the run was resumed, or the last record of all. Ending at a record rather than
 * now keeps a killed run's clock from running on. A resumed stage's stage_end counts from the
 * resume (runner.ts), so the stretch before the kill is counted on its own. A stage taken from
 * the stage cache (`stage_cached`) took no time in this run: its copied events are not counted.
 */
import type { LoggedEvent } from "../../runtime/record/read-run.js";
import type { MetricsRecord } from "../../runtime/record/events.js";

export function wallSeconds(events: readonly LoggedEvent[], metrics: readonly MetricsRecord[]): number {
  const cached = new Set(events.flatMap((e) => (e.event === "stage_cached" ? [e.stage] : [])));
  const times = [...events, ...metrics].map((r) => r.time);
  let total = 0;
  let open: number | undefined;
  const close = (end: number) => {
    if (open !== undefined) total += Math.max(0, end - open);
    open = undefined;
  };
  // A reduce, not Math.max(...times): a long run has more records than a call has arguments.
  const latest = (limit: number) => times.reduce((last, t) => (t < limit && t > last ? t : last), open ?? -Infinity);
  for (const event of events) {
    if ((event.event === "stage_start" || event.event === "stage_end") && cached.has(event.stage)) continue;
    if (event.event === "stage_start") open = event.time;
    if (event.event === "stage_end") {
      total += event.seconds;
      open = undefined;
    }
    if (event.event === "resume") {
      close(latest(event.time));
      // Resumed mid-stage, the stage goes on from here; at a stage boundary a stage_start follows.
      open = event.time;
    }
    if (event.event === "run_end") close(event.time);
  }
  close(latest(Infinity));
  return total;
}
