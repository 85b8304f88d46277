/**
 * `roux info OWNER/NAME`: a recipe's description and every version with its hashes, newest
 * first. A version's sha256 is its pin: a package's is its package hash, and its files are counted.
 */
import { versionPin } from "../../compiler/modules/package-manifest.js";
import { NAME_RULE, parseRecipeName } from "../../registry/names.js";
import { onePositional, type Command } from "../command.js";
import { fromRegistry, REGISTRY_OPTION, registryClient } from "../registry-config.js";
import { formatOption } from "../report.js";
import { UsageError } from "../usage-error.js";

export const command: Command = {
  usage: "[--format text|json] [--registry URL] OWNER/NAME",
  options: { ...REGISTRY_OPTION, format: { type: "string", default: "text" } },
  async run(args, io) {
    const format = formatOption(args.values.format);
    const given = onePositional(args);
    const ref = given === undefined ? undefined : parseRecipeName(given);
    if (ref === undefined) throw new UsageError(`give one recipe as OWNER/NAME (${NAME_RULE})\nusage: roux info ${this.usage}`);
    const client = await registryClient(args, io);
    const info = await fromRegistry(client.info(ref));
    if (format === "json") {
      io.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
      return 0;
    }
    const lines = [
      `${info.owner}/${info.name}${info.description ? `: ${info.description}` : ""}`,
      `latest: ${info.latest ?? "none (every version is yanked)"}`,
    ];
    for (const v of info.versions) {
      const files = v.manifest === undefined ? "" : `  package of ${v.manifest.files.length + 1} files`;
      lines.push(`${v.version.padEnd(10)} sha256 ${versionPin(v)}  recipe ${v.recipeHash}  ${v.publishedAt.slice(0, 10)}${files}${v.yanked ? "  yanked" : ""}`);
    }
    io.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};
