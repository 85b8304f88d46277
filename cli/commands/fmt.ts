/**
 * `roux fmt [--check | --write] FILE...`: the canonical layout. Without a flag the formatted
 * text goes to stdout; `--write` replaces each file atomically (a file is never left half
 * written); `--check` changes nothing and exits 1 naming the files that are not formatted. A
 * file with syntax errors, or bytes that are not UTF-8, is never formatted: its diagnostics are
 * shown instead.
 */
import { format } from "../../grammar/format.js";
import { parse } from "../../grammar/parse.js";
import type { Command } from "../command.js";
import { readRecipeSource, writeFileAtomic } from "../io.js";
import { printDiagnostics } from "../report.js";
import { UsageError } from "../usage-error.js";

export const command: Command = {
  usage: "[--check | --write] FILE...",
  options: { check: { type: "boolean", default: false }, write: { type: "boolean", default: false } },
  async run(args, io) {
    const { check, write } = args.values;
    if (check && write) throw new UsageError("--check and --write exclude each other");
    if (args.positionals.length === 0) throw new UsageError("no recipe given\nusage: roux fmt [--check | --write] FILE...");
    let status = 0;
    for (const file of args.positionals) {
      const { text: source, diagnostics: undecodable } = await readRecipeSource(file);
      const parsed = parse(source, file);
      // Bytes that are not UTF-8 stop formatting like a syntax error: writing the text back would replace them.
      if (printDiagnostics([...undecodable, ...parsed.diagnostics], new Map([[file, source]]), [file], "text", io)) {
        status = 1;
        continue;
      }
      const formatted = format(parsed.ast, source);
      if (check) {
        if (formatted !== source) {
          io.stdout.write(`${file}: not formatted (run \`roux fmt --write ${file}\`)\n`);
          status = 1;
        }
      } else if (write) {
        if (formatted !== source) await writeFileAtomic(file, formatted);
      } else {
        io.stdout.write(formatted);
      }
    }
    return status;
  },
};
