/**
 * The `roux` command: finds the subcommand, parses its flags, and turns every failure into a
 * one-line message and an exit status (2 for usage, 1 for anything else); a user never sees a
 * stack trace.
 */
import { parseArgs } from "node:util";
import type { Command, CommandEntry } from "./command.js";
import type { Io } from "./io.js";
import { processIo } from "./process-io.js";
import { CommandError, UsageError } from "./usage-error.js";

// Each loader names its file literally, not by a template on `name`: the bundler
// (scripts/bundle.mjs) sees only literal imports, and splits each command into its own chunk.
const COMMANDS: readonly CommandEntry[] = [
  { name: "check", summary: "check recipes for mistakes without running anything", load: () => import("./commands/check.js") },
  { name: "explain", summary: "explain a diagnostic code, with an example and its fix", load: () => import("./commands/explain.js") },
  { name: "fmt", summary: "format recipes in the canonical layout", load: () => import("./commands/fmt.js") },
  { name: "plan", summary: "lower a recipe to its plan: the JSON the runtime runs", load: () => import("./commands/plan.js") },
  { name: "graph", summary: "draw each stage's dataflow graph (text, Graphviz DOT, Mermaid or SVG)", load: () => import("./commands/graph.js") },
  { name: "cost", summary: "estimate each stage's FLOPs, memory and time per step", load: () => import("./commands/cost.js") },
  {
    name: "rewards",
    summary: "run a stage's rewards, filter, credit and advantages on a batch of responses (JSON)",
    load: () => import("./commands/rewards.js"),
  },
  { name: "run", summary: "train: run a recipe's stages on the local runtime, into a new run directory", load: () => import("./commands/run.js") },
  {
    name: "watch",
    summary: "follow a run (running, finished or crashed) in the terminal UI, or as plain lines when not a terminal",
    load: () => import("./commands/watch.js"),
  },
  {
    name: "sweep",
    summary: "run a sweep's points (variants x grid), N at a time, into one sweep directory; again, it continues it",
    load: () => import("./commands/sweep.js"),
  },
  { name: "runs", summary: "list run directories: status, recipe, best eval accuracy, time", load: () => import("./commands/runs.js") },
  { name: "resume", summary: "continue a stopped or killed run from its newest checkpoint", load: () => import("./commands/resume.js") },
  {
    name: "cache",
    summary: "list the stage cache's entries (trained stages runs start from), remove some, or shrink it to its size limit",
    load: () => import("./commands/cache.js"),
  },
  { name: "eval", summary: "evaluate a run's newest checkpoint on one of its datasets", load: () => import("./commands/eval.js") },
  {
    name: "compare",
    summary: "compare runs: a table of their results, and their curves in compare.svg and compare.png",
    load: () => import("./commands/compare.js"),
  },
  {
    name: "prm",
    summary: "train a learned process reward model on std/arith step labels (with label noise) and write it as ONNX",
    load: () => import("./commands/prm.js"),
  },
  {
    name: "export",
    summary: "write a recipe as a verl or Trinity-RFT config, reward module and Ray launch script",
    load: () => import("./commands/export.js"),
  },
  { name: "import", summary: "turn a verl or Trinity-RFT config into a recipe", load: () => import("./commands/import.js") },
  { name: "grammar", summary: "write the grammar's railroad diagrams as an HTML page", load: () => import("./commands/grammar.js") },
  { name: "lsp", summary: "serve the Language Server Protocol over stdio, for editors", load: () => import("./commands/lsp.js") },
  { name: "login", summary: "save a publishing token for a registry", load: () => import("./commands/login.js") },
  {
    name: "publish",
    summary: "publish a recipe with the files it reads to a registry (it must pass roux check there)",
    load: () => import("./commands/publish.js"),
  },
  { name: "search", summary: "search a registry's recipes by name and description", load: () => import("./commands/search.js") },
  { name: "info", summary: "show a registry recipe's versions and their hashes", load: () => import("./commands/info.js") },
  { name: "pull", summary: "fetch a registry recipe into the local cache and pin it in roux.lock", load: () => import("./commands/pull.js") },
  { name: "yank", summary: "yank a published version (or --undo it)", load: () => import("./commands/yank.js") },
  {
    name: "registry",
    summary: "run a recipe registry (serve), or give out, list and revoke publishing tokens (add-user, tokens, revoke)",
    load: () => import("./commands/registry.js"),
  },
];

function helpText(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  const lines = COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return ["usage: roux COMMAND [ARGS]", "", "commands:", ...lines, "", "`roux COMMAND --help` shows a command's arguments."].join("\n");
}

function commandHelp(entry: CommandEntry, command: Command): string {
  return `usage: roux ${entry.name} ${command.usage}\n\n${entry.summary}${command.details === undefined ? "" : `\n\n${command.details}`}`;
}

export async function main(argv: string[], io: Io = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "help" || name === "--help" || name === "-h") {
    io.stdout.write(`${helpText()}\n`);
    return name === undefined ? 2 : 0;
  }
  const entry = COMMANDS.find((c) => c.name === name);
  try {
    if (entry === undefined) throw new UsageError(`unknown command \`${name}\`\n\n${helpText()}`);
    const { command } = await entry.load();
    if (rest.includes("--help") || rest.includes("-h")) {
      io.stdout.write(`${commandHelp(entry, command)}\n`);
      return 0;
    }
    const args = parseCommandArgs(entry.name, command, rest);
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

function parseCommandArgs(name: string, command: Command, rest: string[]) {
  try {
    return parseArgs({ args: rest, options: command.options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message}\nusage: roux ${name} ${command.usage}`);
  }
}
