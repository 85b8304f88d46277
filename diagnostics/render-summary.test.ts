import { describe, expect, it } from "vitest";
import { diagnostic } from "./diagnostic.js";
import { plural, renderSummary } from "./render-summary.js";
import { LineIndex } from "./span.js";

const span = new LineIndex("let a = 1\n").span("bad.recipe", 4, 5);
const error = diagnostic("E1101", { name: "a" }, span);
const warning = diagnostic("W0001", { name: "a" }, span);
const plain = { color: false };

describe("renderSummary", () => {
  it('leads with error when there are errors (the line docs/architecture.md "roux check" shows)', () => {
    expect(renderSummary([error], ["bad.recipe"], plain)).toBe("error: 1 error, 0 warnings in bad.recipe\n");
  });

  it("pluralises each count on its own", () => {
    expect(renderSummary([error, error, warning], ["bad.recipe"], plain)).toBe("error: 2 errors, 1 warning in bad.recipe\n");
  });

  it("leads with warning when there are only warnings", () => {
    expect(renderSummary([warning, warning], ["bad.recipe"], plain)).toBe("warning: 0 errors, 2 warnings in bad.recipe\n");
  });

  it("counts files when several were checked", () => {
    expect(renderSummary([error], ["a.recipe", "b.recipe", "c.recipe"], plain)).toBe("error: 1 error, 0 warnings in 3 files\n");
  });

  it("is just the counts when there is nothing to report", () => {
    expect(renderSummary([], ["a.recipe"], plain)).toBe("0 errors, 0 warnings in a.recipe\n");
  });

  it("colours the severity and makes the rest bold when asked", () => {
    expect(renderSummary([error], ["bad.recipe"], { color: true })).toBe("\x1b[1;31merror\x1b[0m\x1b[1m: 1 error, 0 warnings in bad.recipe\x1b[0m\n");
  });
});

describe("plural", () => {
  it("adds an s to every count but one", () => {
    expect([0, 1, 2].map((n) => plural(n, "file"))).toEqual(["0 files", "1 file", "2 files"]);
  });
});
