import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { lex } from "./lexer.js";
import { expand, grammar, tokenize, tokensOf } from "./testing.js";
import * as T from "./tokens.js";

const flagship = readFileSync(new URL("../test/fixtures/showcase.recipe", import.meta.url), "utf8");

function allRegexes(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(allRegexes);
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) =>
    ["match", "begin", "end", "while"].includes(key) && typeof inner === "string" ? [inner] : allRegexes(inner),
  );
}

describe("editors/roux.tmLanguage.json", () => {
  it("is a TextMate grammar for .recipe and .sweep files", () => {
    expect(grammar.scopeName).toBe("source.roux");
    expect(grammar.fileTypes).toEqual(["recipe", "sweep"]);
  });

  it("has only regexes that also compile in JS, in the strict unicode mode", () => {
    const regexes = allRegexes(grammar);
    expect(regexes.length).toBeGreaterThan(20);
    for (const source of regexes) expect(() => new RegExp(source, "u"), source).not.toThrow();
  });

  it("comes with a VS Code language configuration using the language's comment markers", () => {
    const configuration = JSON.parse(readFileSync(new URL("../editors/language-configuration.json", import.meta.url), "utf8")) as {
      comments: { lineComment: string; blockComment: [string, string] };
    };
    expect(configuration.comments).toEqual({ lineComment: "//", blockComment: ["/*", "*/"] });
  });

  it("includes only rules that exist", () => {
    for (const rule of Object.values(grammar.repository)) expect(() => expand([rule])).not.toThrow();
    expect(expand(grammar.patterns).length).toBeGreaterThan(20);
  });

  describe("on the flagship recipe", () => {
    const lines = tokenize(flagship);
    const at = (lineText: string) => tokensOf(lines, flagship, lineText);

    it("marks the header, imports and declarations", () => {
      expect(at("recipe arith_chord")).toEqual([
        ["recipe", "keyword.declaration.recipe.roux"],
        ["arith_chord", "entity.name.namespace.recipe.roux"],
        ['"', "punctuation.definition.string.begin.roux"],
        ["SFT warm-up, then GRPO with PROF-filtered process rewards and CHORD", "string.quoted.double.roux"],
        ['"', "punctuation.definition.string.end.roux"],
      ]);
      expect(at('use "std/arith"')).toEqual([
        ["use", "keyword.control.import.use.roux"],
        ['"', "punctuation.definition.string.begin.roux"],
        ["std/arith", "string.quoted.double.roux"],
        ['"', "punctuation.definition.string.end.roux"],
        ["as", "keyword.control.import.as.roux"],
        ["arith", "entity.name.namespace.alias.roux"],
      ]);
      expect(at("model policy")).toEqual([
        ["model", "keyword.declaration.model.roux"],
        ["policy", "entity.name.variable.model.roux"],
        ["=", "keyword.operator.assignment.roux"],
        ["transformer", "support.function.builtin.roux"],
        ["{", "punctuation.section.block.begin.roux"],
      ]);
      expect(at("stage rl = grpo with {")).toEqual([
        ["stage", "keyword.declaration.stage.roux"],
        ["rl", "entity.name.variable.stage.roux"],
        ["=", "keyword.operator.assignment.roux"],
        ["grpo", "support.function.builtin.roux"],
        ["with", "keyword.other.with.roux"],
        ["{", "punctuation.section.block.begin.roux"],
      ]);
      expect(at("run {")).toEqual([
        ["run", "keyword.declaration.run.roux"],
        ["{", "punctuation.section.block.begin.roux"],
      ]);
    });

    it("marks reward granularities and comments", () => {
      expect(at("reward correct")).toEqual([
        ["reward", "keyword.declaration.reward.roux"],
        ["correct", "entity.name.variable.reward.roux"],
        [":", "punctuation.separator.colon.roux"],
        ["outcome", "support.type.granularity.roux"],
        ["=", "keyword.operator.assignment.roux"],
        ["arith", "source.roux"],
        [".", "punctuation.accessor.roux"],
        ["answer_match", "variable.other.member.roux"],
        ["//", "punctuation.definition.comment.roux"],
        [" verifiable, {0, 1}", "comment.line.double-slash.roux"],
      ]);
      expect(at("// reward prm : process")).toEqual([
        ["//", "punctuation.definition.comment.roux"],
        [' reward prm : process = onnx("models/arith-prm.onnx") { input = "input_ids", output = "probs" }', "comment.line.double-slash.roux"],
      ]);
    });

    it("marks numbers, units, percentages, booleans, fields and operators", () => {
      expect(at("let depth = 2..4")).toEqual([
        ["let", "keyword.declaration.let.roux"],
        ["depth", "entity.name.variable.let.roux"],
        ["=", "keyword.operator.assignment.roux"],
        ["2", "constant.numeric.roux"],
        ["..", "keyword.operator.range.roux"],
        ["4", "constant.numeric.roux"],
      ]);
      expect(at("steps = 200 steps")).toEqual([
        ["steps", "variable.other.property.roux"],
        ["=", "keyword.operator.assignment.roux"],
        ["200", "constant.numeric.roux"],
        ["steps", "keyword.other.unit.roux"],
      ]);
      expect(at("lr = 3e-4")).toContainEqual(["3e-4", "constant.numeric.roux"]);
      expect(at("mu = warmup_cosine(0.9 -> 0.05")).toEqual([
        ["mu", "variable.other.property.roux"],
        ["=", "keyword.operator.assignment.roux"],
        ["warmup_cosine", "support.function.builtin.roux"],
        ["(", "punctuation.section.parens.begin.roux"],
        ["0.9", "constant.numeric.roux"],
        ["->", "keyword.operator.arrow.roux"],
        ["0.05", "constant.numeric.roux"],
        [",", "punctuation.separator.comma.roux"],
        ["warmup", "variable.other.property.roux"],
        ["=", "keyword.operator.assignment.roux"],
        ["0", "constant.numeric.roux"],
        ["steps", "keyword.other.unit.roux"],
        [",", "punctuation.separator.comma.roux"],
        ["decay", "variable.other.property.roux"],
        ["=", "keyword.operator.assignment.roux"],
        ["200", "constant.numeric.roux"],
        ["steps", "keyword.other.unit.roux"],
        [")", "punctuation.section.parens.end.roux"],
      ]);
      expect(at("ratio = 20%")).toEqual([
        ["ratio", "variable.other.property.roux"],
        ["=", "keyword.operator.assignment.roux"],
        ["20", "constant.numeric.roux"],
        ["%", "keyword.other.unit.percent.roux"],
      ]);
      expect(at("phi = true")).toContainEqual(["true", "constant.language.boolean.true.roux"]);
      // A reserved word naming a field is a field, as in the parser.
      expect(at("data = demos")).toEqual([
        ["data", "variable.other.property.roux"],
        ["=", "keyword.operator.assignment.roux"],
        ["demos", "source.roux"],
      ]);
    });

    it("agrees with the lexer on every number, string and comment, and flags nothing", () => {
      const tokens = lines.flat();
      const scopesAt = (offset: number) => tokens.find((token) => token.offset === offset)?.scopes ?? [];
      const lexed = lex(flagship, "flagship.recipe");
      expect(lexed.diagnostics).toEqual([]);
      const expected: [number, string][] = [
        ...lexed.comments.map((comment): [number, string] => [comment.span.start.offset, "comment.line.double-slash.roux"]),
        ...lexed.tokens.flatMap((token): [number, string][] => {
          if (token.tokenType === T.NumberLiteral || token.tokenType === T.Percent) return [[token.startOffset, "constant.numeric.roux"]];
          if (token.tokenType === T.PlainString) return [[token.startOffset, "string.quoted.double.roux"]];
          return [];
        }),
      ];
      expect(expected.length).toBeGreaterThan(30);
      for (const [offset, scope] of expected) expect(scopesAt(offset), flagship.slice(offset, offset + 20)).toContain(scope);
      expect(tokens.filter((token) => token.scopes.some((scope) => scope.startsWith("invalid")))).toEqual([]);
    });
  });

  it("handles block comments and strings over several lines, raw strings, escapes and fields named like units", () => {
    const text = [
      "/* a block comment",
      "   over two lines */ let x = 1",
      'reward fmt : outcome = regex_match(r"^\\d+$") // raw: no escapes',
      'let prompt = """first \\t',
      'second "quoted" line""" + "tab\\q"',
      "let n = { n = 3 token = 4, m = 1_000 + 1.5e+3 * 64 tokens, bad = 200steps % 2, typo = 5 stepz }",
      'data small = jsonl("x.jsonl").take(10)',
      'use "std/arith" sha256 "ab12" as arith',
      "let depth : Range = 2..4",
    ].join("\n");
    const lines = tokenize(text);
    const at = (lineText: string) => tokensOf(lines, text, lineText);

    expect(at("/* a block comment")).toEqual([
      ["/*", "punctuation.definition.comment.begin.roux"],
      [" a block comment", "comment.block.roux"],
    ]);
    expect(at("over two lines")).toEqual([
      ["   over two lines ", "comment.block.roux"],
      ["*/", "punctuation.definition.comment.end.roux"],
      ["let", "keyword.declaration.let.roux"],
      ["x", "entity.name.variable.let.roux"],
      ["=", "keyword.operator.assignment.roux"],
      ["1", "constant.numeric.roux"],
    ]);
    expect(at("reward fmt")).toEqual(
      expect.arrayContaining([
        ["regex_match", "support.function.builtin.roux"],
        ["r", "storage.type.string.raw.roux"],
        ["^\\d+$", "string.quoted.other.raw.roux"],
        [" raw: no escapes", "comment.line.double-slash.roux"],
      ]),
    );
    expect(at('let prompt = """first')).toEqual(
      expect.arrayContaining([
        ['"""', "punctuation.definition.string.begin.roux"],
        ["first ", "string.quoted.triple.roux"],
        ["\\t", "constant.character.escape.roux"],
      ]),
    );
    expect(at('second "quoted" line')).toEqual([
      ['second "quoted" line', "string.quoted.triple.roux"],
      ['"""', "punctuation.definition.string.end.roux"],
      ["+", "keyword.operator.arithmetic.roux"],
      ['"', "punctuation.definition.string.begin.roux"],
      ["tab", "string.quoted.double.roux"],
      ["\\q", "invalid.illegal.escape.roux"],
      ['"', "punctuation.definition.string.end.roux"],
    ]);
    expect(at("let n = {")).toEqual(
      expect.arrayContaining([
        ["3", "constant.numeric.roux"],
        ["token", "variable.other.property.roux"],
        ["1_000", "constant.numeric.roux"],
        ["1.5e+3", "constant.numeric.roux"],
        ["tokens", "keyword.other.unit.roux"],
        ["200steps", "invalid.illegal.number.roux"],
        ["%", "invalid.illegal.percent.roux"],
        ["stepz", "invalid.illegal.unit.roux"],
      ]),
    );
    expect(at("data small")).toEqual(
      expect.arrayContaining([
        ["jsonl", "support.function.builtin.roux"],
        ["take", "support.function.method.roux"],
      ]),
    );
    expect(at("sha256")).toEqual(
      expect.arrayContaining([
        ["sha256", "keyword.other.sha256.roux"],
        ["ab12", "string.quoted.double.roux"],
      ]),
    );
    expect(at("let depth : Range")).toContainEqual(["Range", "support.type.roux"]);
  });

  it("ends an unclosed plain string with its line, as the lexer does", () => {
    const lines = tokenize('let s = "open\nlet t = 1');
    expect(lines[0]?.at(-1)?.scopes.at(-1)).toBe("string.quoted.double.roux");
    expect(lines[1]?.[0]).toEqual({ offset: 14, text: "let", scopes: ["source.roux", "keyword.declaration.let.roux"] });
  });

  it("marks a sweep file's header, the sweep items and their dotted settings, and leaves `sweep` a name elsewhere", () => {
    const text = [
      'sweep lab "the lab"',
      "variants {",
      '  null = "./grpo.recipe" with { rl.control = shuffled_advantages }',
      "}",
      "sweep { rl . optimizer.lr = [1e-4] }",
      "let sweep = 1",
    ].join("\n");
    const lines = tokenize(text);
    const at = (lineText: string) => tokensOf(lines, text, lineText);
    expect(at("sweep lab").slice(0, 2)).toEqual([
      ["sweep", "keyword.declaration.sweep.roux"],
      ["lab", "entity.name.namespace.sweep.roux"],
    ]);
    expect(at("variants {")).toEqual([
      ["variants", "keyword.declaration.variants.roux"],
      ["{", "punctuation.section.block.begin.roux"],
    ]);
    expect(at("null =")).toContainEqual(["rl.control", "variable.other.property.roux"]);
    expect(at("null =")).toContainEqual(["null", "variable.other.property.roux"]);
    expect(at("sweep {").slice(0, 3)).toEqual([
      ["sweep", "keyword.declaration.sweep.roux"],
      ["{", "punctuation.section.block.begin.roux"],
      ["rl . optimizer.lr", "variable.other.property.roux"],
    ]);
    expect(at("let sweep")).toContainEqual(["sweep", "entity.name.variable.let.roux"]);
  });
});
