import { describe, expect, it } from "vitest";
import { MAX_PER_FILE } from "./cap.js";
import { diagnostic } from "./diagnostic.js";
import { jsonReport, renderJson } from "./render-json.js";
import { LineIndex } from "./span.js";

const text = "stage rl = grpo with {\n  reward = correct\n  credit = min_form()\n}\n";
const lines = new LineIndex(text);
const at = (needle: string) => {
  const offset = text.indexOf(needle);
  return lines.span("bad.recipe", offset, offset + needle.length);
};

const error = diagnostic("E3102", { credit: "min-form" }, at("min_form()"), {
  label: "needs a process or token reward",
  secondary: [{ span: at("correct"), message: "an outcome reward" }],
  notes: ["a note"],
  help: "use a process reward",
});
const warning = diagnostic("W0001", { name: "x" }, lines.span("bad.recipe", text.length, text.length));

describe("jsonReport", () => {
  it("gives counts and every field of each diagnostic, with 1-based exclusive ends", () => {
    expect(jsonReport([error, warning])).toEqual({
      errors: 1,
      warnings: 1,
      diagnostics: [
        {
          code: "E3102",
          severity: "error",
          message: "min-form credit assignment needs step-level rewards",
          file: "bad.recipe",
          line: 3,
          column: 12,
          endLine: 3,
          endColumn: 22,
          label: "needs a process or token reward",
          notes: ["a note"],
          help: "use a process reward",
          secondary: [{ file: "bad.recipe", line: 2, column: 12, endLine: 2, endColumn: 19, label: "an outcome reward" }],
        },
        {
          code: "W0001",
          severity: "warning",
          message: "`x` is declared but never used",
          file: "bad.recipe",
          line: 5,
          column: 1,
          endLine: 5,
          endColumn: 1,
          label: null,
          notes: [],
          help: null,
          secondary: [],
        },
      ],
      omitted: 0,
    });
  });

  it("lists at most MAX_PER_FILE diagnostics of a file, counts all and says how many it left out", () => {
    const report = jsonReport([...Array.from({ length: MAX_PER_FILE + 7 }, () => error), warning]);
    expect(report.errors).toBe(MAX_PER_FILE + 7);
    expect(report.warnings).toBe(1);
    expect(report.diagnostics).toHaveLength(MAX_PER_FILE);
    expect(report.omitted).toBe(8);
  });

  it("keeps a stable key order", () => {
    const report = jsonReport([error]);
    expect(Object.keys(report)).toEqual(["errors", "warnings", "diagnostics", "omitted"]);
    expect(Object.keys(report.diagnostics[0] ?? {})).toEqual([
      "code",
      "severity",
      "message",
      "file",
      "line",
      "column",
      "endLine",
      "endColumn",
      "label",
      "notes",
      "help",
      "secondary",
    ]);
    expect(Object.keys(report.diagnostics[0]?.secondary[0] ?? {})).toEqual(["file", "line", "column", "endLine", "endColumn", "label"]);
  });
});

describe("renderJson", () => {
  it("prints the report as indented JSON ending with a newline", () => {
    const rendered = renderJson([error]);
    expect(rendered.endsWith("}\n")).toBe(true);
    expect(rendered.startsWith('{\n  "errors": 1,\n  "warnings": 0,\n  "diagnostics": [\n')).toBe(true);
    expect(JSON.parse(rendered)).toEqual(jsonReport([error]));
  });

  it("prints an empty report for no diagnostics", () => {
    expect(renderJson([])).toBe('{\n  "errors": 0,\n  "warnings": 0,\n  "diagnostics": [],\n  "omitted": 0\n}\n');
  });
});
