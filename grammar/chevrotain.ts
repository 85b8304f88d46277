/**
 * chevrotain, loaded from the single-file bundle its package ships. The package's entry point
 * imports lodash-es module by module (hundreds of files), which costs about 300 ms at start-up;
 * the bundle is the same code in one file and loads in about 15 ms, and `roux check` is meant
 * to answer in milliseconds. Every part of Roux imports chevrotain from here, never directly.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";

type Chevrotain = typeof import("chevrotain");

/**
 * The installed package's root folder. Its `exports` map exposes only the entry point, so the
 * root is found by walking up from the resolved entry to the folder whose manifest is chevrotain's.
 */
function packageRoot(): string {
  let dir = dirname(createRequire(import.meta.url).resolve("chevrotain"));
  for (;;) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: unknown };
      if (manifest.name === "chevrotain") return dir;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error("cannot find the chevrotain package root");
    dir = parent;
  }
}

export const CHEVROTAIN_ROOT = packageRoot();

const chevrotain = (await import(pathToFileURL(join(CHEVROTAIN_ROOT, "lib", "chevrotain.mjs")).href)) as Chevrotain;

export const { createToken, createSyntaxDiagramsCode, CstParser, EOF, Lexer, tokenMatcher } = chevrotain;
export type { CstElement, CstNode, IParserErrorMessageProvider, IRecognitionException, IToken, TokenType } from "chevrotain";
