import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it, vi } from "vitest";
import { App } from "./app.js";
import type { RunControl } from "./run-control.js";
import type { RunView } from "./run-state.js";
import { recordedModel } from "./testing.js";

afterEach(cleanup);

const RIGHT = "\u001B[C";
const LEFT = "\u001B[D";

/** Lets ink read the key and React render again, a few turns of the event loop later (no timeout). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

function control(detached = false): RunControl & { calls: string[] } {
  const calls: string[] = [];
  return { detached, calls, pause: () => calls.push("pause"), resume: () => calls.push("resume"), stop: () => calls.push("stop") };
}

async function app(view: RunView, owner?: RunControl) {
  const onLeave = vi.fn();
  const ui = render(<App view={view} control={owner} onLeave={onLeave} />);
  await settle();
  const press = async (key: string) => {
    ui.stdin.write(key);
    await settle();
  };
  const chartTitle = () =>
    ui
      .lastFrame()!
      .split("\n")
      .find((l) => /\(last \d+ (steps|evals)\)/.test(l));
  return { ...ui, onLeave, press, chartTitle };
}

describe("the run UI's keys", () => {
  it("switch the charted metric with the arrow keys, both ways and around", async () => {
    const ui = await app((await recordedModel()).view());
    expect(ui.chartTitle()).toMatch(/│ reward +0\.354 {2}\(last 12 steps\)/);
    await ui.press(RIGHT);
    expect(ui.chartTitle()).toMatch(/│ eval acc +0\.695 {2}\(last 3 evals\)/);
    await ui.press(LEFT);
    await ui.press(LEFT);
    expect(ui.chartTitle()).toMatch(/│ train +4\.4k tok\/s {2}\(last 12 steps\)/);
  });

  it("leave a run it only watches at q", async () => {
    const ui = await app((await recordedModel()).view());
    expect(ui.lastFrame()).not.toMatch(/p pause/);
    await ui.press("p");
    await ui.press("q");
    expect(ui.onLeave).toHaveBeenCalledWith("quit");
  });

  it("ask before leaving a run it owns, and stop it at y", async () => {
    const owner = control();
    const ui = await app((await recordedModel()).view(), owner);
    await ui.press("q");
    expect(ui.onLeave).not.toHaveBeenCalled();
    expect(ui.lastFrame()).toMatch(/stop the run\? .* y stop {2}n keep watching/);
    await ui.press("n");
    expect(ui.lastFrame()).not.toMatch(/stop the run\?/);
    await ui.press("q");
    await ui.press("y");
    expect(owner.calls).toEqual(["stop"]);
    expect(ui.lastFrame()).toMatch(/stopping after this step…/);
    expect(ui.onLeave).not.toHaveBeenCalled();
  });

  it("pause and resume a run it owns at p", async () => {
    const owner = control();
    const ui = await app((await recordedModel()).view(), owner);
    expect(ui.lastFrame()).toMatch(/q quit {2}p pause/);
    await ui.press("p");
    expect(owner.calls).toEqual(["pause"]);
    expect(ui.lastFrame()).toMatch(/paused {2}q quit {2}p resume/);
    expect(ui.lastFrame()).toMatch(/8% {2}0\.9 steps\/s {2}paused/);
    await ui.press("p");
    expect(owner.calls).toEqual(["pause", "resume"]);
    expect(ui.lastFrame()).toMatch(/eta 2:31/);
  });

  it("leave a detached run going at q, resumed if it was paused", async () => {
    const owner = control(true);
    const ui = await app((await recordedModel()).view(), owner);
    await ui.press("p");
    await ui.press("q");
    expect(owner.calls).toEqual(["pause", "resume"]);
    expect(ui.onLeave).toHaveBeenCalledWith("quit");
  });

  it("stop an owned run at Ctrl-C, and leave at a second one", async () => {
    const owner = control();
    const ui = await app((await recordedModel()).view(), owner);
    await ui.press("\u0003");
    expect(owner.calls).toEqual(["stop"]);
    await ui.press("\u0003");
    expect(ui.onLeave).toHaveBeenCalledWith("interrupt");
  });
});
