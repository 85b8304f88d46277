/**
 * `roux watch SWEEP_DIR`: follows a sweep, run by this or another process, going on, finished or
 * killed: each point's run directory as it appears (tui/sweep-row.ts), until every point has
 * ended, or the `roux sweep` running it is gone and no run is still going. Exit status 0 when
 * every point is done, 1 otherwise.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { POLL_MS } from "../../runtime/record/follow-run.js";
import { processAlive } from "../../runtime/record/status.js";
import { PointFollower, pendingRow, type SweepRow } from "../../tui/sweep-row.js";
import type { Io } from "../io.js";
import { sweepDisplay } from "./sweep-display.js";
import { pointRuns, readSweepRecord } from "./sweep-dir.js";

const ENDED: ReadonlySet<SweepRow["status"]> = new Set(["done", "failed", "stopped", "killed"]);

export async function watchSweep(io: Io, dir: string, shown: string, ui: boolean): Promise<number> {
  const record = await readSweepRecord(dir);
  const followers = new Map<string, PointFollower>();
  const display = await sweepDisplay(io, `sweep ${record.name} (${shown})`, { ui, footer: "q leave (the sweep goes on)" });
  let left: "quit" | "interrupt" | undefined;
  void display.left.then((how) => (left = how));
  let rows: SweepRow[] = [];
  try {
    for (;;) {
      for (const point of record.points) {
        if (followers.has(point.name)) continue;
        const run = (await pointRuns(dir, point.name)).at(-1);
        if (run !== undefined) followers.set(point.name, new PointFollower(point.name, run));
      }
      for (const follower of followers.values()) {
        await follower.poll();
        for (const note of follower.notes.splice(0)) display.log(note);
      }
      rows = record.points.map((p) => followers.get(p.name)?.row() ?? pendingRow(p.name));
      display.rows(rows);
      const live = rows.some((r) => !ENDED.has(r.status) && r.status !== "pending");
      if (rows.every((r) => ENDED.has(r.status)) || (!live && !processAlive(record.pid)) || left !== undefined) break;
      await sleep(POLL_MS);
    }
  } finally {
    await display.close();
  }
  if (left === "interrupt") return 130;
  return rows.every((r) => r.status === "done") ? 0 : 1;
}
