import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test/recipes.js";
import type { BinaryExpr, BlockCallExpr, DeclItem, Expr, LetItem, ListExpr, NumberLit, RewardItem, WithExpr } from "./ast.js";
import { parse } from "./parse.js";

function letValue(source: string): Expr {
  const { ast, diagnostics } = parse(source, "t.recipe");
  expect(diagnostics).toEqual([]);
  return (ast.items[0] as LetItem).value;
}

/** An expression as compact text with explicit grouping, to check precedence. */
function shape(e: Expr): string {
  switch (e.kind) {
    case "binary":
      return `(${shape(e.left)} ${e.op} ${shape(e.right)})`;
    case "unary":
      return `(-${shape(e.operand)})`;
    case "ident":
      return e.name;
    case "number":
      return e.unit ? `${e.text} ${e.unit.name}` : e.text;
    case "percent":
      return `${e.value}%`;
    case "member":
      return `${shape(e.object)}.${e.name.name}`;
    case "call":
      return `${shape(e.callee)}(${e.args.map((a) => (a.name ? `${a.name.name}=` : "") + shape(a.value)).join(",")})`;
    case "paren":
      return `[${shape(e.expr)}]`;
    default:
      return e.kind;
  }
}

describe("parse", () => {
  it("parses the docs/language.md §1 example with every declaration kind", () => {
    const source = readFileSync(path.join(REPO_ROOT, "test/fixtures/showcase.recipe"), "utf8");
    const { ast, diagnostics } = parse(source, "flagship.recipe");
    expect(diagnostics).toEqual([]);
    expect(ast.header?.name.name).toBe("arith_chord");
    expect(ast.items.map((i) => i.kind)).toEqual(["use", "let", "model", "data", "data", "data", "reward", "reward", "stage", "stage", "run"]);
    expect(ast.comments.map((c) => c.style)).toContain("line");
    const rl = ast.items.find((i) => i.kind === "stage" && i.name.name === "rl") as DeclItem;
    expect(rl.value.kind).toBe("with");
    const fields = (rl.value as WithExpr).block.fields.map((f) => f.name.name);
    expect(fields).toEqual(["data", "steps", "batch", "group", "sample", "reward", "credit", "loss", "expert", "eval"]);
  });

  it("follows the precedence of docs/language.md §3", () => {
    expect(shape(letValue("let x = 2 * prm - 1"))).toBe("((2 * prm) - 1)");
    expect(shape(letValue("let x = -a * b"))).toBe("((-a) * b)");
    expect(shape(letValue("let x = 1 + 2 .. 3 * 4"))).toBe("((1 + 2) .. (3 * 4))");
    expect(shape(letValue("let x = a -> b -> c"))).toBe("((a -> b) -> c)");
    expect(shape(letValue("let x = rloo |> whiten -> a"))).toBe("((rloo |> whiten) -> a)");
    expect(shape(letValue("let x = 0.9 -> 0.05"))).toBe("(0.9 -> 0.05)");
    expect(shape(letValue("let x = (1 + 2) * 3"))).toBe("([(1 + 2)] * 3)");
    expect(shape(letValue("let x = a.b.c(1, k = 2).d"))).toBe("a.b.c(1,k=2).d");
  });

  it("reads numbers, percentages, units and strings", () => {
    expect(letValue("let x = 1_000")).toMatchObject({ kind: "number", value: 1000, integer: true, text: "1_000" });
    expect(letValue("let x = 3e-4")).toMatchObject({ kind: "number", value: 3e-4, integer: false });
    expect(letValue("let x = 20%")).toMatchObject({ kind: "percent", value: 0.2 });
    expect((letValue("let x = 200 steps") as NumberLit).unit?.name).toBe("steps");
    expect(letValue('let x = "a\\tb\\u{1F600}\\"\\\\"')).toMatchObject({ value: 'a\tb\u{1F600}"\\', style: "plain" });
    expect(letValue('let x = r"\\d+"')).toMatchObject({ value: "\\d+", style: "raw" });
    expect(letValue('let x = """\nline one\nline two"""')).toMatchObject({ value: "line one\nline two", style: "multiline" });
  });

  it("takes a unit only from its number's line", () => {
    expect((letValue("let x = [200 steps]") as ListExpr).items).toMatchObject([{ kind: "number", unit: { name: "steps" } }]);
    for (const lineBreak of ["\n", "\r\n"]) {
      const { ast, diagnostics } = parse(`let x = [200${lineBreak}  steps]`, "t.recipe");
      expect(diagnostics.map((d) => d.message)).toEqual(["expected `]`, found `steps`"]);
      const items = ((ast.items[0] as LetItem).value as ListExpr).items;
      expect(items.map((i) => i.kind === "number" && i.unit === undefined)).toEqual([true]);
    }
  });

  it("tells a unit from a field that follows a number", () => {
    const block = letValue("let x = { n = 3  token = 4 }");
    expect(block.kind === "block" && block.fields.map((f) => f.name.name)).toEqual(["n", "token"]);
  });

  it("builds block calls, `with` amendments and typed lets", () => {
    const { ast } = parse("model p = transformer { layers = 2 }\nlet t: List<Float> = [0.9, 0.999]", "t.recipe");
    const model = ast.items[0] as DeclItem;
    expect(model.value.kind).toBe("blockCall");
    expect((model.value as BlockCallExpr).block.fields[0]?.name.name).toBe("layers");
    const typed = ast.items[1] as LetItem;
    expect(typed.type?.name.name).toBe("List");
    expect(typed.type?.args[0]?.name.name).toBe("Float");
  });

  it("gives every node a span pointing at its text", () => {
    const source = "reward correct : outcome = arith.answer_match\nlet lr = 2 * x - 1";
    const { ast } = parse(source, "t.recipe");
    const reward = ast.items[0] as RewardItem;
    expect(source.slice(reward.span.start.offset, reward.span.end.offset)).toBe("reward correct : outcome = arith.answer_match");
    expect(reward.granularity).toMatchObject({ name: "outcome", span: { start: { line: 1, column: 18 } } });
    const sum = (ast.items[1] as LetItem).value as BinaryExpr;
    expect(source.slice(sum.span.start.offset, sum.span.end.offset)).toBe("2 * x - 1");
    expect(sum.right.span.start).toEqual({ line: 2, column: 18, offset: 63 });
  });

  it("reports several syntax errors in one run, each once", () => {
    const source = "model x = transformer { layers = 2\ndata y = f(1, 2)\nlet z = [1, 2,, 3]\nreward r : outcomes = x\n";
    const { diagnostics } = parse(source, "t.recipe");
    expect(diagnostics.map((d) => [d.code, d.span.start.line])).toEqual([
      ["E0001", 2],
      ["E0001", 3],
      ["E0001", 4],
    ]);
    expect(diagnostics[0]?.message).toBe("expected `}`, found `data`");
    expect(diagnostics[2]?.message).toBe("expected `outcome`, `process` or `token`, found `outcomes`");
  });

  it("points an error at end of input just past the last token", () => {
    const { diagnostics } = parse("let x = f(1,\n\n", "t.recipe");
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]?.message).toBe("expected `)`, found end of file");
    expect(diagnostics[0]?.span.start).toEqual({ line: 1, column: 13, offset: 12 });
  });

  it("reports lexical errors without a cascade of syntax errors", () => {
    const { diagnostics } = parse('let a = 1__0\nlet b = "open\nlet c = 200steps\nlet d = 3 stepz', "t.recipe");
    expect(diagnostics.map((d) => d.code)).toEqual(["E0003", "E0002", "E0003", "E0003"]);
    expect(diagnostics[3]?.help).toBe("did you mean `steps`?");
  });
});
