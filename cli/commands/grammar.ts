/** `roux grammar --html OUT`: the grammar as railroad diagrams, one self-contained page. */
import { railroadHtml } from "../../grammar/railroad.js";
import type { Command } from "../command.js";
import { writeFileAtomic } from "../io.js";
import { UsageError } from "../usage-error.js";

export const command: Command = {
  usage: "--html OUT",
  options: { html: { type: "string" } },
  async run(args, io) {
    const out = args.values.html;
    if (typeof out !== "string" || args.positionals.length > 0) throw new UsageError("usage: roux grammar --html OUT");
    await writeFileAtomic(out, railroadHtml());
    io.stderr.write(`wrote ${out}\n`);
    return 0;
  },
};
