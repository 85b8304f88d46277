import { stripVTControlCharacters } from "node:util";
import { describe, expect, it } from "vitest";
import { diagnostic, type Diagnostic } from "./diagnostic.js";
import { MAX_PER_FILE } from "./cap.js";
import { MAX_LINE } from "./clip-line.js";
import { renderDiagnostic, renderDiagnostics } from "./render-text.js";
import { LineIndex, type Span } from "./span.js";

/** The span of `needle` inside the first occurrence of `context` (default: the needle itself). */
function locate(text: string, file: string, needle: string, context = needle): Span {
  const at = text.indexOf(context);
  const offset = text.indexOf(needle, at);
  if (at < 0 || offset < 0) throw new Error(`${needle} not in ${file}`);
  return new LineIndex(text).span(file, offset, offset + needle.length);
}

const plain = { color: false };

// Lines 9 and 14 hold the lines of the docs/language.md §7 example.
const BAD_FILE = "recipes/bad.recipe";
const BAD = [
  'recipe bad "min-form credit on an outcome reward"',
  "",
  'use "std/arith" as arith',
  "",
  "reward correct : outcome = arith.answer_match",
  "",
  "stage rl = grpo with {",
  "  data = arith.problems { count = 100 }",
  "  reward = correct",
  "  batch = 16",
  "  group = 8",
  "  steps = 200 steps",
  "  sample = { temperature = 1.0, max_tokens = 64 tokens }",
  "  credit = min_form(temperature = 0.1)",
  "}",
  "",
].join("\n");

const E3102 = diagnostic("E3102", { credit: "min-form" }, locate(BAD, BAD_FILE, "min_form(temperature = 0.1)"), {
  label: "needs a process or token reward",
  secondary: [
    {
      span: locate(BAD, BAD_FILE, "correct", "reward = correct"),
      message: "`correct` is an outcome reward (one value per response)",
    },
  ],
  notes: ["min_form takes the minimum over steps, so each step needs its own reward"],
  help: "use a process reward, e.g. `reward = renorm(process = prm, outcome = correct)`",
});

const E3102_TEXT = `error[E3102]: min-form credit assignment needs step-level rewards
  --> recipes/bad.recipe:14:12
   |
14 |   credit = min_form(temperature = 0.1)
   |            ^^^^^^^^^^^^^^^^^^^^^^^^^^^ needs a process or token reward
 9 |   reward = correct
   |            ------- \`correct\` is an outcome reward (one value per response)
   = note: min_form takes the minimum over steps, so each step needs its own reward
   = help: use a process reward, e.g. \`reward = renorm(process = prm, outcome = correct)\`
`;

describe("renderDiagnostic", () => {
  it("renders the docs/language.md §7 example exactly", () => {
    expect(renderDiagnostic(E3102, new Map([[BAD_FILE, BAD]]), plain)).toBe(E3102_TEXT);
  });

  it("takes the sources as a lookup function as well as a map", () => {
    expect(renderDiagnostic(E3102, (file) => (file === BAD_FILE ? BAD : undefined), plain)).toBe(E3102_TEXT);
  });

  // The E3104 example of docs/architecture.md "roux check", with `remove` at column 53.
  it("renders the E3104 example (PROF removing a whole group)", () => {
    const file = "bad.recipe";
    const lines = Array.from({ length: 22 }, () => "");
    lines[17] = "  group = 8";
    lines[20] = "  reward = prof(outcome = correct, process = steps, remove = 8)";
    const text = lines.join("\n");
    const d = diagnostic("E3104", { remove: 8, group: 8 }, locate(text, file, "remove = 8"), {
      label: "must be smaller than `group`",
      secondary: [{ span: locate(text, file, "group = 8"), message: "the group size is set here" }],
      help: "PROF keeps `group - remove` responses per prompt; try `remove = 4`",
    });
    expect(renderDiagnostic(d, new Map([[file, text]]), plain)).toBe(
      `error[E3104]: PROF removes 8 responses from groups of 8
  --> bad.recipe:21:53
   |
21 |   reward = prof(outcome = correct, process = steps, remove = 8)
   |                                                     ^^^^^^^^^^ must be smaller than \`group\`
18 |   group = 8
   |   --------- the group size is set here
   = help: PROF keeps \`group - remove\` responses per prompt; try \`remove = 4\`
`,
    );
  });

  it("renders a warning with its own headline", () => {
    const text = "let depth = 2..4\n";
    const d = diagnostic("W0001", { name: "depth" }, locate(text, "w.recipe", "depth"), { help: "remove it" });
    expect(renderDiagnostic(d, new Map([["w.recipe", text]]), plain)).toBe(
      `warning[W0001]: \`depth\` is declared but never used
 --> w.recipe:1:5
  |
1 | let depth = 2..4
  |     ^^^^^
  = help: remove it
`,
    );
  });

  it("sizes the gutter to the largest line number printed", () => {
    const text = `${"\n".repeat(99)}  reward = correct\n`;
    const secondary = new LineIndex(text).span("g.recipe", 0, 0);
    const d = diagnostic("E2101", { expected: "Int", found: "String" }, locate(text, "g.recipe", "correct"), {
      secondary: [{ span: secondary, message: "here" }],
    });
    expect(renderDiagnostic(d, new Map([["g.recipe", text]]), plain)).toBe(
      `error[E2101]: expected Int, found String
   --> g.recipe:100:12
    |
100 |   reward = correct
    |            ^^^^^^^
  1 |
    | - here
`,
    );
  });

  it("puts a single caret at a zero-width span at the end of the file", () => {
    const file = "eof.recipe";
    const text = "stage s = sft {\n";
    const eof = new LineIndex(text).span(file, text.length, text.length);
    const d = diagnostic("E0001", { expected: "`}`", found: "end of file" }, eof, { label: "expected `}` here" });
    expect(renderDiagnostic(d, new Map([[file, text]]), plain)).toBe(
      `error[E0001]: expected \`}\`, found end of file
 --> eof.recipe:2:1
  |
2 |
  | ^ expected \`}\` here
`,
    );
  });

  it("puts the caret just past the text when the file has no final newline", () => {
    const file = "eof.recipe";
    const text = "stage s = sft {";
    const eof = new LineIndex(text).span(file, text.length, text.length);
    const d = diagnostic("E0001", { expected: "`}`", found: "end of file" }, eof);
    expect(renderDiagnostic(d, new Map([[file, text]]), plain)).toBe(
      `error[E0001]: expected \`}\`, found end of file
 --> eof.recipe:1:16
  |
1 | stage s = sft {
  |                ^
`,
    );
  });

  it("underlines a multi-line span from its start to the end of its first line", () => {
    const file = "c.recipe";
    const text = "let a = 1 /* never\nclosed\n";
    const d = diagnostic("E0002", { what: "block comment" }, new LineIndex(text).span(file, 10, text.length), {
      label: "this comment is never closed",
    });
    expect(renderDiagnostic(d, new Map([[file, text]]), plain)).toBe(
      `error[E0002]: unterminated block comment
 --> c.recipe:1:11
  |
1 | let a = 1 /* never
  |           ^^^^^^^^ this comment is never closed
`,
    );
  });

  it("gives one caret to a multi-line span starting at the end of a line", () => {
    const file = "c.recipe";
    const text = "let a =\n  1\n";
    const d = diagnostic("E2101", { expected: "Int", found: "nothing" }, new LineIndex(text).span(file, 7, 11));
    expect(renderDiagnostic(d, new Map([[file, text]]), plain)).toContain("1 | let a =\n  |        ^\n");
  });

  it("draws a secondary span on the primary's line under the same source line", () => {
    const file = "p.recipe";
    const text = "  reward = prof(outcome = correct, process = steps, remove = 8)\n";
    const d = diagnostic("E3104", { remove: 8, group: 8 }, locate(text, file, "remove = 8"), {
      label: "must be smaller than `group`",
      secondary: [{ span: locate(text, file, "outcome = correct"), message: "filters this outcome" }],
    });
    expect(renderDiagnostic(d, new Map([[file, text]]), plain)).toBe(
      `error[E3104]: PROF removes 8 responses from groups of 8
 --> p.recipe:1:53
  |
1 |   reward = prof(outcome = correct, process = steps, remove = 8)
  |                 -----------------                   ^^^^^^^^^^ must be smaller than \`group\`
  |                 |
  |                 filters this outcome
`,
    );
  });

  it("gives a secondary span in another file its own --> line", () => {
    const main = 'use "./lib.recipe" as lib\nlet x = lib.y\n';
    const lib = "let y = 1\n";
    const d = diagnostic("E2101", { expected: "String", found: "Int" }, locate(main, "main.recipe", "lib.y"), {
      label: "used as a String",
      secondary: [{ span: locate(lib, "lib.recipe", "1"), message: "defined as an Int here" }],
    });
    const sources = new Map([
      ["main.recipe", main],
      ["lib.recipe", lib],
    ]);
    expect(renderDiagnostic(d, sources, plain)).toBe(
      `error[E2101]: expected String, found Int
 --> main.recipe:2:9
  |
2 | let x = lib.y
  |         ^^^^^ used as a String
 --> lib.recipe:1:9
  |
1 | let y = 1
  |         - defined as an Int here
`,
    );
  });

  it("prints the headline, --> line and labels when the file text is unknown", () => {
    expect(renderDiagnostic(E3102, new Map(), plain)).toBe(
      `error[E3102]: min-form credit assignment needs step-level rewards
  --> recipes/bad.recipe:14:12
   = needs a process or token reward
  --> recipes/bad.recipe:9:12
   = \`correct\` is an outcome reward (one value per response)
   = note: min_form takes the minimum over steps, so each step needs its own reward
   = help: use a process reward, e.g. \`reward = renorm(process = prm, outcome = correct)\`
`,
    );
  });

  it("shows a span past the end of a stale source text by location only", () => {
    const rendered = renderDiagnostic(E3102, new Map([[BAD_FILE, "recipe bad\n"]]), plain);
    expect(rendered).toContain("  --> recipes/bad.recipe:14:12\n   = needs a process or token reward\n");
    expect(rendered).not.toContain("|");
  });

  it("expands tabs the same way in the source line and under it", () => {
    const file = "t.recipe";
    const text = "\tcredit\t= min_form()\n";
    const d = diagnostic("E3102", { credit: "min-form" }, locate(text, file, "min_form()"), { label: "here" });
    const [source, underline] = renderDiagnostic(d, new Map([[file, text]]), plain)
      .split("\n")
      .slice(3, 5);
    expect(source).toBe("1 |     credit  = min_form()");
    expect(underline).toBe(`  | ${" ".repeat(14)}^^^^^^^^^^ here`);
    expect(underline?.indexOf("^")).toBe(source?.indexOf("min_form"));
  });

  it("shows control characters as symbols instead of sending them to the terminal", () => {
    const file = "x.recipe";
    const text = "let a = \x1b[31m\n";
    const d = diagnostic("E0001", { expected: "an expression", found: "`\\u{1b}`" }, locate(text, file, "\x1b"));
    expect(renderDiagnostic(d, new Map([[file, text]]), plain)).toContain("1 | let a = \u241b[31m\n  |         ^\n");
  });

  it("lines up the later lines of a multi-line note", () => {
    const d = diagnostic("E1102", { cycle: "a -> b -> a" }, E3102.span, { notes: ["first\nsecond"] });
    expect(renderDiagnostic(d, new Map(), plain)).toContain("   = note: first\n           second\n");
  });

  it("colours only when asked, and colour changes nothing but escapes", () => {
    const sources = new Map([[BAD_FILE, BAD]]);
    expect(renderDiagnostic(E3102, sources, plain)).not.toContain("\x1b");
    const coloured = renderDiagnostic(E3102, sources, { color: true });
    expect(stripVTControlCharacters(coloured)).toBe(E3102_TEXT);
    const lines = coloured.split("\n");
    expect(lines[0]).toBe("\x1b[1;31merror[E3102]\x1b[0m\x1b[1m: min-form credit assignment needs step-level rewards\x1b[0m");
    expect(lines[1]).toBe("  \x1b[1;34m-->\x1b[0m recipes/bad.recipe:14:12");
    expect(lines[4]).toBe(`\x1b[1;34m   |\x1b[0m ${" ".repeat(11)}\x1b[1;31m${"^".repeat(27)} needs a process or token reward\x1b[0m`);
    expect(lines[6]).toContain("\x1b[1;34m------- `correct` is an outcome reward");
  });

  it("colours a warning's headline and carets yellow", () => {
    const text = "let depth = 2..4\n";
    const d = diagnostic("W0001", { name: "depth" }, locate(text, "w.recipe", "depth"));
    const coloured = renderDiagnostic(d, new Map([["w.recipe", text]]), { color: true });
    expect(coloured.startsWith("\x1b[1;33mwarning[W0001]\x1b[0m")).toBe(true);
    expect(coloured).toContain("\x1b[1;33m^^^^^\x1b[0m");
  });
});

describe("renderDiagnostics", () => {
  it("renders each diagnostic in the order given, followed by a blank line", () => {
    const text = "let depth = 2..4\n";
    const warning: Diagnostic = diagnostic("W0001", { name: "depth" }, locate(text, "w.recipe", "depth"));
    const sources = new Map([
      [BAD_FILE, BAD],
      ["w.recipe", text],
    ]);
    const one = (d: Diagnostic) => renderDiagnostic(d, sources, plain);
    expect(renderDiagnostics([E3102, warning], sources, plain)).toBe(`${one(E3102)}\n${one(warning)}\n`);
    expect(renderDiagnostics([], sources, plain)).toBe("");
  });

  it("reads each file once", () => {
    let reads = 0;
    const lookup = (file: string) => {
      reads++;
      return file === BAD_FILE ? BAD : undefined;
    };
    renderDiagnostics([E3102, E3102], lookup, plain);
    expect(reads).toBe(1);
  });

  it("shows at most MAX_PER_FILE diagnostics of a file, then one line counting the rest", () => {
    const text = "let a = 1\n";
    const warning = diagnostic("W0001", { name: "a" }, locate(text, "w.recipe", "a"));
    const diagnostics = [...Array.from({ length: MAX_PER_FILE + 3 }, () => E3102), warning, warning];
    const sources = new Map([
      [BAD_FILE, BAD],
      ["w.recipe", text],
    ]);
    const rendered = renderDiagnostics(diagnostics, sources, plain);
    expect(rendered.match(/^error\[E3102\]/gm)).toHaveLength(MAX_PER_FILE);
    expect(rendered.match(/^warning\[W0001\]/gm)).toHaveLength(2);
    expect(rendered.endsWith(`and 3 more errors in ${BAD_FILE}\n\n`)).toBe(true);
  });
});

describe("a diagnostic on a very long line", () => {
  const text = `// ${"x".repeat(500_000)}@${"y".repeat(500_000)}\n`;
  const stray = diagnostic("E0001", { expected: "a name", found: "`@`" }, locate(text, "long.recipe", "@"), { label: "here" });

  it("prints a window of the line with the caret under the span", () => {
    const rendered = renderDiagnostic(stray, new Map([["long.recipe", text]]), plain);
    const lines = rendered.split("\n");
    for (const line of lines) expect(line.length).toBeLessThan(MAX_LINE + 20);
    const source = lines.find((line) => line.startsWith("1 | ")) ?? "";
    expect(source).toMatch(/^1 \| \.\.\.x+@y+\.\.\.$/);
    expect(lines[lines.indexOf(source) + 1]?.indexOf("^ here")).toBe(source.indexOf("@"));
  });
});
