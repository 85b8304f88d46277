/** `roux check --types`: each declaration of the recipe with its type, and its value when known. */
import type { ProgramResult } from "../compiler/program.js";
import { showValue } from "../compiler/show-value.js";

export function typeListing(program: ProgramResult): string {
  const declarations = [...(program.root.result?.declarations.values() ?? [])];
  const width = Math.max(0, ...declarations.map((d) => d.name.length));
  return declarations.map((d) => `${d.kind.padEnd(6)} ${d.name.padEnd(width)} : ${d.value ? showValue(d.value) : "?"}\n`).join("");
}
