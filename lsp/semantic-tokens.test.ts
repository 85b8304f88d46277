import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { TextDocument } from "vscode-languageserver-textdocument";
import { REPO_ROOT } from "../test/recipes.js";
import { analyze } from "./analysis.js";
import { SEMANTIC_LEGEND, semanticTokens } from "./semantic-tokens.js";

const FILE = path.join(REPO_ROOT, "recipes/arith/flagship.recipe");
const flagship = readFileSync(FILE, "utf8");

interface Decoded {
  text: string;
  line: number;
  type: string;
  modifiers: string[];
}

/** The tokens as an editor decodes the protocol's relative encoding, with the text each covers. */
async function decoded(text: string): Promise<Decoded[]> {
  const analysis = await analyze(TextDocument.create(pathToFileURL(FILE).href, "roux", 1, text), { env: {}, open: () => undefined, openUri: () => undefined });
  const lines = text.split(/\r\n|\r|\n/);
  const { data } = semanticTokens(analysis);
  const out: Decoded[] = [];
  let [line, char] = [0, 0];
  for (let i = 0; i < data.length; i += 5) {
    const [dl, dc, length, type, bits] = data.slice(i, i + 5) as [number, number, number, number, number];
    line += dl;
    char = dl === 0 ? char + dc : dc;
    out.push({
      text: lines[line]!.slice(char, char + length),
      line,
      type: SEMANTIC_LEGEND.tokenTypes[type]!,
      modifiers: SEMANTIC_LEGEND.tokenModifiers.filter((_, m) => bits & (1 << m)),
    });
  }
  return out;
}

describe("semantic tokens", () => {
  it("colour the flagship's names by what the checker resolved them to", async () => {
    const tokens = await decoded(flagship);
    const of = (text: string) => tokens.filter((t) => t.text === text).map((t) => [t.type, ...t.modifiers].join("."));
    // A reward: declared, then used in three places, each coloured as the declaration.
    expect(of("correct")).toEqual(["function.declaration", "function", "function", "function"]);
    // A stage: its declaration, the KL reference and `run.stages`.
    expect(of("warmup")).toEqual(["event.declaration", "event", "event"]);
    expect(of("grpo")).toEqual(["event.defaultLibrary"]);
    expect(of("adam")).toEqual(["function.defaultLibrary", "function.defaultLibrary"]);
    expect(new Set(of("arith"))).toEqual(new Set(["namespace.declaration", "namespace"]));
    expect(new Set(of("optimizer"))).toEqual(new Set(["property"]));
    expect(of('"prm.onnx"')).toEqual(["string"]);
    expect(tokens.filter((t) => t.type === "comment").length).toBe(flagship.split("\n").filter((l) => l.includes("//")).length);
    expect(new Set(of("stage"))).toEqual(new Set(["keyword"]));
    expect(of("steps").includes("keyword")).toBe(true);
  });

  it("still colours text that does not parse, lexically, with tokens split at line breaks", async () => {
    const tokens = await decoded('let x = """two\r\nlines""" + /* a\ncomment */ (');
    expect(tokens.map((t) => [t.text, t.type])).toEqual([
      ["let", "keyword"],
      ["x", "variable"],
      ['"""two', "string"],
      ['lines"""', "string"],
      ["+", "operator"],
      ["/* a", "comment"],
      ["comment */", "comment"],
    ]);
  });
});
