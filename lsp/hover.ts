/**
 * Hover: the type of the name or expression under the cursor as `roux check --types` prints it
 * (compiler/show-value.ts), a built-in's signature and one-line doc from the built-ins table, a
 * field's parameter doc, an import's module; for a stage, its graph and cost (stage-summary.ts).
 */
import type { Hover } from "vscode-languageserver";
import { showValue } from "../compiler/show-value.js";
import type { Analysis } from "./analysis.js";
import { taskMembers } from "./imports.js";
import { meaningAt } from "./meaning.js";
import { signature } from "./signature.js";
import { stageSummary } from "./stage-summary.js";

function code(text: string): string {
  return `\`\`\`roux\n${text}\n\`\`\``;
}

export function hoverAt(analysis: Analysis, offset: number): Hover | null {
  const program = analysis.program;
  if (program === undefined) return null;
  const meaning = meaningAt(program, offset);
  if (meaning === undefined) return null;
  const parts: string[] = [];
  switch (meaning.kind) {
    case "declaration": {
      const { declaration, module } = meaning;
      parts.push(code(`${declaration.kind} ${declaration.name} : ${declaration.value ? showValue(declaration.value) : "?"}`));
      if (module !== program.root) parts.push(`from \`${module.specifier}\``);
      else if (declaration.kind === "stage") parts.push(...stageSummary(program, declaration.name));
      break;
    }
    case "module":
      parts.push(code(`use "${meaning.use.path.value}" as ${meaning.use.alias.name}`));
      if (meaning.module) {
        const count = (meaning.module.result?.declarations.size ?? 0) + taskMembers(meaning.use).length;
        parts.push(`\`${meaning.module.file}\`: ${count} member${count === 1 ? "" : "s"}`);
      }
      break;
    case "builtin":
      parts.push(code(signature(meaning.builtin)), meaning.builtin.doc);
      break;
    case "field":
      parts.push(code(`${meaning.name} : ${meaning.value ? showValue(meaning.value) : "?"}`));
      if (meaning.param) parts.push(meaning.param.doc);
      break;
    case "value":
      parts.push(code(showValue(meaning.value)));
      break;
  }
  return { contents: { kind: "markdown", value: parts.join("\n\n") } };
}
