/**
 * Where `roux sweep` and `roux watch SWEEP_DIR` show a sweep: on a terminal its screen
 * (tui/show-sweep.tsx), otherwise plain lines on stdout, one when a point's status changes.
 */
import type { SweepRow } from "../../tui/sweep-row.js";
import type { SweepUi } from "../../tui/show-sweep.js";
import { stepText } from "../../tui/sweep-screen.js";
import type { Io } from "../io.js";

export interface SweepDisplay {
  rows(rows: readonly SweepRow[]): void;
  log(line: string): void;
  /** Settles when the user leaves the screen; never without one. */
  readonly left: Promise<"quit" | "interrupt">;
  close(): Promise<void>;
}

/** Lines of the sweep's log kept under the rows: the latest, as many as fit a small terminal. */
const LOG_LINES = 5;

export async function sweepDisplay(io: Io, title: string, options: { ui: boolean; footer: string }): Promise<SweepDisplay> {
  if (!options.ui) return plainDisplay(io);
  // ink and React load only for the screen, as for a run (cli/run/terminal-ui.ts).
  const { showSweep } = await import("../../tui/show-sweep.js");
  let rows: readonly SweepRow[] = [];
  const log: { id: number; line: string }[] = [];
  const ui: SweepUi = showSweep({ title, rows, log, footer: options.footer }, io.stdout as NodeJS.WriteStream, process.stdin);
  const redraw = () => ui.update({ title, rows, log: log.slice(-LOG_LINES), footer: options.footer });
  return {
    rows(next) {
      rows = next;
      redraw();
    },
    log(line) {
      log.push({ id: log.length, line });
      redraw();
    },
    left: ui.left,
    close: () => ui.close(),
  };
}

function plainDisplay(io: Io): SweepDisplay {
  const shown = new Map<string, string>();
  return {
    rows(rows) {
      for (const row of rows) {
        if (shown.get(row.name) === row.status) continue;
        shown.set(row.name, row.status);
        io.stdout.write(`${[row.name, row.status, stepText(row), row.metric ?? ""].filter((s) => s !== "").join("  ")}\n`);
      }
    },
    log: (line) => io.stdout.write(`${line}\n`),
    left: new Promise(() => {}),
    close: async () => {},
  };
}
