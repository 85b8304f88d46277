/** `roux check --types`: each declaration of the recipe with its type, and its value when known. */
import type { ProgramResult } from "../compiler/program.js";
import { showType } from "../compiler/types.js";
import type { Checked } from "../compiler/values.js";

function shown(value: Checked): string {
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

export function typeListing(program: ProgramResult): string {
  const declarations = [...(program.root.result?.declarations.values() ?? [])];
  const width = Math.max(0, ...declarations.map((d) => d.name.length));
  return declarations.map((d) => `${d.kind.padEnd(6)} ${d.name.padEnd(width)} : ${d.value ? shown(d.value) : "?"}\n`).join("");
}
