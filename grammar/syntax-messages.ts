/**
 * What a syntax error says was expected, in words a user reads (E0001's `{expected}`); the
 * `{found}` part is filled from the offending token by the parse driver. Descriptions of rules
 * and tokens are tables so that every message uses the same words.
 */
import { EOF, type IParserErrorMessageProvider, type TokenType } from "./chevrotain.js";
import * as T from "./tokens.js";

const EXPRESSION = "an expression";
const DECLARATION = "a declaration (`use`, `let`, `model`, `data`, `reward`, `stage` or `run`)";

/** Rules a user thinks of as one thing: "expected an expression", not a list of 14 tokens. */
const RULE_DESCRIPTIONS: Readonly<Record<string, string>> = {
  file: DECLARATION,
  item: DECLARATION,
  declItem: "`model`, `data` or `stage`",
  expr: EXPRESSION,
  pipe: EXPRESSION,
  range: EXPRESSION,
  sum: EXPRESSION,
  product: EXPRESSION,
  unary: EXPRESSION,
  postfix: EXPRESSION,
  primary: EXPRESSION,
  arg: "an argument",
  args: "an argument",
  field: "a field (`name = value`)",
  typeRef: "a type",
  override: "an override `PATH=VALUE` (e.g. `rl.group=16`)",
};

const TOKEN_DESCRIPTIONS: ReadonlyMap<TokenType, string> = new Map([
  [T.Identifier, "a name"],
  [T.Name, "a name"],
  [T.NumberLiteral, "a number"],
  [T.Percent, "a percentage"],
  [T.StringLiteral, "a string"],
  [EOF, "end of file"],
]);

export function describeToken(type: TokenType): string {
  const described = TOKEN_DESCRIPTIONS.get(type);
  if (described !== undefined) return described;
  if (typeof type.LABEL === "string") return type.LABEL;
  const word = T.RESERVED_WORDS.find((w) => w.toLowerCase() === type.name.toLowerCase());
  return word !== undefined ? `\`${word}\`` : type.name;
}

/** "a, b or c" without repeats. */
function oneOf(descriptions: string[]): string {
  const unique = [...new Set(descriptions)];
  if (unique.length <= 1) return unique[0] ?? "something else";
  return `${unique.slice(0, -1).join(", ")} or ${unique[unique.length - 1]}`;
}

function firstTokens(paths: TokenType[][][]): string {
  return oneOf(paths.flat().map((path) => describeToken(path[0] ?? EOF)));
}

export const syntaxErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected }) {
    return describeToken(expected);
  },
  buildNotAllInputParsedMessage() {
    return DECLARATION;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, ruleName }) {
    return RULE_DESCRIPTIONS[ruleName] ?? firstTokens(expectedPathsPerAlt);
  },
  buildEarlyExitMessage({ expectedIterationPaths, ruleName }) {
    return RULE_DESCRIPTIONS[ruleName] ?? firstTokens([expectedIterationPaths]);
  },
};
