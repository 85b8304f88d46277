/**
 * `roux explain [CODE]`: prints a diagnostic code's entry from docs/errors.md (when it happens,
 * why it matters, a recipe that triggers it and the same recipe fixed), as the file has it.
 * Without a code, lists every code with the summary from the code table.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { CODES, isCode } from "../../diagnostics/codes.js";
import { closest } from "../../diagnostics/suggest.js";
import type { Command } from "../command.js";
import { readSource } from "../io.js";
import { CommandError, UsageError } from "../usage-error.js";

const USAGE = "usage: roux explain [CODE]";

export interface ErrorEntry {
  code: string;
  /** The heading's text after the code: the code table's summary. */
  summary: string;
  /** The entry as written, from its `## ` heading up to the next one, without trailing blank lines. */
  text: string;
}

/**
 * The entries of docs/errors.md: each starts at a `## CODE: summary` heading and ends at the next
 * `## ` heading outside a fenced block (or the end of the file). Text before the first entry, and
 * under a `## ` heading that does not name a code, belongs to no entry.
 */
export function parseErrorEntries(markdown: string): ErrorEntry[] {
  const entries: ErrorEntry[] = [];
  let current: { code: string; summary: string; lines: string[] } | undefined;
  let fenced = false;
  const finish = () => {
    if (current) entries.push({ code: current.code, summary: current.summary, text: current.lines.join("\n").trimEnd() });
  };
  for (const line of markdown.split(/\r?\n/)) {
    if (line.startsWith("```")) {
      fenced = !fenced;
    } else if (!fenced && line.startsWith("## ")) {
      finish();
      const [, code, summary] = /^## ([EW]\d{4}): (.+)$/.exec(line.trimEnd()) ?? [];
      current = code !== undefined && summary !== undefined ? { code, summary, lines: [] } : undefined;
    }
    current?.lines.push(line);
  }
  finish();
  return entries;
}

/**
 * The root of the Roux package: the nearest folder above this module whose package.json is named
 * "roux". This module is cli/commands/explain.ts under vitest and dist/cli/commands/explain.js
 * when built, so the root is a different number of levels up in each.
 */
export function packageRoot(start = path.dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (packageName(path.join(dir, "package.json")) === "roux") return dir;
    if (path.dirname(dir) === dir) throw new CommandError(`cannot find the Roux package (a package.json named "roux") above ${start}`);
  }
}

function packageName(file: string): unknown {
  try {
    return (JSON.parse(readFileSync(file, "utf8")) as { name?: unknown }).name;
  } catch {
    return undefined;
  }
}

export function errorsFile(): string {
  return path.join(packageRoot(), "docs", "errors.md");
}

function listing(): string {
  return Object.entries(CODES)
    .map(([code, entry]) => `${code}  ${entry.summary}`)
    .join("\n");
}

export const command: Command = {
  usage: "[CODE]",
  options: {},
  async run(args, io) {
    if (args.positionals.length > 1) throw new UsageError(`give one code at a time\n${USAGE}`);
    const [given] = args.positionals;
    if (given === undefined) {
      io.stdout.write(`${listing()}\n`);
      return 0;
    }
    const code = given.trim().toUpperCase();
    if (!isCode(code)) {
      const suggestion = closest(code, Object.keys(CODES));
      const hint = suggestion ? `; did you mean \`${suggestion}\`?` : "";
      throw new UsageError(`unknown code \`${given}\`${hint}\n\`roux explain\` lists every code`);
    }
    const file = errorsFile();
    const entry = parseErrorEntries(await readSource(file)).find((e) => e.code === code);
    if (entry === undefined) throw new CommandError(`${file} has no entry for ${code}`);
    io.stdout.write(`${entry.text}\n`);
    return 0;
  },
};
