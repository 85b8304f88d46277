/**
 * `roux registry serve` runs a recipe registry. `roux registry add-user NAME` gives NAME a
 * publishing token (printed once; the database keeps only its hash), another one each time it
 * is run; `roux registry tokens NAME` lists NAME's tokens by id and `roux registry revoke NAME
 * ID` removes one, refused from the next request on. `roux registry gc` removes the package
 * files no version names, once older than `--grace-seconds` (registry/gc.ts); `--dry-run` lists
 * them only. All take `--db FILE`, the registry's SQLite database, created when missing.
 */
import { BlobStore } from "../../registry/blobs.js";
import { collectGarbage, DEFAULT_GRACE_SECONDS, type GcReport } from "../../registry/gc.js";
import { isOwner, OWNER_RULE } from "../../registry/names.js";
import type { CheckBudget } from "../../registry/check-pool.js";
import type { PackageLimits } from "../../registry/package-upload.js";
import type { RunningRegistry } from "../../registry/server.js";
import { MissingPackage } from "../../registry/sqlite.js";
import type { Store } from "../../registry/store.js";
import { newToken, tokenId, tokenSha256 } from "../../registry/tokens.js";
import { aligned } from "../columns.js";
import type { Command, ParsedArgs } from "../command.js";
import type { Io } from "../io.js";
import { DEFAULT_PORT } from "../registry-config.js";
import { CommandError, UsageError } from "../usage-error.js";

const USAGE =
  "serve [--db FILE] [--port N] [--host ADDRESS] [--check-seconds S] [--check-memory-mb M] [--max-file-mb M] [--max-package-mb M] | add-user NAME [--db FILE] | tokens NAME [--db FILE] | revoke NAME ID [--db FILE] | gc [--db FILE] [--dry-run] [--grace-seconds S]";
const DEFAULT_DB = "roux-registry.db";

// The server and SQLite (a native module, an optional package: registry/sqlite.ts) load only for
// these commands: every other `roux` command, `roux check` first, starts without them.
async function openStore(file: string): Promise<Store> {
  const { Store } = await import("../../registry/store.js");
  try {
    return await Store.open(file);
  } catch (error) {
    if (error instanceof MissingPackage) throw new CommandError(error.message);
    throw new CommandError(`cannot open the registry database ${file}: ${(error as Error).message}`);
  }
}

/** Runs `work` on the database of `--db`, closing it after. */
async function withStore<T>(args: ParsedArgs, work: (store: Store) => T): Promise<T> {
  const store = await openStore(String(args.values.db));
  try {
    return work(store);
  } finally {
    store.close();
  }
}

function portOption(value: unknown): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number from 0 to 65535, not \`${String(value)}\``);
  return port;
}

/** A positive number option, when given. */
function positive(args: ParsedArgs, name: string): number | undefined {
  const value = args.values[name];
  if (value === undefined) return undefined;
  const number = Number(value);
  if (!(number > 0) || !Number.isFinite(number)) throw new UsageError(`--${name} takes a positive number, not \`${String(value)}\``);
  return number;
}

/** The options given among `names` (option name to key), each through `convert`. */
function given<K extends string>(args: ParsedArgs, names: Record<string, K>, convert = (n: number) => n): Partial<Record<K, number>> {
  const chosen: Partial<Record<K, number>> = {};
  for (const [name, key] of Object.entries(names) as [string, K][]) {
    const number = positive(args, name);
    if (number !== undefined) chosen[key] = convert(number);
  }
  return chosen;
}

/** The check budget options given (registry/check-pool.ts has the defaults for the rest). */
const checkBudget = (args: ParsedArgs): Partial<CheckBudget> => given(args, { "check-seconds": "seconds", "check-memory-mb": "memoryMb" });

/** The package size limits given, in MiB (registry/package-upload.ts has the defaults for the rest). */
const packageLimits = (args: ParsedArgs): Partial<PackageLimits> =>
  given(args, { "max-file-mb": "fileBytes", "max-package-mb": "packageBytes" }, (mib) => Math.floor(mib * 1024 * 1024));

async function serve(args: ParsedArgs, io: Io): Promise<number> {
  const port = portOption(args.values.port ?? DEFAULT_PORT);
  const checks = checkBudget(args);
  const limits = packageLimits(args);
  const db = String(args.values.db);
  // Opened once here so that a database that cannot be opened is one line, not a server error.
  await withStore(args, () => undefined);
  const { serveRegistry } = await import("../../registry/server.js");
  let registry: RunningRegistry;
  try {
    registry = await serveRegistry({ db, port, host: String(args.values.host), log: (line) => io.stderr.write(`${line}\n`), checks, limits });
  } catch (error) {
    throw new CommandError(`cannot serve on ${String(args.values.host)}:${port}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
  io.stderr.write(`registry at ${registry.url} (database ${db}); Ctrl-C stops it\n`);
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
  await registry.close();
  return 0;
}

/** The user named after the action, and as many more arguments as the action takes. */
function userArgs(args: ParsedArgs, more: string[]): [string, ...string[]] {
  const [action, name, ...rest] = args.positionals;
  if (name === undefined || rest.length !== more.length)
    throw new UsageError(`${action} takes ${["a user name", ...more].join(" and ")}\nusage: roux registry ${USAGE}`);
  if (!isOwner(name)) throw new UsageError(`\`${name}\` cannot be a user: ${OWNER_RULE}`);
  return [name, ...rest];
}

async function addUser(args: ParsedArgs, io: Io): Promise<number> {
  const [name] = userArgs(args, []);
  const token = newToken(name);
  const count = await withStore(args, (store) => {
    store.addToken(name, tokenSha256(token));
    return store.tokens(name).length;
  });
  io.stdout.write(`${token}\n`);
  const who = `${name}, who may publish under ${name}/`;
  // A second add-user does not replace the first token: say so, and how to remove the others.
  const added =
    count === 1
      ? `a token for ${who}`
      : `added another token for ${who}; ${name} now has ${count} valid tokens (\`roux registry tokens ${name}\` lists them, \`roux registry revoke ${name} ID\` removes one)`;
  io.stderr.write(`${added}. Its id is ${tokenId(token)}. Give it to \`roux login\`; it is not shown again\n`);
  return 0;
}

async function listTokens(args: ParsedArgs, io: Io): Promise<number> {
  const [name] = userArgs(args, []);
  const tokens = await withStore(args, (store) => (store.hasUser(name) ? store.tokens(name) : undefined));
  if (tokens === undefined) throw new CommandError(`there is no user ${name} on this registry`);
  if (tokens.length === 0) {
    io.stderr.write(`${name} has no tokens: \`roux registry add-user ${name}\` makes one\n`);
    return 0;
  }
  io.stdout.write(aligned([["id", "created", "last used"], ...tokens.map((t) => [t.id, t.createdAt, t.lastUsedAt ?? "never"])]));
  return 0;
}

async function gc(args: ParsedArgs, io: Io): Promise<number> {
  if (args.positionals.length !== 1) throw new UsageError(`gc takes no arguments\nusage: roux registry ${USAGE}`);
  const graceText = args.values["grace-seconds"];
  const graceSeconds = graceText === undefined ? DEFAULT_GRACE_SECONDS : Number(graceText);
  if (!(graceSeconds >= 0) || !Number.isFinite(graceSeconds))
    throw new UsageError(`--grace-seconds takes a number of seconds, 0 or more, not \`${String(graceText)}\``);
  const dryRun = args.values["dry-run"] === true;
  const db = String(args.values.db);
  const store = await openStore(db);
  let report: GcReport;
  try {
    report = await collectGarbage(store, BlobStore.beside(db), { graceSeconds, dryRun });
  } finally {
    store.close();
  }
  const verb = dryRun ? "would remove" : "removed";
  for (const { file, size } of report.removed) io.stdout.write(`${verb} ${file}  ${size} bytes\n`);
  const young = report.young === 0 ? "" : `; kept ${report.young} not named by any version but younger than ${graceSeconds} s`;
  const freed = dryRun ? "would be freed" : "freed";
  io.stderr.write(`${verb} ${report.removed.length} file${report.removed.length === 1 ? "" : "s"} no version names, ${report.bytes} bytes ${freed}${young}\n`);
  return 0;
}

async function revoke(args: ParsedArgs, io: Io): Promise<number> {
  const [name, id] = userArgs(args, ["a token id"]);
  const left = await withStore(args, (store) => (store.revokeToken(name, id!) ? store.tokens(name).length : undefined));
  if (left === undefined) throw new CommandError(`${name} has no token with id \`${id}\`: \`roux registry tokens ${name}\` lists their ids`);
  io.stderr.write(`revoked ${name}'s token ${id}; ${name} has ${left} valid token${left === 1 ? "" : "s"} left\n`);
  return 0;
}

export const command: Command = {
  usage: USAGE,
  options: {
    db: { type: "string", default: DEFAULT_DB },
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    "check-seconds": { type: "string" },
    "check-memory-mb": { type: "string" },
    "max-file-mb": { type: "string" },
    "max-package-mb": { type: "string" },
    "dry-run": { type: "boolean" },
    "grace-seconds": { type: "string" },
  },
  async run(args, io) {
    const [action] = args.positionals;
    if (action === "serve" && args.positionals.length === 1) return serve(args, io);
    if (action === "add-user") return addUser(args, io);
    if (action === "tokens") return listTokens(args, io);
    if (action === "revoke") return revoke(args, io);
    if (action === "gc") return gc(args, io);
    throw new UsageError(`${action === undefined ? "say what to do" : `unknown registry action \`${action}\``}\nusage: roux registry ${USAGE}`);
  },
};
