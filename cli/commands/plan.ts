/**
 * `roux plan RECIPE [-o FILE]`: the recipe lowered to its Plan, the JSON document the runtime
 * runs (plan/plan.schema.json). To stdout, or to FILE, written atomically so a run
 * never reads half a plan.
 */
import type { Command } from "../command.js";
import { writeFileAtomic } from "../io.js";
import { SET_OPTION } from "../load-recipe.js";
import { planRecipe } from "../plan-recipe.js";

const USAGE = "[-o FILE] [--set PATH=VALUE]... RECIPE";

export const command: Command = {
  usage: USAGE,
  options: { output: { type: "string", short: "o" }, ...SET_OPTION },
  async run(args, io) {
    const plan = await planRecipe("plan", USAGE, args, io);
    if (plan === undefined) return 1;
    const text = `${JSON.stringify(plan, null, 2)}\n`;
    const output = args.values.output;
    if (typeof output === "string") {
      await writeFileAtomic(output, text);
      io.stderr.write(`wrote ${output}\n`);
    } else {
      io.stdout.write(text);
    }
    return 0;
  },
};
