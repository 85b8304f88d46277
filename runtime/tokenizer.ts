/**
 * The policy's tokenizer, built from the Plan (`plan.policy.tokenizer`, docs/language.md §5
 * "Models and tokenizers"). Token ids:
 *
 * - `chars(alphabet)`: the alphabet's characters (Unicode code points, not UTF-16 units) in the
 *   order the alphabet lists them, from 0: `chars("ab\n")` gives a = 0, b = 1, "\n" = 2, and a
 *   vocabulary of 3. A character the alphabet lists twice keeps its first id (the later id
 *   decodes to the same character but is never produced). Text with a character outside the
 *   alphabet cannot be encoded: the error names the character and where it is.
 * - `bytes`: the text's UTF-8 bytes, ids 0 to 255.
 *
 * Ids at or above `vocabSize` are not tokens of this tokenizer; a model that adds special
 * tokens (padding, end of sequence) numbers them from `vocabSize` on.
 */
import type { Tokenizer as PlanTokenizer } from "../plan/plan.js";

/** docs/algorithms.md "Notation": steps are split on the task's step separator, by default a newline. */
export const STEP_SEPARATOR = "\n";

export interface Tokenizer {
  /** Ids are 0 .. vocabSize - 1. */
  readonly vocabSize: number;
  /** The id of "\n" (the step separator of docs/algorithms.md "Notation"), or undefined when the alphabet has none. */
  readonly separator: number | undefined;
  /** Throws TokenizerError on a character the tokenizer cannot encode. */
  encode(text: string): number[];
  /** Throws TokenizerError on an id outside 0 .. vocabSize - 1. */
  decode(ids: readonly number[]): string;
}

/** Text or ids the tokenizer cannot handle; the message says which character or id. */
export class TokenizerError extends Error {}

export function createTokenizer(spec: PlanTokenizer): Tokenizer {
  return spec.kind === "bytes" ? bytesTokenizer() : charsTokenizer(spec.alphabet);
}

function charsTokenizer(alphabet: string): Tokenizer {
  const chars = [...alphabet];
  const ids = new Map<string, number>();
  chars.forEach((c, id) => {
    if (!ids.has(c)) ids.set(c, id);
  });
  return {
    vocabSize: chars.length,
    separator: ids.get(STEP_SEPARATOR),
    encode(text) {
      const out: number[] = [];
      let index = 0;
      for (const c of text) {
        const id = ids.get(c);
        if (id === undefined) {
          throw new TokenizerError(`character ${describeChar(c)} at index ${index} is not in the tokenizer's alphabet ${JSON.stringify(alphabet)}`);
        }
        out.push(id);
        index++;
      }
      return out;
    },
    decode(tokens) {
      return tokens.map((id) => chars[checkId(id, chars.length)]).join("");
    },
  };
}

function bytesTokenizer(): Tokenizer {
  const encoder = new TextEncoder();
  const decoder = new TextDecoder("utf-8");
  return {
    vocabSize: 256,
    separator: STEP_SEPARATOR.charCodeAt(0),
    encode: (text) => Array.from(encoder.encode(text)),
    decode: (tokens) => decoder.decode(Uint8Array.from(tokens, (id) => checkId(id, 256))),
  };
}

function checkId(id: number, vocabSize: number): number {
  if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
    throw new TokenizerError(`token id ${id} is outside the vocabulary (ids 0 to ${vocabSize - 1})`);
  }
  return id;
}

/** `"x" (U+0078)`: quoted as JSON, so a tab or a newline is visible, with its code point. */
function describeChar(c: string): string {
  return `${JSON.stringify(c)} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, "0")})`;
}
