/**
 * A built-in's signature as a hover shows it, from the built-ins table (compiler/builtins/), the
 * one home of their contracts: `jsonl(path: String, prompt: String, response?: String, ...) -> Dataset`.
 * Parameters passed by position go in parentheses, the rest in braces, as recipes write them.
 */
import type { Builtin, DefaultValue, Param } from "../compiler/builtins/shape.js";
import { showType } from "../compiler/types.js";

function defaultText(value: DefaultValue): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value !== "object") return String(value);
  if (Array.isArray(value)) return `[${value.join(", ")}]`;
  if ("builtin" in value) return value.builtin;
  if ("percent" in value) return `${value.percent}%`;
  if ("duration" in value) return `${value.duration} ${value.unit}`;
  return `${value.range[0]}..${value.range[1]}`;
}

/** A parameter's accepted types: `Int | Float`, or the record it takes in braces. */
export function typeText(param: Param): string {
  const type = param.type;
  if ("record" in type) return `{ ${type.record} fields }`;
  return Array.isArray(type) ? type.map(showType).join(" | ") : showType(type);
}

function paramText(param: Param): string {
  const name = param.optional ? `${param.name}?` : param.name;
  return `${name}: ${typeText(param)}${param.default === undefined ? "" : ` = ${defaultText(param.default)}`}`;
}

export function signature(builtin: Builtin): string {
  const byPosition = builtin.params.slice(0, builtin.positional).map(paramText);
  const byName = builtin.params.slice(builtin.positional).map(paramText);
  const parens = byPosition.length > 0 || byName.length === 0 ? `(${byPosition.join(", ")})` : "";
  const braces = byName.length > 0 ? ` { ${byName.join(", ")} }` : "";
  return builtin.params.length === 0 ? `${builtin.name} : ${showType(builtin.result)}` : `${builtin.name}${parens}${braces} -> ${showType(builtin.result)}`;
}
