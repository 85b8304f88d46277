/**
 * `roux cache ls | gc [--max-bytes N] | rm KEY...`: the stage cache (runtime/stage-cache/README.md)
 * as a user manages it. `ls` lists its entries, least recently used first (key, recipe, stage,
 * seed, size, last used); `gc` removes the least recently used until the cache holds at most
 * `--max-bytes` (else ROUX_STAGE_CACHE_MAX_BYTES, else 4 GiB), and what dead processes left
 * half-written; `rm` removes the entries named by a key or a prefix of one that names one entry.
 */
import { type EntryListing, listEntries, removeEntry } from "../../runtime/stage-cache/entry-store.js";
import { collectGarbage } from "../../runtime/stage-cache/gc.js";
import { aligned } from "../columns.js";
import type { Command } from "../command.js";
import type { Io } from "../io.js";
import { stageCacheSettings } from "../run/stage-cache-settings.js";
import { CommandError, UsageError } from "../usage-error.js";

const USAGE = "ls | gc [--max-bytes N] | rm KEY...";
/** Keys are shown by their first characters, as git shows commits: enough to tell them apart. */
const SHOWN_KEY = 12;

export const command: Command = {
  usage: USAGE,
  options: { "max-bytes": { type: "string" } },
  details:
    "The cache is $ROUX_CACHE/stages (~/.cache/roux/stages by default). Runs keep it within ROUX_STAGE_CACHE_MAX_BYTES (default 4 GiB) after each stage they store; what a key holds: runtime/stage-cache/README.md.",
  async run(args, io) {
    const [action, ...rest] = args.positionals;
    const maxBytes = args.values["max-bytes"] as string | undefined;
    if (maxBytes !== undefined && action !== "gc") throw new UsageError(`--max-bytes applies to gc\nusage: roux cache ${USAGE}`);
    if (action === "ls" && rest.length === 0) return list(io);
    if (action === "gc" && rest.length === 0) return gc(io, maxBytes);
    if (action === "rm" && rest.length > 0) return remove(io, rest);
    throw new UsageError(
      `${action === undefined ? "say what to do" : `\`roux cache ${args.positionals.join(" ")}\` is not a cache action`}\nusage: roux cache ${USAGE}`,
    );
  },
};

async function list(io: Io): Promise<number> {
  const { dir } = stageCacheSettings(io.env);
  const entries = await listEntries(dir);
  if (entries.length === 0) {
    io.stdout.write(`the stage cache ${dir} is empty\n`);
    return 0;
  }
  const rows = entries.map((e) => [
    e.key.slice(0, SHOWN_KEY),
    e.info?.recipe ?? "?",
    e.info === undefined ? "? (no readable entry.json)" : `${e.info.stage} (${e.info.index + 1})`,
    String(e.info?.seed ?? "?"),
    size(e.bytes),
    e.lastUsed.toISOString().slice(0, 19).replace("T", " "),
  ]);
  io.stdout.write(aligned([["key", "recipe", "stage", "seed", "size", "last used"], ...rows]));
  io.stdout.write(`${entries.length} ${entries.length === 1 ? "entry" : "entries"}, ${size(total(entries))}, in ${dir}\n`);
  return 0;
}

async function gc(io: Io, maxBytes: string | undefined): Promise<number> {
  const settings = stageCacheSettings(io.env, maxBytes);
  const { removed, bytes } = await collectGarbage(settings.dir, settings.maxBytes);
  for (const e of removed) io.stdout.write(removedLine(e));
  io.stdout.write(`the stage cache holds ${size(bytes)}, at most ${size(settings.maxBytes)}\n`);
  return 0;
}

async function remove(io: Io, keys: readonly string[]): Promise<number> {
  const { dir } = stageCacheSettings(io.env);
  const entries = await listEntries(dir);
  // Every key is matched before any entry goes: a mistyped one removes nothing.
  const chosen = keys.map((given) => {
    const matches = entries.filter((e) => e.key.startsWith(given.toLowerCase()));
    if (matches.length === 1) return matches[0]!;
    throw new CommandError(
      matches.length === 0
        ? `no entry of the stage cache has a key starting \`${given}\` (roux cache ls lists them)`
        : `\`${given}\` starts ${matches.length} keys: give more of the key`,
    );
  });
  for (const e of chosen) {
    await removeEntry(dir, e.key);
    io.stdout.write(removedLine(e));
  }
  return 0;
}

function removedLine(e: EntryListing): string {
  return `removed ${e.key.slice(0, SHOWN_KEY)} (${e.info?.recipe ?? "?"}, stage ${e.info?.stage ?? "?"}, ${size(e.bytes)})\n`;
}

function total(entries: readonly EntryListing[]): number {
  return entries.reduce((n, e) => n + e.bytes, 0);
}

/** Bytes in the unit that keeps the number short: 812 B, 3.4 MiB, 1.2 GiB. */
function size(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
