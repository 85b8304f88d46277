/** The type names a `let` may declare (`let betas: List<Float> = ...`), docs/language.md §4. */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { closest, didYouMean } from "../../diagnostics/suggest.js";
import type { TypeRef } from "../../grammar/ast.js";
import { T, type Type } from "../types.js";

const SIMPLE: Readonly<Record<string, Type>> = {
  Int: T.int,
  Float: T.float,
  Bool: T.bool,
  String: T.string,
  Fraction: T.fraction,
  Duration: T.duration("steps", "epochs", "samples", "tokens"),
  Range: T.range,
  Transition: T.transition,
  Schedule: T.schedule,
  Tokenizer: T.tokenizer,
  Model: T.model,
  Dataset: T.dataset,
  Optimizer: T.optimizer,
  Credit: T.credit,
  Advantage: T.advantage,
  Loss: T.loss,
  Expert: T.expert,
  Pipeline: T.pipeline,
};

const GENERIC = ["List", "Reward", "Stage"];

export function declaredType(ref: TypeRef, report: (d: Diagnostic) => void): Type {
  const name = ref.name.name;
  const simple = SIMPLE[name];
  if (simple && ref.args.length === 0) return simple;
  const [arg, ...more] = ref.args;
  if (arg !== undefined && more.length === 0) {
    const argName = arg.name.name;
    if (name === "List") return T.list(declaredType(arg, report));
    if (name === "Reward" && (argName === "outcome" || argName === "process" || argName === "token")) return T.reward(argName);
    if (name === "Stage" && (argName === "sft" || argName === "rl")) return T.stage(argName);
  }
  const suggestion = closest(name, [...Object.keys(SIMPLE), ...GENERIC]);
  const fix = suggestion ? didYouMean(ref.span, suggestion) : undefined;
  report(
    diagnostic("E1101", { name: name + (ref.args.length > 0 ? "<...>" : "") }, ref.span, {
      label: "not a type",
      help: fix?.help ?? "types are listed in docs/language.md §4",
      // The fix replaces the whole type: only for a bare name, whose arguments it cannot lose.
      suggestion: ref.args.length === 0 ? fix?.suggestion : undefined,
    }),
  );
  return T.unknown;
}
