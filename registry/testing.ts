/**
 * A real registry for tests: `roux registry serve` as its own process on a free loopback port,
 * with a fresh database, and a folder each for the client's cache and credentials. Users get
 * their tokens from `roux registry add-user`, as on a real server, and `admin` runs the other
 * account commands on the server's database. The server runs from dist/,
 * which `npm test` builds first (after a change, `npm run build` before running one file).
 * `serveArgs` are more `roux registry serve` options, e.g. a check budget a test can exceed.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { REPO_ROOT } from "../test/recipes.js";
import { type CliResult, runCli } from "../test/run-cli.js";

export interface TestRegistry {
  url: string;
  /** A scratch folder for the test's own files. */
  dir: string;
  /** The server's database file. */
  db: string;
  /** ROUX_REGISTRY, ROUX_CACHE and ROUX_CONFIG for client commands. */
  env: Record<string, string>;
  addUser(name: string): Promise<string>;
  /** Stops the server and starts another on the same database with these `serve` options; `url` follows it. */
  restart(serveArgs: readonly string[]): Promise<void>;
  /** `roux registry ARGS... --db` the server's database, as its operator runs it. */
  admin(args: string[]): Promise<CliResult>;
  /** The server's stderr so far, once a line of it matches `pattern`. */
  logged(pattern: RegExp): Promise<string>;
  close(): Promise<void>;
}

export async function startTestRegistry(serveArgs: readonly string[] = []): Promise<TestRegistry> {
  const dir = await mkdtemp(path.join(tmpdir(), "roux-registry-"));
  const db = path.join(dir, "registry.db");
  let log = "";
  const waiting = new Set<() => void>();
  // The server on a port of its own; `restart` starts another on the same database.
  const serve = (args: readonly string[]) => {
    const child: ChildProcess = spawn(process.execPath, [path.join(REPO_ROOT, "bin", "roux.js"), "registry", "serve", "--db", db, "--port", "0", ...args], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    const started = log.length;
    const url = new Promise<string>((resolve, reject) => {
      child.stderr!.on("data", (chunk) => {
        log += String(chunk);
        for (const wake of waiting) wake();
        const [, url] = /registry at (http:\/\/\S+)/.exec(log.slice(started)) ?? [];
        if (url !== undefined) resolve(url);
      });
      child.once("exit", (code) => reject(new Error(`roux registry serve exited with ${code}: ${log}`)));
    });
    return { child, url };
  };
  const stop = async (child: ChildProcess) => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
  let server = serve(serveArgs);
  const url = await server.url;
  const env = { ROUX_REGISTRY: url, ROUX_CACHE: path.join(dir, "cache"), ROUX_CONFIG: path.join(dir, "config") };
  const admin = (args: string[]) => runCli(["registry", ...args, "--db", db]);
  const registry: TestRegistry = {
    url,
    dir,
    db,
    env,
    admin,
    async addUser(name) {
      const result = await admin(["add-user", name]);
      if (result.status !== 0) throw new Error(result.stderr);
      return result.stdout.trim();
    },
    logged(pattern) {
      return new Promise((resolve) => {
        const wake = () => {
          if (!pattern.test(log)) return;
          waiting.delete(wake);
          resolve(log);
        };
        waiting.add(wake);
        wake();
      });
    },
    async restart(args) {
      await stop(server.child);
      server = serve(args);
      registry.url = await server.url;
      registry.env.ROUX_REGISTRY = registry.url;
    },
    async close() {
      await stop(server.child);
      // The server logs a bug (an answer 500) on stderr: no test may leave one behind.
      if (log.includes("internal error")) throw new Error(`the registry logged an internal error:\n${log}`);
      await rm(dir, { recursive: true, force: true });
    },
  };
  return registry;
}

/** A file's sha256 in hex, computed here rather than by the code under test, for a test to compare with. */
export const sha256Hex = (bytes: string | Buffer): string => createHash("sha256").update(bytes).digest("hex");

/**
 * A registry for one test file: started before its tests with `user` holding a token, stopped
 * after them. `roux` runs a client command as that user, the token given by the environment (a
 * restarted registry has another address, for which no login is saved).
 */
export function registryForTests(user = "alice"): { readonly registry: TestRegistry; readonly token: string; roux(...args: string[]): Promise<CliResult> } {
  let registry: TestRegistry | undefined;
  let token = "";
  beforeAll(async () => {
    registry = await startTestRegistry();
    token = await registry.addUser(user);
  });
  afterAll(() => registry?.close());
  const started = (): TestRegistry => {
    if (registry === undefined) throw new Error("registryForTests: the registry starts before the file's tests");
    return registry;
  };
  return {
    get registry() {
      return started();
    },
    get token() {
      return token;
    },
    roux: (...args) => runCli(args, { ...started().env, ROUX_TOKEN: token }),
  };
}
