import { cleanup, render } from "ink-testing-library";
import { afterEach, describe, expect, it } from "vitest";
import { pendingRow } from "./sweep-row.js";
import { SweepScreen } from "./sweep-screen.js";

afterEach(cleanup);

describe("the sweep screen", () => {
  it("shows a line per point with its status, steps and metric, the done count, and the latest log lines", () => {
    const { lastFrame } = render(
      <SweepScreen
        title="sweep lab"
        rows={[
          { name: "grpo-seed=17", status: "done", step: 40, total: 40, metric: "reward 0.625", stagesEnded: 2 },
          { name: "grpo_null-seed=17", status: "running", step: 12, total: 40, metric: "reward 0.250", stagesEnded: 1 },
          pendingRow("grpo-seed=18"),
        ]}
        log={[{ id: 0, line: "grpo-seed=17: done" }]}
        footer="q leave"
      />,
    );
    const lines = (lastFrame() ?? "").split("\n");
    expect(lines[0]).toBe("sweep lab  1/3 done");
    expect(lines[1]).toMatch(/^grpo-seed=17 +done +40\/40 +reward 0\.625$/);
    expect(lines[2]).toMatch(/^grpo_null-seed=17 +running +12\/40 +reward 0\.250$/);
    expect(lines[3]).toMatch(/^grpo-seed=18 +pending\s*$/);
    expect(lines[4]).toBe("grpo-seed=17: done");
    expect(lines[5]).toBe("q leave");
  });
});
