/**
 * The worker process of a js(...) reward (js-worker.ts starts it): imports the user's module once,
 * then calls its function on one sample per request and replies with what it returned, threw,
 * or why the module did not load.
 *
 * It is a process of its own, not a thread of the run's, so that what the user's code does to
 * "its" process (process.kill(process.pid), process.exit, an abort) ends only this process, and
 * so that all of its memory, Buffers included, is this process's memory, which the scorer can
 * measure and cap (runtime/rewards/README.md "Decisions").
 *
 * This file runs as plain JavaScript, so it imports only `node:` modules and types: from dist/
 * it is tsc's output, and under vitest (which runs the TypeScript sources) its types are stripped
 * by amaro and it is imported from a data: URL, where a relative import could not be resolved
 * (script-url.ts).
 *
 * The scorer enforces the time limit from outside, since a function stuck in a loop never
 * yields to this process's event loop: this process only says when each call starts, before
 * the function runs, so the limit is measured from when the call really started.
 */
import { spawnSync } from "node:child_process";
import { register } from "node:module";
import { basename } from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CallRequest, JsSample, WireNumber, WorkerReply, WorkerSetup } from "./js-protocol.js";

type UserFunction = (sample: JsSample) => unknown;

/** A load failure this file describes itself: its message is the whole story. */
class LoadError extends Error {}

/** How often the worker checks that the run is still there. */
const ORPHAN_CHECK_MS = 200;
/** This folder, when this file runs from one (not from a data: URL). */
const HERE = import.meta.url.startsWith("file:") ? new URL(".", import.meta.url).href : undefined;

function send(reply: WorkerReply): void {
  // Not connected: the scorer is gone (or the user's code disconnected), and the 'disconnect'
  // handler below is ending this process.
  if (process.connected) process.send?.(reply);
}

// Without the run there is nothing to do: exit, rather than outlive it. When the run ends its
// channel closes; but while the user's code keeps this thread busy (an endless loop the run
// would have timed out) nothing here notices, so a thread of its own also watches for the run
// going away (this process gets another parent) and kills the process.
process.on("disconnect", () => process.exit(0));
new Worker(
  `const { workerData } = require("node:worker_threads");
   setInterval(() => { if (process.ppid !== workerData) process.kill(process.pid, "SIGKILL"); }, ${ORPHAN_CHECK_MS});`,
  // Not this process's flags: `--input-type=module` would make this CommonJS code a module.
  { eval: true, execArgv: [], workerData: process.ppid },
).unref();
const setup = await new Promise<WorkerSetup>((resolve) => process.once("message", (message: WorkerSetup) => resolve(message)));

async function load(): Promise<UserFunction> {
  if (setup.hooks !== null) register(setup.hooks.url, { data: setup.hooks.data });
  const module = (await import(setup.moduleUrl)) as Record<string, unknown>;
  const file = fileName(setup.moduleUrl);
  let value = module[setup.exportName];
  // A CommonJS module whose exports Node's lexer could not name is only its `default`.
  const commonJs = module.default;
  if (value === undefined && typeof commonJs === "object" && commonJs !== null) value = (commonJs as Record<string, unknown>)[setup.exportName];
  if (value === undefined) {
    const names = Object.keys(module).filter((name) => name !== "__esModule");
    throw new LoadError(`${file} has no export "${setup.exportName}" (its exports: ${names.length > 0 ? names.join(", ") : "none"})`);
  }
  if (typeof value !== "function") throw new LoadError(`export "${setup.exportName}" of ${file} is ${describe(value)}, not a function`);
  return value as UserFunction;
}

async function call(fn: UserFunction, { seq, sample }: CallRequest): Promise<void> {
  send({ kind: "started", seq, at: Date.now() });
  let reply: WorkerReply;
  try {
    reply = replyFor(seq, await fn(sample));
  } catch (error) {
    reply = { kind: "threw", seq, message: describeError(error) };
  }
  send(reply);
}

function replyFor(seq: number, value: unknown): WorkerReply {
  if (typeof value === "number") return { kind: "values", seq, values: [wire(value)] };
  const list = Array.isArray(value)
    ? value
    : ArrayBuffer.isView(value) && !(value instanceof DataView)
      ? Array.from(value as unknown as ArrayLike<unknown>)
      : undefined;
  if (list === undefined) return { kind: "returned", seq, description: describe(value) };
  const bad = list.findIndex((item) => typeof item !== "number");
  if (bad >= 0) return { kind: "returned", seq, description: `an array with ${describe(list[bad])} at index ${bad}` };
  return { kind: "values", seq, values: (list as number[]).map(wire) };
}

function wire(value: number): WireNumber {
  return Number.isFinite(value) ? value : (String(value) as WireNumber);
}

/** A short description of a value that is not a number. */
function describe(value: unknown): string {
  if (value === undefined) return "undefined";
  if (value === null) return "null";
  switch (typeof value) {
    case "string":
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
    case "boolean":
      return `the boolean ${value}`;
    case "bigint":
      return `the bigint ${value}n`;
    case "function":
      return "a function";
    case "symbol":
      return "a symbol";
    case "number":
      return `the number ${value}`;
  }
  if (value instanceof Promise) return "a promise";
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    json = undefined;
  }
  return json === undefined ? "an object" : `an object ${json.length > 60 ? `${json.slice(0, 60)}...` : json}`;
}

/**
 * `Name: message (at file.ts:3:9)`, the location being the innermost stack frame in a file
 * outside this folder (the user's code, or a library it called; not these hooks or this file).
 */
function describeError(error: unknown): string {
  if (error instanceof LoadError) return error.message;
  if (!(error instanceof Error)) return typeof error === "string" ? JSON.stringify(error) : describe(error);
  const frames = [...(error.stack ?? "").matchAll(/(file:\/\/[^\s)]+?):(\d+)(?::(\d+))?/g)].flatMap(([, file, line, column]) =>
    file === undefined || line === undefined ? [] : [{ file, line, column }],
  );
  const where = frames.find((frame) => HERE === undefined || !frame.file.startsWith(HERE));
  const at = where ? ` (at ${fileName(where.file)}:${where.line}${where.column ? `:${where.column}` : ""})` : "";
  return `${error.name}: ${error.message}${at}`;
}

function fileName(url: string): string {
  return basename(decodeURIComponent(new URL(url).pathname));
}

/**
 * Where a JavaScript module's syntax error is: Node reports it only when the error goes
 * uncaught, so ask `node --check`, whose report starts with `PATH:LINE`. Undefined when the
 * error is in another file (a module this one imports) or the check finds none.
 */
function syntaxErrorLine(moduleUrl: string): string | undefined {
  const path = fileURLToPath(moduleUrl);
  const check = spawnSync(process.execPath, ["--check", path], { encoding: "utf8", timeout: 5000 });
  const first = check.stderr?.split("\n")[0] ?? "";
  return first.startsWith(`${path}:`) && /:\d+$/.test(first) ? `${basename(path)}:${first.slice(path.length + 1)}` : undefined;
}

let fn: UserFunction | undefined;
try {
  fn = await load();
} catch (error) {
  let message = describeError(error);
  if (error instanceof SyntaxError && !message.includes("(at ") && !/\.[mc]?ts$/.test(setup.moduleUrl)) {
    const line = syntaxErrorLine(setup.moduleUrl);
    if (line !== undefined) message += ` (at ${line})`;
  }
  send({ kind: "load-error", message });
}
if (fn !== undefined) {
  const loaded = fn;
  // The scorer sends a batch's calls at once; they run one after the other, as it times them.
  // Each starts from the event loop (an immediate), not straight from the last one's promise:
  // replies that did not fit in the channel's pipe are written out in between (else the scorer
  // would time out calls whose replies wait here), and a closed channel is noticed.
  let previous = Promise.resolve();
  process.on("message", (request: CallRequest) => {
    previous = previous
      .then(() => new Promise((resolve) => setImmediate(resolve)))
      .then(() => call(loaded, request))
      // Rejects only if describing what the code threw throws: that call gets no reply and
      // times out, and the next still runs.
      .catch(() => undefined);
  });
  send({ kind: "ready" });
}
