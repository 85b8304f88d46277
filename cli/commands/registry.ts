/**
 * `roux registry serve` runs a recipe registry; `roux registry add-user NAME` gives NAME a
 * publishing token (printed once; the database keeps only its hash). Both take `--db FILE`,
 * the registry's SQLite database, created when missing.
 */
import { isOwner, OWNER_RULE } from "../../registry/names.js";
import type { CheckBudget } from "../../registry/check-pool.js";
import type { RunningRegistry } from "../../registry/server.js";
import type { Store } from "../../registry/store.js";
import { newToken, tokenSha256 } from "../../registry/tokens.js";
import type { Command, ParsedArgs } from "../command.js";
import type { Io } from "../io.js";
import { DEFAULT_PORT } from "../registry-config.js";
import { CommandError, UsageError } from "../usage-error.js";

const USAGE = "serve [--db FILE] [--port N] [--host ADDRESS] [--check-seconds S] [--check-memory-mb M] | add-user NAME [--db FILE]";
const DEFAULT_DB = "roux-registry.db";

// The server and SQLite (a native module) load only for these commands: every other `roux`
// command, `roux check` first, starts without them.
async function openStore(file: string): Promise<Store> {
  const { Store } = await import("../../registry/store.js");
  try {
    return new Store(file);
  } catch (error) {
    throw new CommandError(`cannot open the registry database ${file}: ${(error as Error).message}`);
  }
}

function portOption(value: unknown): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`--port takes a port number from 0 to 65535, not \`${String(value)}\``);
  return port;
}

/** The check budget options given (registry/check-pool.ts has the defaults for the rest). */
function checkBudget(args: ParsedArgs): Partial<CheckBudget> {
  const option = (name: string, key: keyof CheckBudget) => {
    const value = args.values[name];
    if (value === undefined) return {};
    const number = Number(value);
    if (!(number > 0) || !Number.isFinite(number)) throw new UsageError(`--${name} takes a positive number, not \`${String(value)}\``);
    return { [key]: number };
  };
  return { ...option("check-seconds", "seconds"), ...option("check-memory-mb", "memoryMb") };
}

async function serve(args: ParsedArgs, io: Io): Promise<number> {
  const port = portOption(args.values.port ?? DEFAULT_PORT);
  const checks = checkBudget(args);
  const db = String(args.values.db);
  // Opened once here so that a database that cannot be opened is one line, not a server error.
  (await openStore(db)).close();
  const { serveRegistry } = await import("../../registry/server.js");
  let registry: RunningRegistry;
  try {
    registry = await serveRegistry({ db, port, host: String(args.values.host), log: (line) => io.stderr.write(`${line}\n`), checks });
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

async function addUser(args: ParsedArgs, io: Io): Promise<number> {
  const [, name, ...extra] = args.positionals;
  if (name === undefined || extra.length > 0) throw new UsageError(`give one user name\nusage: roux registry ${USAGE}`);
  if (!isOwner(name)) throw new UsageError(`\`${name}\` cannot be a user: ${OWNER_RULE}`);
  const store = await openStore(String(args.values.db));
  const token = newToken(name);
  try {
    store.addToken(name, tokenSha256(token));
  } finally {
    store.close();
  }
  io.stdout.write(`${token}\n`);
  io.stderr.write(`a token for ${name}, who may publish under ${name}/: give it to \`roux login\`; it is not shown again\n`);
  return 0;
}

export const registryCommand: Command = {
  name: "registry",
  summary: "run a recipe registry (serve), or give a user a publishing token (add-user)",
  usage: USAGE,
  options: {
    db: { type: "string", default: DEFAULT_DB },
    port: { type: "string" },
    host: { type: "string", default: "127.0.0.1" },
    "check-seconds": { type: "string" },
    "check-memory-mb": { type: "string" },
  },
  async run(args, io) {
    const [action] = args.positionals;
    if (action === "serve" && args.positionals.length === 1) return serve(args, io);
    if (action === "add-user") return addUser(args, io);
    throw new UsageError(`${action === undefined ? "say what to do" : `unknown registry action \`${action}\``}\nusage: roux registry ${USAGE}`);
  },
};
