import { render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { cleanup } from "ink-testing-library";
import { METRICS } from "./metrics.js";
import { RunScreen, type ScreenProps } from "./run-screen.js";
import { RunModel, type RunView } from "./run-state.js";
import { recordedModel } from "./testing.js";

afterEach(cleanup);

function screen(view: RunView, props: Partial<ScreenProps> = {}): string {
  const metrics = METRICS.filter((m) => (view.series[m.key]?.length ?? 0) > 0);
  const { lastFrame } = render(
    <RunScreen view={view} metrics={metrics} selected={0} columns={80} rows={24} mode="watching" owned={false} paused={false} {...props} />,
  );
  return lastFrame() ?? "";
}

/** The panel's words without its borders and line breaks: a long status line may wrap. */
function words(lines: string[]): string {
  return lines
    .map((l) => l.replace(/^[│╭╰]|[│╮╯]$/g, "").trim())
    .join(" ")
    .replace(/\s+/g, " ");
}

/** The live panel: the frame from its top border on (the event log is printed above it). */
function panel(frame: string): string[] {
  const lines = frame.split("\n");
  return lines.slice(lines.findIndex((l) => l.startsWith("╭")));
}

describe("the run screen", () => {
  it("shows a run at 80x24: recipe, hash, timeline, progress, curves, and leaves rows for the log", async () => {
    const frame = screen((await recordedModel()).view());
    const lines = panel(frame);
    expect(lines[1]).toMatch(/arith_chord {2}sha256:9c7797… {2}runs\/arith_chord-20261203-114542/);
    expect(lines[2]).toMatch(/✔ lab\.warmup \(sft, 1200 steps, 3:51\) +▶ rl \(rl, 12\/150\)/);
    expect(lines[3]).toMatch(/rl █+░+ +8% {2}0\.9 steps\/s {2}eta 2:31/);
    for (const label of ["reward", "eval acc", "kl", "entropy", "keep", "mu", "loss", "rollout", "train"])
      expect(frame).toMatch(new RegExp(`│ .*${label} +[▁-█]+ +\\S`));
    expect(frame).toMatch(/eval acc +▁▅█ +0\.695/);
    expect(frame).toMatch(/rollout .* 11\.5k tok\/s/);
    expect(lines.at(-2)).toMatch(/q quit {2}←\/→ metric/);
    expect(lines.length).toBeLessThanOrEqual(24 - 4);
    for (const line of frame.split("\n")) expect([...line].length).toBeLessThanOrEqual(80);
    expect(frame).toMatch(/\d\d:\d\d:\d\d eval lab\.warmup@1200: correct 0\.695/);
  });

  it("fits a narrow terminal: one curve per row, nothing past the edge", async () => {
    const frame = screen((await recordedModel()).view(), { columns: 50 });
    const lines = panel(frame);
    for (const line of lines) expect([...line].length).toBeLessThanOrEqual(50);
    expect(lines.some((l) => /reward .* eval acc/.test(l))).toBe(false);
    expect(frame).toMatch(/▶ rl \(rl, 12\/150\)/);
    expect(frame).toMatch(/eta 2:31/);
  });

  it("gives a taller terminal a taller chart and a wider one longer bars", async () => {
    const view = (await recordedModel()).view();
    const small = panel(screen(view));
    const tall = panel(screen(view, { rows: 40 }));
    expect(tall.length).toBeGreaterThan(small.length);
    const bar = (lines: string[]) => lines.find((l) => l.includes("steps/s"))!.length;
    expect(bar(panel(screen(view, { columns: 100 })))).toBeGreaterThan(bar(small));
  });

  it("shows a run that failed: the error in the footer and in the log", async () => {
    const model = await recordedModel();
    model.event({ event: "error", time: 1796298590, stage: "rl", step: 13, node: "loss", message: "the loss is not finite (NaN)" });
    model.event({ event: "run_end", time: 1796298590, status: "failed" });
    const frame = screen(model.view());
    expect(frame).toMatch(/error in stage rl, step 13: the loss is not finite \(NaN\)/);
    expect(words(panel(frame))).toMatch(/run failed: the loss is not finite \(NaN\) q quit/);
  });

  it("says when the run's process is gone without finishing, and how to continue it", async () => {
    const model = await recordedModel();
    model.event({
      event: "resume",
      time: 1796298600,
      from: { stage: 1, stageName: "rl", step: 10 },
      checkpoint: "rl-000010.ckpt",
      droppedMetrics: 0,
      stages: [...model.view().stages],
      pid: 4242,
    });
    model.processGone(1796298601, "the run's process 4242 is gone");
    expect(words(panel(screen(model.view())))).toMatch(
      /the run's process 4242 is gone without finishing; roux resume runs\/arith_chord-20261203-114542 continues it/,
    );
  });

  it("draws the zero-signal share and dynamic sampling's refill rounds of a run that reports them", async () => {
    const model = await recordedModel();
    for (const step of [13, 14, 15]) {
      model.metrics({ stage: "rl", step, time: 1796298590 + step, reward: 0.5, zero_signal_frac: 0.25 * (step - 12), refill_rounds: step - 13 });
    }
    const frame = screen(model.view(), { columns: 120 });
    expect(frame).toMatch(/0-signal +[▁-█]+ +0\.750/);
    expect(frame).toMatch(/refills +[▁-█]+ +2\.00/);
  });

  it("waits for a run that has written nothing yet", () => {
    const frame = screen(new RunModel("runs/x").view());
    expect(frame).toMatch(/\(starting\)/);
    expect(frame).toMatch(/waiting for the first step/);
    expect(frame).toMatch(/waiting for the run to start/);
  });
});
