/**
 * `roux lsp`: the language server (lsp/) over stdin and stdout, for an editor to start. It
 * serves until the editor sends `exit` or closes stdin. `--stdio` is accepted because editors'
 * clients add it to say which transport they expect; stdio is the only one.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "../command.js";
import { packageRoot } from "./explain.js";
import { UsageError } from "../usage-error.js";

export const command: Command = {
  usage: "[--stdio]",
  options: { stdio: { type: "boolean", default: false } },
  details:
    "Diagnostics as you type (unsaved text of open files included), hover with types and built-in docs, go to definition, document symbols and formatting. Start it from an editor: see lsp/README.md.",
  async run(args, io) {
    if (args.positionals.length > 0) throw new UsageError("`roux lsp` takes no files: the editor sends them");
    // Anything printed to stdout would corrupt the protocol; the server writes there alone.
    console.log = console.error;
    const { version } = JSON.parse(readFileSync(path.join(packageRoot(), "package.json"), "utf8")) as { version: string };
    // Loaded here, not at the top: every other command would pay for the protocol library.
    const { startServer } = await import("../../lsp/server.js");
    await startServer(process.stdin, io.stdout, { env: io.env, version });
    return 0;
  },
};
