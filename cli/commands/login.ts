/**
 * `roux login [--registry URL] [--token TOKEN]`: checks a token with the registry and saves it
 * for `roux publish`. The token is read from standard input when not given, so it need not sit
 * in the shell's history.
 */
import type { Command } from "../command.js";
import type { Io } from "../io.js";
import { fromRegistry, REGISTRY_OPTION, registryClient, saveToken } from "../registry-config.js";
import { RegistryClient } from "../../registry/client.js";
import { UsageError } from "../usage-error.js";

async function readTokenLine(io: Io): Promise<string> {
  if (process.stdin.isTTY) io.stderr.write("token (from `roux registry add-user`): ");
  let text = "";
  for await (const chunk of process.stdin) {
    text += String(chunk);
    if (text.includes("\n")) break;
  }
  const [line = ""] = text.split("\n");
  return line.trim();
}

export const command: Command = {
  usage: "[--registry URL] [--token TOKEN]",
  options: { ...REGISTRY_OPTION, token: { type: "string" } },
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError("login takes no arguments\nusage: roux login [--registry URL] [--token TOKEN]");
    const { url } = await registryClient(args, io);
    const token = (args.values.token as string | undefined) ?? (await readTokenLine(io));
    if (token === "") throw new UsageError("no token given: pass --token, or type it on standard input");
    const client = new RegistryClient(url, token);
    const user = await fromRegistry(client.whoami());
    const file = await saveToken(client, token, io);
    io.stderr.write(`logged in to ${url} as ${user} (token saved in ${file})\n`);
    return 0;
  },
};
