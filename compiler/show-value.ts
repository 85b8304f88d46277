/**
 * How a checked value is shown to a person: its type, then its reward range or its constant
 * value when known (`Reward<outcome> in {0, 1}`, `Int = 64`). `roux check --types` lists
 * declarations this way and the language server's hover shows the same text, so the two never
 * disagree.
 */
import { showType } from "./types.js";
import type { Checked } from "./values.js";

export function showValue(value: Checked): string {
  const type = showType(value.type);
  const c = value.constant;
  if (value.reward) {
    const { lo, hi, binary } = value.reward;
    return `${type} in ${binary ? `{${lo}, ${hi}}` : `[${lo}, ${hi}]`}`;
  }
  if (c === undefined) return type;
  switch (c.kind) {
    case "number":
    case "bool":
      return `${type} = ${c.value}`;
    case "string":
      return `${type} = ${JSON.stringify(c.value)}`;
    case "duration":
      return `${type} = ${c.value} ${c.unit}`;
    case "range":
      return `${type} = ${c.lo}..${c.hi}`;
    case "transition":
      return `${type} = ${c.from} -> ${c.to}`;
  }
}
