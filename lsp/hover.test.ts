import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { builtin } from "../compiler/builtins/shape.js";
import { RECORDS } from "../compiler/builtins/records.js";
import { lookupBuiltin } from "../compiler/builtins/table.js";
import { TASK_MEMBERS } from "../compiler/builtins/tasks.js";
import { T } from "../compiler/types.js";
import { REPO_ROOT } from "../test/recipes.js";
import { type Analysis, analyze } from "./analysis.js";
import { definitionAt } from "./definition.js";
import { hoverAt } from "./hover.js";
import { signature } from "./signature.js";

const FILE = path.join(REPO_ROOT, "recipes", "arith", "hover.recipe");

function analysisOf(text: string): Promise<Analysis> {
  const document = TextDocument.create(pathToFileURL(FILE).href, "roux", 1, text);
  return analyze(document, { env: {}, open: () => undefined, openUri: () => undefined });
}

/** The hover text with the cursor on the first character of the `nth` occurrence of `needle`. */
function hoverText(analysis: Analysis, needle: string, nth = 0): string | undefined {
  let offset = -1;
  for (let i = 0; i <= nth; i++) offset = analysis.text.indexOf(needle, offset + 1);
  const hover = hoverAt(analysis, offset);
  return hover && typeof hover.contents === "object" && "value" in hover.contents ? hover.contents.value : undefined;
}

const RECIPE = `use "std/arith" as arith

let steps_total = 2 * 150
let lr = cosine(1e-3 -> 1e-5, over = 300 steps)

reward correct : outcome = arith.answer_match

stage rl = grpo with {
  data = arith.problems { count = 100 }
  steps = 300 steps
  batch = steps_total - 284
  sample = { max_tokens = 64 tokens }
  reward = correct
  optimizer = adam { lr = lr }
}
`;

describe("hover", () => {
  it("shows a name's type as roux check --types does, at its declaration and at its uses", async () => {
    const analysis = await analysisOf(RECIPE);
    expect(hoverText(analysis, "steps_total")).toBe("```roux\nlet steps_total : Int = 300\n```");
    expect(hoverText(analysis, "steps_total", 1)).toBe("```roux\nlet steps_total : Int = 300\n```");
    expect(hoverText(analysis, "correct", 1)).toBe("```roux\nreward correct : Reward<outcome> in {0, 1}\n```");
  });

  it("shows the type of an expression the checker kept, and a field's parameter doc", async () => {
    const analysis = await analysisOf(RECIPE);
    expect(hoverText(analysis, "150")).toBe("```roux\nInt = 150\n```");
    expect(hoverText(analysis, "count")).toBe("```roux\ncount : Int = 100\n```\n\nhow many problems");
    expect(hoverText(analysis, "max_tokens")).toBe(
      `\`\`\`roux\nmax_tokens : Duration<tokens> = 64 tokens\n\`\`\`\n\n${RECORDS.sample.find((p) => p.name === "max_tokens")!.doc}`,
    );
    expect(hoverText(analysis, "over")).toBe(`\`\`\`roux\nover : Duration<steps> = 300 steps\n\`\`\`\n\n${lookupBuiltin("cosine")!.params[1]!.doc}`);
    expect(hoverText(analysis, "lr = lr")).toBe(`\`\`\`roux\nlr : Schedule\n\`\`\`\n\n${lookupBuiltin("adam")!.params[0]!.doc}`);
  });

  it("shows a built-in's signature and doc, a task member's, and a preset's declaration", async () => {
    const analysis = await analysisOf(RECIPE);
    const adam = lookupBuiltin("adam")!;
    expect(hoverText(analysis, "adam")).toBe(`\`\`\`roux\n${signature(adam)}\n\`\`\`\n\n${adam.doc}`);
    expect(hoverText(analysis, "problems")).toMatch(
      /^```roux\nproblems \{ count: Int, depth: Range = 2\.\.4, seed: Int = 0 \} -> Dataset\n```\n\nseeded arithmetic/,
    );
    expect(hoverText(analysis, "grpo")).toMatch(/^```roux\nstage grpo : Stage<rl>\n```\n\nfrom `std\/presets`$/);
    const arith = [...analysis.program!.modules.values()].find((m) => m.specifier === "std/arith")!;
    const members = arith.result!.declarations.size + TASK_MEMBERS.arith!.length;
    expect(hoverText(analysis, "arith", 1)).toBe(`\`\`\`roux\nuse "std/arith" as arith\n\`\`\`\n\n\`${arith.file}\`: ${members} members`);
  });

  it("tells a preset from a built-in of the same name by where the name stands", async () => {
    const analysis = await analysisOf(`use "std/arith" as arith
reward correct : outcome = arith.answer_match
stage r = rloo with {
  data = arith.problems { count = 100 }
  reward = correct
  advantage = rloo |> whiten
}
`);
    expect(hoverText(analysis, "rloo")).toMatch(/^```roux\nstage rloo : Stage<rl>\n```\n\nfrom `std\/presets`$/);
    expect(hoverText(analysis, "rloo", 1)).toBe(`\`\`\`roux\n${signature(lookupBuiltin("rloo")!)}\n\`\`\`\n\n${lookupBuiltin("rloo")!.doc}`);
  });
});

describe("signature", () => {
  it("puts positional parameters in parentheses and named ones in braces, with defaults as written", () => {
    const f = builtin(
      "f",
      "doc",
      T.int,
      [
        { name: "a", type: T.string, doc: "" },
        { name: "b", type: [T.int, T.float], default: { percent: 50 }, doc: "" },
        { name: "c", type: T.duration("steps"), default: { duration: 10, unit: "steps" }, doc: "" },
        { name: "d", type: T.string, optional: true, doc: "" },
      ],
      { positional: 1 },
    );
    expect(signature(f)).toBe("f(a: String) { b: Int | Float = 50%, c: Duration<steps> = 10 steps, d?: String } -> Int");
    expect(signature(builtin("g", "doc", T.model, [{ name: "x", type: T.int, doc: "" }]))).toBe("g(x: Int) -> Model");
    expect(signature(builtin("k", "doc", T.tokenizer))).toBe("k : Tokenizer");
  });
});

describe("definition", () => {
  it("goes from a use to the declaration in this file, and from a preset's name to std/presets", async () => {
    const analysis = await analysisOf(RECIPE);
    const at = (needle: string, nth = 0) => {
      let offset = -1;
      for (let i = 0; i <= nth; i++) offset = analysis.text.indexOf(needle, offset + 1);
      const found = definitionAt(analysis, offset);
      if (Array.isArray(found)) throw new Error("a name in a recipe has one definition");
      return found;
    };
    expect(at("lr }")).toEqual({ uri: analysis.uri, range: { start: { line: 3, character: 4 }, end: { line: 3, character: 6 } } });
    expect(at("grpo")?.uri).toBe(pathToFileURL(path.join(REPO_ROOT, "recipes/std/presets.recipe")).href);
    expect(at("arith", 1)?.uri).toBe(pathToFileURL(path.join(REPO_ROOT, "recipes/std/arith.recipe")).href);
    expect(at("adam")).toBeNull();
  });
});
