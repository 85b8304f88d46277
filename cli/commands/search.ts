/** `roux search TEXT`: recipes whose name or description contains TEXT, one a line. */
import type { Command } from "../command.js";
import { fromRegistry, REGISTRY_OPTION, registryClient } from "../registry-config.js";
import { formatOption } from "../report.js";
import { UsageError } from "../usage-error.js";

export const command: Command = {
  usage: "[--format text|json] [--registry URL] TEXT",
  options: { ...REGISTRY_OPTION, format: { type: "string", default: "text" } },
  async run(args, io) {
    const format = formatOption(args.values.format);
    if (args.positionals.length === 0) throw new UsageError("give the text to search for\nusage: roux search [--format text|json] [--registry URL] TEXT");
    const text = args.positionals.join(" ");
    const client = await registryClient(args, io);
    const results = await fromRegistry(client.search(text));
    if (format === "json") {
      io.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      return 0;
    }
    if (results.length === 0) io.stderr.write(`no recipe on ${client.url} matches \`${text}\`\n`);
    const width = Math.max(0, ...results.map((r) => `${r.owner}/${r.name}`.length));
    for (const r of results)
      io.stdout.write(`${`${r.owner}/${r.name}`.padEnd(width)}  ${(r.latest ?? "yanked").padEnd(8)}  ${r.description}\n`.replace(/ +\n$/, "\n"));
    return 0;
  },
};
