/**
 * The lexer and parser every parse uses skip chevrotain's checks of their own definitions, to
 * start faster (docs/architecture.md "Start-up"). Those checks still guard every change to the
 * tokens and the grammar: here, on instances built with them on.
 */
import { describe, expect, it } from "vitest";
import { createLexer } from "./lexer.js";
import { RecipeParser } from "./parser.js";

describe("the grammar's own definitions", () => {
  it("give chevrotain's lexer checks no error", () => {
    expect(createLexer(true).lexerDefinitionErrors).toEqual([]);
  });

  it("give chevrotain's grammar checks no error (ambiguity, left recursion, unused rule)", () => {
    // Chevrotain throws on a definition error, with every error in the message.
    expect(() => new RecipeParser(true)).not.toThrow();
  });
});
