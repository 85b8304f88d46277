/**
 * The grammar of docs/language.md §3 as a chevrotain CST parser. One instance serves every
 * parse (building a chevrotain parser is costly; reusing one is how the library is meant to be
 * used). Error recovery is on, so one run reports several syntax errors.
 */
import { tokenMatcher, type CstNode, type IRecognitionException, type IToken, type TokenType } from "./chevrotain.js";
import { ItemStreamParser } from "./item-stream-parser.js";
import { syntaxErrorMessages } from "./syntax-messages.js";
import * as T from "./tokens.js";

const DECLARATION_KEYWORDS: ReadonlySet<TokenType> = new Set([T.Recipe, T.Use, T.Let, T.Model, T.Data, T.Reward, T.Stage]);

export class RecipeParser extends ItemStreamParser {
  /**
   * `validate` runs chevrotain's checks of the grammar itself (ambiguous alternatives, left
   * recursion, rules that are never used). They find mistakes in this file, never in a recipe,
   * and cost every start-up several milliseconds (docs/architecture.md "Start-up"), so the parser
   * every parse uses skips them and grammar/definitions.test.ts runs them.
   */
  constructor(validate: boolean) {
    super(T.ALL_TOKENS, {
      recoveryEnabled: true,
      nodeLocationTracking: "none",
      maxLookahead: 3,
      errorMessageProvider: syntaxErrorMessages,
      skipValidations: !validate,
    });
    this.performSelfAnalysis();
  }

  file = this.RULE("file", () => {
    this.OPTION(() => this.SUBRULE(this.header));
    this.MANY(() => this.SUBRULE(this.item));
  });

  header = this.RULE("header", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Recipe) }, { GATE: () => this.LA(1).image === "sweep", ALT: () => this.CONSUME(T.Identifier, { LABEL: "sweep" }) }]);
    this.CONSUME2(T.Identifier);
    this.OPTION(() => this.CONSUME(T.StringLiteral));
  });

  item = this.RULE("item", () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.useItem) },
      { ALT: () => this.SUBRULE(this.letItem) },
      { ALT: () => this.SUBRULE(this.declItem) },
      { ALT: () => this.SUBRULE(this.rewardItem) },
      { ALT: () => this.SUBRULE(this.runItem) },
      // Contextual words, as `sweep` in the header (docs/language.md §10): no lookahead by token tells them apart.
      { GATE: () => this.atSweepItem("sweep"), ALT: () => this.SUBRULE(this.sweepItem), IGNORE_AMBIGUITIES: true },
      { GATE: () => this.atSweepItem("variants"), ALT: () => this.SUBRULE(this.variantsItem), IGNORE_AMBIGUITIES: true },
    ]);
  });

  /** `sweep { PATH = [..], ... }` (docs/language.md §10). */
  sweepItem = this.RULE("sweepItem", () => {
    this.CONSUME(T.Identifier, { LABEL: "keyword" });
    this.SUBRULE(this.settings);
  });

  /** `variants { NAME = { PATH = value }, NAME = "./file.recipe" with { ... }, ... }` (docs/language.md §10). */
  variantsItem = this.RULE("variantsItem", () => {
    this.CONSUME(T.Identifier, { LABEL: "keyword" });
    this.SUBRULE(this.variantList);
  });

  variantList = this.RULE("variantList", () => {
    this.CONSUME(T.LCurly);
    this.MANY({
      GATE: () => !this.atDeclaration(),
      DEF: () => {
        this.SUBRULE(this.variant);
        this.OPTION(() => this.CONSUME(T.Comma));
      },
    });
    this.CONSUME(T.RCurly);
  });

  variant = this.RULE("variant", () => {
    this.CONSUME(T.Name, { LABEL: "declared" });
    this.CONSUME(T.Equals);
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.StringLiteral);
          this.OPTION(() => {
            this.CONSUME(T.With);
            this.SUBRULE(this.settings);
          });
        },
      },
      { ALT: () => this.SUBRULE2(this.settings) },
    ]);
  });

  /** `{ PATH = value, ... }`: each entry an override as `--set` writes it. */
  settings = this.RULE("settings", () => {
    this.CONSUME(T.LCurly);
    this.MANY({
      GATE: () => !this.atDeclaration(),
      DEF: () => {
        this.SUBRULE(this.override);
        this.OPTION(() => this.CONSUME(T.Comma));
      },
    });
    this.CONSUME(T.RCurly);
  });

  private atSweepItem(word: "sweep" | "variants"): boolean {
    return this.LA(1).image === word && this.LA(2).tokenType === T.LCurly;
  }

  useItem = this.RULE("useItem", () => {
    this.CONSUME(T.Use);
    this.CONSUME(T.StringLiteral);
    this.OPTION({
      GATE: () => this.LA(1).image === "sha256",
      DEF: () => {
        this.CONSUME(T.Identifier, { LABEL: "sha256Keyword" });
        this.CONSUME2(T.StringLiteral, { LABEL: "sha256" });
      },
    });
    this.CONSUME(T.As);
    this.CONSUME(T.Name, { LABEL: "alias" });
  });

  letItem = this.RULE("letItem", () => {
    this.CONSUME(T.Let);
    this.CONSUME(T.Name, { LABEL: "declared" });
    this.OPTION(() => {
      this.CONSUME(T.Colon);
      this.SUBRULE(this.typeRef);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  /** `model`, `data` and `stage` declarations: KEYWORD NAME = expr. */
  declItem = this.RULE("declItem", () => {
    this.OR([{ ALT: () => this.CONSUME(T.Model) }, { ALT: () => this.CONSUME(T.Data) }, { ALT: () => this.CONSUME(T.Stage) }]);
    this.CONSUME(T.Name, { LABEL: "declared" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  rewardItem = this.RULE("rewardItem", () => {
    this.CONSUME(T.Reward);
    this.CONSUME(T.Name, { LABEL: "declared" });
    this.CONSUME(T.Colon);
    this.CONSUME2(T.Identifier, { LABEL: "granularity" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  runItem = this.RULE("runItem", () => {
    this.CONSUME(T.Run);
    this.SUBRULE(this.block);
  });

  typeRef = this.RULE("typeRef", () => {
    this.CONSUME(T.Identifier);
    this.OPTION(() => {
      this.CONSUME(T.Less);
      this.SUBRULE(this.typeRef);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.typeRef);
      });
      this.CONSUME(T.Greater);
    });
  });

  expr = this.RULE("expr", () => {
    this.SUBRULE(this.pipe);
    this.MANY(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE2(this.pipe);
    });
  });

  pipe = this.RULE("pipe", () => {
    this.SUBRULE(this.range);
    this.MANY(() => {
      this.CONSUME(T.PipeOp);
      this.SUBRULE(this.postfix);
    });
  });

  range = this.RULE("range", () => {
    this.SUBRULE(this.sum);
    this.OPTION(() => {
      this.CONSUME(T.DotDot);
      this.SUBRULE2(this.sum);
    });
  });

  sum = this.RULE("sum", () => {
    this.SUBRULE(this.product);
    this.MANY(() => {
      this.CONSUME(T.AdditiveOp);
      this.SUBRULE2(this.product);
    });
  });

  product = this.RULE("product", () => {
    this.SUBRULE(this.unary);
    this.MANY(() => {
      this.CONSUME(T.MultiplicativeOp);
      this.SUBRULE2(this.unary);
    });
  });

  unary = this.RULE("unary", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Minus);
          this.SUBRULE(this.unary);
        },
      },
      { ALT: () => this.SUBRULE(this.postfix) },
    ]);
  });

  postfix = this.RULE("postfix", () => {
    this.SUBRULE(this.primary);
    this.MANY(() => this.SUBRULE(this.suffix));
  });

  suffix = this.RULE("suffix", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.Dot);
          this.CONSUME(T.Name);
        },
      },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.OPTION(() => this.SUBRULE(this.args));
          this.CONSUME(T.RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.block) },
      {
        ALT: () => {
          this.CONSUME(T.With);
          this.SUBRULE2(this.block);
        },
      },
    ]);
  });

  primary = this.RULE("primary", () => {
    this.OR([
      {
        ALT: () => {
          this.CONSUME(T.NumberLiteral);
          // A word on the same line right after a number is its unit (`200 steps`), unless an
          // `=` follows it: in `{ n = 3 token = 4 }` the word starts the next field. Any word
          // is taken here so that a misspelt unit is one E0003 from the AST builder, not a
          // cascade of syntax errors.
          this.OPTION({
            GATE: () => this.atUnit(),
            DEF: () => this.CONSUME(T.Identifier, { LABEL: "unit" }),
          });
        },
      },
      { ALT: () => this.CONSUME(T.Percent) },
      { ALT: () => this.CONSUME(T.StringLiteral) },
      { ALT: () => this.CONSUME(T.True) },
      { ALT: () => this.CONSUME(T.False) },
      { ALT: () => this.CONSUME2(T.Identifier) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.block) },
      {
        ALT: () => {
          this.CONSUME(T.LParen);
          this.SUBRULE(this.expr);
          this.CONSUME(T.RParen);
        },
      },
    ]);
  });

  list = this.RULE("list", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expr);
      this.MANY({
        GATE: () => this.LA(2).tokenType !== T.RBracket,
        DEF: () => {
          this.CONSUME(T.Comma);
          this.SUBRULE2(this.expr);
        },
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });

  block = this.RULE("block", () => {
    this.CONSUME(T.LCurly);
    this.MANY({
      GATE: () => !this.atDeclaration(),
      DEF: () => {
        this.SUBRULE(this.field);
        this.OPTION(() => this.CONSUME(T.Comma));
      },
    });
    this.CONSUME(T.RCurly);
  });

  /** After a number: a word on its line, not followed by `=`. A number never spans lines, so its start line is its end line. */
  private atUnit(): boolean {
    const word = this.LA(1);
    return word.tokenType === T.Identifier && this.LA(2).tokenType !== T.Equals && word.startLine === this.LA(0).startLine;
  }

  /**
   * Reserved words may name fields (`data = train`), but `data train = ...` starts a new
   * declaration. Seeing one inside a block means its `}` is missing: stopping the block there
   * gives one "expected `}`" instead of a cascade through the rest of the file.
   */
  private atDeclaration(): boolean {
    const next = this.LA(1).tokenType;
    const after = this.LA(2).tokenType;
    if (next === T.Run) return after === T.LCurly;
    return DECLARATION_KEYWORDS.has(next) && after === T.Identifier;
  }

  field = this.RULE("field", () => {
    this.CONSUME(T.Name);
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  /** A command-line override, `--set rl.sample.temperature=0.7`: a dotted path, `=`, a value. */
  override = this.RULE("override", () => {
    this.CONSUME(T.Name);
    this.MANY(() => {
      this.CONSUME(T.Dot);
      this.CONSUME2(T.Name);
    });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.expr);
  });

  args = this.RULE("args", () => {
    this.SUBRULE(this.arg);
    this.MANY({
      GATE: () => this.LA(2).tokenType !== T.RParen,
      DEF: () => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.arg);
      },
    });
    this.OPTION(() => this.CONSUME2(T.Comma));
  });

  arg = this.RULE("arg", () => {
    this.OPTION({
      GATE: () => tokenMatcher(this.LA(1), T.Name) && this.LA(2).tokenType === T.Equals,
      DEF: () => {
        this.CONSUME(T.Name);
        this.CONSUME(T.Equals);
      },
    });
    this.SUBRULE(this.expr);
  });
}

export const parser = new RecipeParser(false);

/**
 * Parses a token stream with the given entry rule into a CST and its syntax errors.
 * With `topLevel`, a file's header and items go to it one at a time as each is parsed, and not
 * into the CST returned; the tokens before each are cleared from `tokens` once it is parsed.
 * The parser lets go of `tokens` when done, so that a file's tokens do not outlive its parse.
 */
export function parseTokens(
  tokens: IToken[],
  entry: "file" | "override",
  topLevel?: (node: CstNode) => void,
): { cst: CstNode; errors: IRecognitionException[] } {
  parser.input = tokens;
  parser.topLevelSink = topLevel;
  try {
    const cst = entry === "file" ? parser.file() : parser.override();
    return { cst, errors: parser.errors };
  } finally {
    parser.topLevelSink = undefined;
    parser.input = [];
  }
}
