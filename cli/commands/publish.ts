/**
 * `roux publish FILE --name OWNER/NAME --version X.Y.Z`: sends the recipe to the registry,
 * which publishes it only if it passes `roux check` there; its diagnostics are shown here as
 * `roux check` shows them.
 */
import { readFile } from "node:fs/promises";
import { describeFsError } from "../../runtime/record/fs-error.js";
import { RegistryError } from "../../registry/client.js";
import { isVersion, parseRecipeName, NAME_RULE, VERSION_RULE, refText } from "../../registry/names.js";
import { onePositional, type Command } from "../command.js";
import { REGISTRY_OPTION, registryClient } from "../registry-config.js";
import { CommandError, UsageError } from "../usage-error.js";

const USAGE = "FILE --name OWNER/NAME --version X.Y.Z [--registry URL]";

export const command: Command = {
  usage: USAGE,
  options: { ...REGISTRY_OPTION, name: { type: "string" }, version: { type: "string" } },
  async run(args, io) {
    const file = onePositional(args);
    if (file === undefined) throw new UsageError(`give one recipe file\nusage: roux publish ${USAGE}`);
    const recipe = parseRecipeName(String(args.values.name ?? ""));
    if (recipe === undefined) throw new UsageError(`--name takes OWNER/NAME (${NAME_RULE}), not \`${String(args.values.name ?? "")}\``);
    const version = String(args.values.version ?? "");
    if (!isVersion(version)) throw new UsageError(`--version takes MAJOR.MINOR.PATCH (${VERSION_RULE}), not \`${version}\``);
    let content: Buffer;
    try {
      content = await readFile(file);
    } catch (error) {
      throw new CommandError(`cannot read ${file}: ${describeFsError(error)}`);
    }
    const client = await registryClient(args, io);
    const ref = { ...recipe, version };
    try {
      const published = await client.publish(ref, content);
      io.stderr.write(`published ${refText(ref)} to ${client.url}\n`);
      io.stdout.write(`sha256 ${published.sha256}\nrecipe ${published.recipeHash}\n`);
      return 0;
    } catch (error) {
      if (!(error instanceof RegistryError)) throw error;
      if (error.rendered !== undefined) io.stderr.write(error.rendered);
      throw new CommandError(error.message);
    }
  },
};
