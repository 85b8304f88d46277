/** The shape every `roux` subcommand has: a table entry the dispatcher and `roux help` read. */
import type { ParseArgsConfig } from "node:util";
import type { Io } from "./io.js";

export type Options = NonNullable<ParseArgsConfig["options"]>;

export interface ParsedArgs {
  values: Record<string, string | boolean | (string | boolean)[] | undefined>;
  positionals: string[];
}

export interface Command {
  name: string;
  summary: string;
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
