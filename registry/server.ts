/**
 * `roux registry serve`: the registry's HTTP server. `/api/...` is the JSON API (api.ts),
 * everything else the web pages (web/routes.ts). A refusal is answered from its HttpError; an
 * unexpected error is logged here and answered 500 with no detail, so a client never sees a
 * stack trace. A client that hangs up mid-upload is logged in one line, with no stack: it is not
 * the server's fault, and a stack per abort would flood the log. Each refused token, each
 * refusal of an address that presented too many (429, with Retry-After), and each upload whose
 * check went over its budget is logged in one line too, with the client's address and never the
 * token.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { type Gate, handleApi, type PackageFiles } from "./api.js";
import { BlobStore } from "./blobs.js";
import { AuthLimit } from "./auth-limit.js";
import { ClientAbort } from "./body.js";
import { BudgetRefusal, type CheckBudget, CheckPool, DEFAULT_CHECK_BUDGET } from "./check-pool.js";
import { HttpError } from "./http-error.js";
import { DEFAULT_PACKAGE_LIMITS, type PackageLimits } from "./package-upload.js";
import { sendJson } from "./respond.js";
import { Store } from "./store.js";
import { handlePage } from "./web/routes.js";
import { VersionPages } from "./web/version-pages.js";

export interface ServeOptions {
  db: string;
  port: number;
  host: string;
  /** Where unexpected errors are reported (the server's stderr). */
  log: (line: string) => void;
  /** The budget of each upload's check (check-pool.ts); DEFAULT_CHECK_BUDGET where not given. */
  checks?: Partial<CheckBudget>;
  /** Package size limits (package-upload.ts); DEFAULT_PACKAGE_LIMITS where not given. */
  limits?: Partial<PackageLimits>;
}

interface Services {
  gate: Gate;
  checks: CheckPool;
  files: PackageFiles;
  pages: VersionPages;
}

export interface RunningRegistry {
  url: string;
  close(): Promise<void>;
}

async function route(request: IncomingMessage, response: ServerResponse, { gate, checks, files, pages }: Services): Promise<void> {
  const url = new URL(request.url ?? "/", "http://registry.invalid");
  const segments = url.pathname.split("/").filter((s) => s !== "");
  if (segments[0] === "api") await handleApi(request, response, gate, checks, files, segments.slice(1), url.searchParams);
  else await handlePage(request, response, gate.store, pages, segments, url.searchParams);
}

function refuse(request: IncomingMessage, response: ServerResponse, error: unknown, log: ServeOptions["log"]): void {
  if (error instanceof ClientAbort) {
    log(error.message);
    return void response.destroy();
  }
  const known = error instanceof HttpError;
  // One line per refused token, or address refused for guessing, with the address and never the
  // token; and one per upload whose check went over its budget.
  if (known && (error.status === 401 || error.status === 403 || error.status === 429 || error instanceof BudgetRefusal))
    log(`refused ${request.method} ${request.url} from ${request.socket.remoteAddress}: ${error.message}`);
  if (!known) log(`internal error on ${request.method} ${request.url}: ${(error as Error)?.stack ?? String(error)}`);
  if (response.headersSent) return void response.destroy();
  const headers: Record<string, string> = {};
  if (known && error.status === 401) headers["www-authenticate"] = "Bearer";
  if (known && Array.isArray(error.details.allow)) headers.allow = error.details.allow.join(", ");
  if (known && typeof error.details.retryAfter === "number") headers["retry-after"] = String(error.details.retryAfter);
  const { allow: _allow, ...details } = known ? error.details : {};
  const answer = () => sendJson(response, known ? error.status : 500, { error: known ? error.message : "internal error in the registry", ...details }, headers);
  if (request.complete) {
    answer();
    return;
  }
  // The rest of the body is not wanted, but it is read (and dropped) before the answer: a client
  // still writing when the connection closes gets EPIPE instead of the answer. A body that goes
  // on past DRAIN_BYTES is not waited for; the answer closes its connection.
  let drained = 0;
  let answered = false;
  const answerOnce = () => {
    if (answered) return;
    answered = true;
    answer();
  };
  request.on("data", (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_BYTES && !answered) {
      headers.connection = "close";
      answerOnce();
    }
  });
  request.once("end", answerOnce);
  request.once("close", answerOnce);
  request.resume();
}

const DRAIN_BYTES = 16 * 1024 * 1024;

export async function serveRegistry(options: ServeOptions): Promise<RunningRegistry> {
  const store = await Store.open(options.db);
  const checks = new CheckPool(options.db, { ...DEFAULT_CHECK_BUDGET, ...options.checks });
  const files = { blobs: BlobStore.beside(options.db), limits: { ...DEFAULT_PACKAGE_LIMITS, ...options.limits } };
  const services: Services = { gate: { store, limit: new AuthLimit() }, checks, files, pages: new VersionPages(store, checks) };
  const server = createServer((request, response) => {
    route(request, response, services).catch((error) => refuse(request, response, error, options.log));
  });
  // A client that stops sending mid-upload does not hold its connection for Node's default 5 minutes.
  server.requestTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await checks.close();
      await closed;
      store.close();
    },
  };
}
