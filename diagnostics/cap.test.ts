import { describe, expect, it } from "vitest";
import { capPerFile, MAX_PER_FILE } from "./cap.js";
import { countBySeverity, diagnostic, type Diagnostic } from "./diagnostic.js";

const at = (file: string, line: number) => ({ file, start: { line, column: 1, offset: 0 }, end: { line, column: 2, offset: 1 } });
const errors = (file: string, count: number): Diagnostic[] =>
  Array.from({ length: count }, (_, i) => diagnostic("E0001", { expected: "a name", found: "`@`" }, at(file, i + 1)));
const warnings = (file: string, count: number): Diagnostic[] =>
  Array.from({ length: count }, (_, i) => diagnostic("W0001", { name: `x${i}` }, at(file, i + 1)));

describe("capPerFile", () => {
  it("keeps everything up to the cap", () => {
    const all = errors("a.recipe", MAX_PER_FILE);
    expect(capPerFile(all)).toEqual({ shown: all, omitted: new Map() });
  });

  it("keeps the first of each file in the order given and counts the rest by severity", () => {
    const a = [...errors("a.recipe", MAX_PER_FILE + 5), ...warnings("a.recipe", 2)];
    const b = errors("b.recipe", 3);
    const { shown, omitted } = capPerFile([...a, ...b]);
    expect(shown).toEqual([...a.slice(0, MAX_PER_FILE), ...b]);
    expect(omitted).toEqual(new Map([["a.recipe", { errors: 5, warnings: 2 }]]));
  });

  it("counts the errors a diagnostic stands for (`more`, what the front end counted but did not build) as omitted, shown or not", () => {
    const shownOne = errors("a.recipe", MAX_PER_FILE);
    shownOne[MAX_PER_FILE - 1] = { ...shownOne[MAX_PER_FILE - 1]!, more: 40 };
    expect(capPerFile(shownOne).omitted).toEqual(new Map([["a.recipe", { errors: 40, warnings: 0 }]]));
    const pastCap = [...errors("b.recipe", MAX_PER_FILE), { ...errors("b.recipe", 1)[0]!, more: 7 }];
    expect(capPerFile(pastCap).omitted).toEqual(new Map([["b.recipe", { errors: 8, warnings: 0 }]]));
    expect(countBySeverity(pastCap)).toEqual({ errors: MAX_PER_FILE + 8, warnings: 0 });
  });
});
