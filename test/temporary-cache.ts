/**
 * Set up before every test file (vitest.config.ts): ROUX_CACHE is a temporary folder, a fresh one
 * for each test, so that no test reads or fills the user's ~/.cache/roux (the registry's modules,
 * the stage cache) and no test finds the stages another test trained. runCli passes it on to the
 * commands it runs; processes a test starts inherit it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach } from "vitest";

const root = mkdtempSync(path.join(os.tmpdir(), "roux-cache-"));
let tests = 0;
// For the file's beforeAll hooks, which run before any beforeEach.
process.env.ROUX_CACHE = path.join(root, "file");

beforeEach(() => {
  process.env.ROUX_CACHE = path.join(root, `test-${++tests}`);
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});
