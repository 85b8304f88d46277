/**
 * `roux yank [--undo] OWNER/NAME@VERSION`: marks a version yanked. It stays pullable, so the
 * recipes that pin it still check, but search and `roux info` no longer offer it as the latest.
 */
import { parseVersionRef, refText } from "../../registry/names.js";
import { onePositional, type Command } from "../command.js";
import { fromRegistry, REGISTRY_OPTION, registryClient } from "../registry-config.js";
import { UsageError } from "../usage-error.js";

export const command: Command = {
  usage: "[--undo] [--registry URL] OWNER/NAME@VERSION",
  options: { ...REGISTRY_OPTION, undo: { type: "boolean", default: false } },
  async run(args, io) {
    const given = onePositional(args);
    const ref = given === undefined ? undefined : parseVersionRef(given);
    if (ref === undefined) throw new UsageError(`give one version as OWNER/NAME@X.Y.Z\nusage: roux yank ${this.usage}`);
    const client = await registryClient(args, io);
    await fromRegistry(client.yank(ref, !args.values.undo));
    io.stderr.write(`${args.values.undo ? "un-yanked" : "yanked"} ${refText(ref)} on ${client.url}\n`);
    return 0;
  },
};
