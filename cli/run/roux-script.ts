/** The `roux` script this process runs: a run's own process (own-run.ts) and a sweep's runs are the same roux. */
export function rouxScript(what: string): string {
  // Only `node -e` or a REPL runs no script.
  const roux = process.argv[1];
  if (roux === undefined) throw new Error(`this process runs no script, so it cannot start ${what}`);
  return roux;
}
