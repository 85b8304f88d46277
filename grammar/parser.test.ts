import { describe, expect, it } from "vitest";
import type { IToken } from "./chevrotain.js";
import { lex } from "./lexer.js";
import { parser, parseTokens } from "./parser.js";

/**
 * A file is never held whole as a CST (grammar/README.md "One item at a time"): what a large
 * recipe costs to check depends on it.
 */
describe("parsing a file one top-level node at a time", () => {
  const text = 'recipe r "d"\nlet a = 1\nmodel m = t { layers = 2 }\nlet c = (';

  it("hands out the header and each item as it is finished, the last one cut short by its error, and keeps none in the file's CST", () => {
    const { tokens } = lex(text, "t.recipe");
    const handed: string[] = [];
    const { cst, errors } = parseTokens(tokens, "file", (node) => handed.push(node.name));
    expect(handed).toEqual(["header", "item", "item", "item"]);
    expect(cst.children).toEqual({});
    expect(errors).toHaveLength(1);
  });

  it("has dropped the tokens before each node's last one by the time the next is handed out, and lets go of the rest when done", () => {
    const { tokens } = lex(text, "t.recipe");
    const firstKept: number[] = [];
    parseTokens(tokens, "file", () => firstKept.push((tokens as (IToken | undefined)[]).findIndex((t) => t !== undefined)));
    // The header's last token is the string (index 2), `let a = 1` ends at 6, the model at 15.
    expect(firstKept).toEqual([0, 2, 6, 15]);
    expect(parser.input).toEqual([]);
  });
});
