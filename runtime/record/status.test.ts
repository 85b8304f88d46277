import { describe, expect, it } from "vitest";
import type { RunEvent, StageSummary } from "./events.js";
import { afterEvent, afterWriterGone, hasEnded, runState, writerLiveness } from "./status.js";
import { deadPid } from "./testing.js";

const STAGES: StageSummary[] = [{ name: "rl", kind: "rl", steps: 10 }];
const start = (pid?: number): RunEvent => ({ event: "run_start", time: 0, recipe: "r", hash: "h", dir: "d", backend: "b", sampler: "s", stages: STAGES, pid });
const resume = (pid: number, stages: StageSummary[] = STAGES): RunEvent => ({
  event: "resume",
  time: 2,
  from: { stage: 0, stageName: "rl", step: 3 },
  checkpoint: "rl-000003.ckpt",
  droppedMetrics: 0,
  stages,
  pid,
});
const end = (status: "done" | "failed" | "stopped"): RunEvent => ({ event: "run_end", time: 1, status });
const error = (message: string): RunEvent => ({ event: "error", time: 1, message });

describe("a run's status", () => {
  it("is starting until the run_start, then running until the run_end says how it ended", () => {
    expect(runState([]).status).toBe("starting");
    expect(runState([start(7)])).toEqual({ status: "running", writer: 7, stages: STAGES, writerGone: false });
    for (const status of ["done", "failed", "stopped"] as const) {
      expect(runState([start(7), end(status)]).status).toBe(status);
      expect(hasEnded(status)).toBe(true);
    }
    expect(hasEnded("running")).toBe(false);
    expect(hasEnded("starting")).toBe(false);
  });

  it("keeps a failed run's error, and a resume starts an attempt of its own: running, its writer, its stages, no error", () => {
    const failed = runState([start(7), error("the loss is NaN"), end("failed")]);
    expect(failed).toMatchObject({ status: "failed", error: "the loss is NaN" });
    const later: StageSummary[] = [{ name: "rl", kind: "rl", steps: 12 }];
    const resumed = runState([start(7), error("the loss is NaN"), end("failed"), resume(8, later)]);
    expect(resumed).toEqual({ status: "running", writer: 8, stages: later, writerGone: false });
    expect(runState([start(7), end("stopped"), resume(8), end("done")]).status).toBe("done");
  });

  it("fails a run whose engines never loaded: its error and run_end come before any run_start", () => {
    expect(runState([error("no such dataset"), end("failed")])).toMatchObject({ status: "failed", error: "no such dataset" });
  });

  it("keeps a writer found gone until a resume names a new one", () => {
    const killed = afterWriterGone(runState([start(7)]));
    expect(killed).toMatchObject({ status: "running", writer: 7, writerGone: true });
    expect(afterEvent(killed, resume(8))).toMatchObject({ status: "running", writer: 8, writerGone: false });
  });

  it("tells a live writer from a gone one, and from a run that names none", async () => {
    expect(writerLiveness(runState([start(process.pid)]))).toBe("alive");
    expect(writerLiveness(runState([start(await deadPid())]))).toBe("gone");
    expect(writerLiveness(runState([start()]))).toBe("unnamed");
    expect(writerLiveness(runState([]))).toBe("unnamed");
  });
});
