/**
 * A duration for a person: m:ss, or h:mm:ss from an hour (negative counts as 0). The one
 * duration format of every `roux` output: the terminal UI, plain progress, `roux runs`,
 * `roux compare`, `roux cost` and the lab. It imports nothing, so the CLI takes it from here
 * without loading the UI.
 */
export function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const mmss = `${Math.floor((s % 3600) / 60)}:${String(s % 60).padStart(2, "0")}`;
  return s >= 3600 ? `${Math.floor(s / 3600)}:${mmss.padStart(5, "0")}` : mmss;
}
