/**
 * Golden tests for the language: every `.recipe` (and `.sweep`) under test/golden/ is checked with
 * `roux check` (with the options its first line names, as `// roux check --target verl`) and its
 * rendered output must equal the `.err` file beside it (empty for a recipe that checks clean).
 * The timing in the success line is replaced by `(N ms)`.
 * `UPDATE_GOLDEN=1 npx vitest run test/golden.test.ts` rewrites the expectations; review the diff.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { recipeFiles, REPO_ROOT } from "./recipes.js";
import { checkOptions, runCli } from "./run-cli.js";

/** Registry modules in a case folder's `cache/` are what `roux pull` would have cached, not cases. */
const cases = recipeFiles(path.join(REPO_ROOT, "test/golden"), [".recipe", ".sweep"]).filter(({ file }) => !file.split(path.sep).includes("cache"));

describe("golden diagnostics", () => {
  it("has cases", () => expect(cases.length).toBeGreaterThan(0));

  for (const { file } of cases) {
    it(file, async () => {
      const cache = path.join(REPO_ROOT, path.dirname(file), "cache");
      // The registry cache is found through the environment.
      const result = await runCli(["check", ...checkOptions(readFileSync(path.join(REPO_ROOT, file), "utf8")), file], {
        ROUX_CACHE: existsSync(cache) ? cache : path.join(REPO_ROOT, "test/golden/no-cache"),
      });
      const actual = result.stderr.replace(/\(\d+ ms\)/g, "(N ms)");
      const expectedFile = path.join(REPO_ROOT, file.replace(/\.(recipe|sweep)$/, ".err"));
      if (process.env.UPDATE_GOLDEN) writeFileSync(expectedFile, actual);
      expect(existsSync(expectedFile), `${expectedFile} is missing (run with UPDATE_GOLDEN=1)`).toBe(true);
      expect(actual).toBe(readFileSync(expectedFile, "utf8"));
      const code = path.basename(path.dirname(file));
      // A case in a folder named for a code must trigger that code; `ok` cases must check clean.
      if (/^[EW]\d{4}$/.test(code)) expect(actual).toContain(`[${code}]`);
      if (code === "ok") expect(result.status).toBe(0);
      else if (code.startsWith("E")) expect(result.status).toBe(1);
    });
  }
});
