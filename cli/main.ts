/**
 * The `roux` command: finds the subcommand, parses its flags, and turns every failure into a
 * one-line message and an exit status (2 for usage, 1 for anything else); a user never sees a
 * stack trace.
 */
import { parseArgs } from "node:util";
import { checkCommand } from "./commands/check.js";
import { compareCommand } from "./commands/compare.js";
import { costCommand } from "./commands/cost.js";
import { explainCommand } from "./commands/explain.js";
import { exportCommand } from "./commands/export.js";
import { fmtCommand } from "./commands/fmt.js";
import { grammarCommand } from "./commands/grammar.js";
import { graphCommand } from "./commands/graph.js";
import { importCommand } from "./commands/import.js";
import { planCommand } from "./commands/plan.js";
import { evalCommand } from "./commands/eval.js";
import { prmCommand } from "./commands/prm.js";
import { resumeCommand } from "./commands/resume.js";
import { rewardsCommand } from "./commands/rewards.js";
import { runCommand } from "./commands/run.js";
import { infoCommand } from "./commands/info.js";
import { lspCommand } from "./commands/lsp.js";
import { loginCommand } from "./commands/login.js";
import { publishCommand } from "./commands/publish.js";
import { pullCommand } from "./commands/pull.js";
import { registryCommand } from "./commands/registry.js";
import { searchCommand } from "./commands/search.js";
import { yankCommand } from "./commands/yank.js";
import { runsCommand } from "./commands/runs.js";
import { watchCommand } from "./commands/watch.js";
import type { Command } from "./command.js";
import { processIo, type Io } from "./io.js";
import { CommandError, UsageError } from "./usage-error.js";

const COMMANDS: readonly Command[] = [
  checkCommand,
  explainCommand,
  fmtCommand,
  planCommand,
  graphCommand,
  costCommand,
  rewardsCommand,
  runCommand,
  watchCommand,
  runsCommand,
  resumeCommand,
  evalCommand,
  compareCommand,
  prmCommand,
  exportCommand,
  importCommand,
  grammarCommand,
  lspCommand,
  loginCommand,
  publishCommand,
  searchCommand,
  infoCommand,
  pullCommand,
  yankCommand,
  registryCommand,
];

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ["usage: roux COMMAND [ARGS]", "", "commands:", ...lines, "", "`roux COMMAND --help` shows a command's arguments."].join("\n");
}

function commandHelp(command: Command): string {
  return `usage: roux ${command.name} ${command.usage}\n\n${command.summary}${command.details === undefined ? "" : `\n\n${command.details}`}`;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout.write(`${helpText()}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  try {
    if (command === undefined) throw new UsageError(`unknown command \`${name}\`\n\n${helpText()}`);
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout.write(`${commandHelp(command)}\n`);
      return 0;
    }
    const args = parseCommandArgs(command, rest);
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    if (error instanceof CommandError) {
      io.stderr.write(`error: ${error.message}\n`);
      return 1;
    }
    // A bug in Roux itself: still one readable line, with the detail for a bug report.
    io.stderr.write(`internal error: ${(error as Error).message ?? String(error)}\nplease report this with the command you ran\n`);
    return 1;
  }
}

function parseCommandArgs(command: Command, rest: string[]) {
  try {
    return parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: roux ${command.name} ${command.usage}`);
  }
}
