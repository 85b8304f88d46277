/** The type names a `let` may declare (`let betas: List<Float> = ...`), LANGUAGE.md section 4. */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { closest } from "../../diagnostics/suggest.js";
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
  const arg = ref.args[0];
  if (name === "List" && ref.args.length === 1) return T.list(declaredType(arg, report));
  if (name === "Reward" && ref.args.length === 1 && ["outcome", "process", "token"].includes(arg.name.name)) {
    return T.reward(arg.name.name as "outcome");
  }
  if (name === "Stage" && ref.args.length === 1 && (arg.name.name === "sft" || arg.name.name === "rl")) return T.stage(arg.name.name);
  const suggestion = closest(name, [...Object.keys(SIMPLE), ...GENERIC]);
  report(
    diagnostic("E1101", { name: name + (ref.args.length > 0 ? "<...>" : "") }, ref.span, {
      label: "not a type",
      help: suggestion ? `did you mean \`${suggestion}\`?` : "types are listed in LANGUAGE.md section 4",
    }),
  );
  return T.unknown;
}
