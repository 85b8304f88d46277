/**
 * `roux graph RECIPE [--format text|dot|mermaid|svg]`: each stage's dataflow graph. Text for a
 * terminal (docs/architecture.md "roux graph"), DOT for Graphviz (`roux graph r.recipe --format dot | dot -Tsvg`), Mermaid
 * for Markdown, SVG drawn without Graphviz (what the registry's recipe page shows).
 */
import { graphDot } from "../../compiler/backends/graph-dot.js";
import { graphMermaid } from "../../compiler/backends/graph-mermaid.js";
import { graphSvg } from "../../compiler/backends/graph-svg.js";
import { graphText } from "../../compiler/backends/graph-text.js";
import type { Plan } from "../../plan/plan.js";
import type { Command } from "../command.js";
import { SET_OPTION } from "../load-recipe.js";
import { planRecipe } from "../plan-recipe.js";
import { UsageError } from "../usage-error.js";

const USAGE = "[--format text|dot|mermaid|svg] [--set PATH=VALUE]... RECIPE";

const BACKENDS: ReadonlyMap<string, (plan: Plan) => string> = new Map([
  ["text", graphText],
  ["dot", graphDot],
  ["mermaid", graphMermaid],
  ["svg", graphSvg],
]);

export const command: Command = {
  usage: USAGE,
  options: { format: { type: "string", default: "text" }, ...SET_OPTION },
  async run(args, io) {
    const format = String(args.values.format);
    const backend = BACKENDS.get(format);
    if (backend === undefined) throw new UsageError(`--format takes ${[...BACKENDS.keys()].map((f) => `\`${f}\``).join(", ")}, not \`${format}\``);
    const plan = await planRecipe("graph", USAGE, args, io);
    if (plan === undefined) return 1;
    io.stdout.write(backend(plan));
    return 0;
  },
};
