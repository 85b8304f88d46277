/**
 * The shape of a `roux` subcommand: a line of the dispatcher's table (name, one-line summary,
 * and how to load the rest), and the module that line loads (usage, flags, details, run).
 */
import type { ParseArgsConfig } from "node:util";
import type { Io } from "./io.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

/**
 * A line of the table `roux` dispatches on and `roux help` lists. The command's module is loaded
 * only when that command runs: each one imports its own part of the compiler, runtime or
 * registry, and loading them all costs start-up time every command pays (docs/architecture.md
 * "Start-up").
 */
export interface CommandEntry {
  name: string;
  summary: string;
  load(): Promise<{ command: Command }>;
}

/** What a command's module exports as `command`: everything `roux NAME` needs beyond its table line. */
export interface Command {
  /** The arguments after the command name, as shown in help: `[--check | --write] FILE...`. */
  usage: string;
  options: Options;
  /** What `--help` adds after the summary: what the output means, what the command cannot do. */
  details?: string;
  /** Returns the exit status: 0 success, 1 errors found, 2 usage (thrown as UsageError). */
  run(args: ParsedArgs, io: Io): Promise<number>;
}

/** The positional argument of a command that takes exactly one; undefined when none or several were given. */
export function onePositional(args: ParsedArgs): string | undefined {
  const [only, ...more] = args.positionals;
  return more.length === 0 ? only : undefined;
}
