import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkForTarget } from "../compiler/export/testing.js";
import { EXPORT_TARGETS } from "../compiler/export/engines.js";
import { HUB_MATH_FILE, HUB_MATH_ROWS, hubMathJsonl } from "./hub-data.js";
import { recipeFiles, REPO_ROOT } from "./recipes.js";

describe("the hub recipes' data", () => {
  it("is what test/hub-data.ts writes (UPDATE_GOLDEN=1 writes it)", () => {
    const file = path.join(REPO_ROOT, HUB_MATH_FILE);
    if (process.env.UPDATE_GOLDEN) writeFileSync(file, hubMathJsonl());
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, "utf8")).toBe(hubMathJsonl());
  });

  it("fills a step of every hub recipe on every engine that runs it", () => {
    const rows = readFileSync(path.join(REPO_ROOT, HUB_MATH_FILE), "utf8").trimEnd().split("\n");
    expect(rows).toHaveLength(HUB_MATH_ROWS);
    for (const row of rows) {
      const { question, answer, solution } = JSON.parse(row) as Record<string, string>;
      expect(solution?.split("\n").at(-1), question).toBe(`answer: ${answer}`);
    }
    for (const { file } of recipeFiles(path.join(REPO_ROOT, "recipes/hub"))) {
      for (const target of EXPORT_TARGETS) {
        const codes = checkForTarget(file, target).diagnostics.map((d) => d.code);
        expect(codes, `${file} for ${target}`).not.toContain("E3203");
      }
    }
  });
});
