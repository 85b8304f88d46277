/**
 * `roux import CONFIG.yaml --from verl|trinity [-o FILE]`: an engine config as a recipe, to
 * stdout or FILE. Every key it cannot map is a diagnostic at that key (E3401; a value of the
 * wrong type is E2101); the recipe of what did map is still written, and the exit status is 1
 * when anything was left out.
 */
import path from "node:path";
import type { ExportTarget } from "../../compiler/export/engines.js";
import { diskContext } from "../../compiler/import/disk-context.js";
import { ConfigError, importConfig } from "../../compiler/import/import.js";
import { onePositional, type Command } from "../command.js";
import { readSource, writeFileAtomic } from "../io.js";
import { printDiagnostics } from "../report.js";
import { CommandError, UsageError } from "../usage-error.js";

const USAGE = "--from verl|trinity [-o FILE] CONFIG.yaml";
const SOURCES: readonly ExportTarget[] = ["verl", "trinity"];

export const command: Command = {
  usage: USAGE,
  options: { from: { type: "string" }, output: { type: "string", short: "o" } },
  async run(args, io) {
    const from = args.values.from;
    if (typeof from !== "string" || !(SOURCES as readonly string[]).includes(from)) {
      throw new UsageError(`--from takes \`verl\` or \`trinity\`${from === undefined ? "" : `, not \`${String(from)}\``}\nusage: roux import ${USAGE}`);
    }
    const file = onePositional(args);
    if (file === undefined) throw new UsageError(`give one config file\nusage: roux import ${USAGE}`);
    const text = await readSource(file);
    const output = typeof args.values.output === "string" ? args.values.output : undefined;
    const configDir = path.dirname(path.resolve(io.cwd, file));
    const recipeDir = output === undefined ? io.cwd : path.dirname(path.resolve(io.cwd, output));
    const context = diskContext(configDir, recipeDir, io.env);
    let imported: ReturnType<typeof importConfig>;
    try {
      imported = importConfig(file, text, from as ExportTarget, context);
    } catch (error) {
      if (error instanceof ConfigError) throw new CommandError(error.message);
      throw error;
    }
    const failed = printDiagnostics(imported.diagnostics, new Map([[file, text]]), [file], "text", io);
    if (output === undefined) {
      io.stdout.write(imported.recipe);
    } else {
      await writeFileAtomic(output, imported.recipe);
      io.stderr.write(`wrote ${output}\n`);
    }
    return failed ? 1 : 0;
  },
};
