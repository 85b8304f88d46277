/**
 * Random mutations of source text for the parser's robustness test: token deletions,
 * insertions and swaps, truncations and random bytes, drawn from a seeded generator
 * (runtime/ops/rng.ts) so that a failure reproduces from its seed.
 */

const PIECES = [
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  ",",
  "=",
  ":",
  ".",
  "..",
  "->",
  "|>",
  "+",
  "-",
  "*",
  "/",
  "%",
  "<",
  ">",
  '"',
  '"""',
  'r"',
  "/*",
  "*/",
  "//",
  "\n",
  " ",
  "1_000",
  "3e-4",
  "20%",
  "200 steps",
  "stage",
  "data",
  "with",
  "run",
  "reward",
  "use",
  "let",
  "model",
  "recipe",
  "true",
  "x",
  "\\",
  "\\u{",
  "\u00e9",
  "\t",
  "#",
  "@",
  "\u0000",
];

/** Splits text into rough tokens (words, numbers, runs of space, single punctuation) to mutate. */
function roughTokens(text: string): string[] {
  return text.match(/[A-Za-z_][A-Za-z0-9_]*|\d[\d_.eE%+-]*|\s+|"""|\/\/|\/\*|\*\/|\.\.|->|\|>|[\s\S]/g) ?? [];
}

export function mutate(source: string, random: () => number): string {
  // An empty token where there is none to take (an empty list): the text is the same either way.
  const pick = (items: readonly string[]): string => items[Math.floor(random() * items.length)] ?? "";
  const tokens = roughTokens(source);
  const edits = 1 + Math.floor(random() * 3);
  let text = source;
  for (let e = 0; e < edits; e++) {
    const index = Math.floor(random() * tokens.length);
    switch (Math.floor(random() * 6)) {
      case 0:
        tokens.splice(index, 1);
        break;
      case 1:
        tokens.splice(index, 0, pick(PIECES));
        break;
      case 2: {
        const other = Math.floor(random() * tokens.length);
        [tokens[index], tokens[other]] = [tokens[other] ?? "", tokens[index] ?? ""];
        break;
      }
      case 3:
        tokens.splice(index, 0, pick(tokens));
        break;
      case 4:
        tokens.length = index;
        break;
      default: {
        const bytes = Array.from({ length: 1 + Math.floor(random() * 4) }, () => String.fromCharCode(Math.floor(random() * 256)));
        tokens.splice(index, 0, bytes.join(""));
      }
    }
    text = tokens.join("");
  }
  return text;
}
