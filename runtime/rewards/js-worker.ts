/**
 * One worker process running a user's reward function (js-worker-entry.ts inside it): start it
 * (the module is imported once, with a load time limit), call the function on a batch of
 * samples, one at a time, with a per-call time limit, terminate it. Nothing here throws or
 * rejects because of the user's code: every way a call can end is a CallOutcome.
 *
 * Why a process and not a worker thread: a thread shares the run's process, so the user's
 * `process.kill(process.pid, "SIGTERM")` ended the run, and its memory outside V8's heap
 * (Buffers, native allocations) was counted by no limit. The process is started in a process
 * group of its own (`detached`), so a signal the code sends to its group (`process.kill(0)`)
 * does not reach the run either, nor does the terminal's Ctrl-C, which the run handles; it is
 * killed when the run exits, and ends itself when the run is gone (js-worker-entry.ts).
 *
 * Memory: the whole process is capped at `memoryLimitMb` of resident memory, which this process
 * reads every MEMORY_POLL_MS from /proc (resident-memory.ts) and kills the worker above it: that
 * counts Buffers, which V8's heap limit does not. V8's heap limit is also set, above the cap,
 * only as a backstop for when this process is too busy to poll (the worker then dies with V8's
 * abort, reported as its signal).
 *
 * The time limit is enforced from this process too (a function in an endless loop never lets
 * its own event loop run a timer). It is measured from when the call started in the worker, which
 * the worker says before the function runs, not from when this process sent it: a busy run that
 * reads its timer late never makes a quick call look slow, since a limit that has passed is
 * judged only after the replies waiting to be read are read. A call the worker has not even
 * started a limit after the call before it ended (it is stuck in something the function left
 * running) times out too. A timed-out or crashed worker is dead; the scorer starts another.
 * Resident memory is read every MEMORY_POLL_MS, not on each reply: a call that goes over the
 * cap and frees the memory within that time may go unseen (it took the memory only that long).
 *
 * What the user's code prints goes to this process's stderr (the worker's stdout is this
 * process's stderr), never its stdout, where a command may be writing JSON.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import type { CallRequest, JsSample, WireNumber, WorkerReply, WorkerSetup } from "./js-protocol.js";
import { residentMiB } from "./resident-memory.js";
import { amaroUrl, scriptUrl } from "./script-url.js";

export type CallOutcome =
  | { kind: "values"; values: number[] }
  | { kind: "returned"; description: string }
  | { kind: "threw"; message: string }
  | { kind: "timeout" }
  | { kind: "crashed"; reason: string };

export interface JsWorkerConfig {
  /** Absolute path of the user's module (.js, .mjs, .cjs, .ts, .mts, .cts). */
  path: string;
  exportName: string;
  loadTimeLimitMs: number;
  /** The cap on the worker's resident memory, in MiB. */
  memoryLimitMb: number;
}

/** How often the worker's resident memory is read: what it can grow past the cap is what it allocates in this time. */
const MEMORY_POLL_MS = 50;
/** V8's heap limit is the cap plus this: reached only when the memory reading is late. */
const HEAP_BACKSTOP_MB = 64;

const TYPESCRIPT = /\.[mc]?ts$/;

/** Workers still running, killed when this process exits (they are not in its process group). */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/** A reply, or null when the worker has exited. */
type Listener = (reply: WorkerReply | null) => void;

export class JsWorker {
  private listener: Listener | null = null;
  /** Why the worker is no longer running, once it is not (or is being killed). */
  private stopped: string | null = null;
  private readonly exited: Promise<void>;
  private seq = 0;
  private readonly memoryPoll: NodeJS.Timeout;

  private constructor(
    private readonly child: ChildProcess,
    private readonly memoryLimitMb: number,
  ) {
    running.add(child);
    child.on("message", (message: unknown) => {
      if (isReply(message)) this.listener?.(message);
    });
    let markExited = () => {};
    this.exited = new Promise((resolve) => {
      markExited = resolve;
    });
    const gone = (reason: string) => {
      running.delete(child);
      clearInterval(this.memoryPoll);
      this.stopped ??= reason;
      this.listener?.(null);
      markExited();
    };
    child.on("exit", (code, signal) => gone(signal !== null ? `the worker was ended by signal ${signal}` : `the worker exited with code ${code}`));
    // Other errors (a message that could not be sent to a worker that is exiting) end in 'exit';
    // a worker that could not be started has no 'exit' to come.
    child.on("error", (error) => {
      if (child.pid === undefined) gone(`could not start a worker: ${error.message}`);
    });
    this.memoryPoll = setInterval(() => this.checkMemory(), MEMORY_POLL_MS);
    // Neither the worker nor its channel nor the poll keeps this process alive (a pending
    // call's timer does while it runs).
    this.memoryPoll.unref();
    child.unref();
    child.channel?.unref();
  }

  /** A worker whose module loaded and whose export is a function, or why not. */
  static start(config: JsWorkerConfig): Promise<JsWorker | { error: string }> {
    const typescript = TYPESCRIPT.test(config.path);
    const setup: WorkerSetup = {
      kind: "setup",
      moduleUrl: pathToFileURL(config.path).href,
      exportName: config.exportName,
      hooks: typescript ? { url: scriptUrl("ts-hooks"), data: { amaroUrl: amaroUrl() } } : null,
    };
    const heapMb = config.memoryLimitMb + HEAP_BACKSTOP_MB;
    const entry = `await import(${JSON.stringify(scriptUrl("js-worker-entry"))});`;
    let handle: JsWorker;
    try {
      const child = spawn(process.execPath, [`--max-old-space-size=${heapMb}`, "--input-type=module", "--eval", entry], {
        stdio: ["ignore", 2, 2, "ipc"],
        detached: true,
      });
      handle = new JsWorker(child, config.memoryLimitMb);
      handle.send(setup);
    } catch (error) {
      return Promise.resolve({ error: `could not start a worker: ${error instanceof Error ? error.message : String(error)}` });
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        handle.listener = null;
        void handle.terminate();
        resolve({ error: `loading ${basename(config.path)} timed out after ${config.loadTimeLimitMs} ms` });
      }, config.loadTimeLimitMs);
      handle.listener = (reply) => {
        clearTimeout(timer);
        handle.listener = null;
        if (reply?.kind === "ready") return resolve(handle);
        void handle.terminate();
        resolve({
          error: reply === null ? `${handle.stopped} while loading the module` : reply.kind === "load-error" ? reply.message : `unexpected reply ${reply.kind}`,
        });
      };
    });
  }

  /**
   * Calls the function on each sample, in order, one call at a time. All the calls are sent at
   * once: the worker runs each as soon as the one before it ends, without a round trip through
   * this process per sample. The outcomes, one per sample, stop after a timeout or a crash,
   * which ends the worker: the samples after it were not run.
   */
  callEach(samples: readonly JsSample[], limitMs: number): Promise<CallOutcome[]> {
    if (samples.length === 0) return Promise.resolve([]);
    if (this.stopped !== null) return Promise.resolve([{ kind: "crashed", reason: this.stopped }]);
    const first = this.seq + 1;
    for (const sample of samples) this.send({ kind: "call", seq: ++this.seq, sample } satisfies CallRequest);
    const last = this.seq;
    const outcomes: CallOutcome[] = [];
    // The call whose outcome is next, and since when it counts: when the worker said it started
    // it, else (not said yet) when the call before it ended or, for the first, was sent.
    let current = first;
    let since = Date.now();
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      let judging: NodeJS.Immediate | undefined;
      const left = () => since + limitMs - Date.now();
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(check, left());
      };
      const check = () => {
        if (left() > 0) return arm();
        // Replies already here but not yet read (this process was busy) are read before an
        // immediate runs: judge then, so a call that ended in time is not timed out.
        judging = setImmediate(() => (left() > 0 ? arm() : end({ kind: "timeout" })));
      };
      const end = (outcome: CallOutcome) => {
        outcomes.push(outcome);
        clearTimeout(timer);
        clearImmediate(judging);
        this.listener = null;
        resolve(outcomes);
      };
      const next = (outcome: CallOutcome) => {
        if (current === last) return end(outcome);
        outcomes.push(outcome);
        current += 1;
        since = Date.now();
        arm();
      };
      this.listener = (reply) => {
        if (reply === null) return end({ kind: "crashed", reason: this.stopped ?? "the worker stopped" });
        if (!("seq" in reply) || reply.seq !== current) return;
        if (reply.kind === "started") {
          // Never later than now: the user's code can send messages too.
          since = Math.min(reply.at, Date.now());
          arm();
        } else if (reply.kind === "values") next({ kind: "values", values: reply.values.map(Number) });
        else if (reply.kind === "returned") next({ kind: "returned", description: reply.description });
        else next({ kind: "threw", message: reply.message });
      };
      arm();
    });
  }

  async terminate(): Promise<void> {
    this.kill("the worker was terminated");
    // Wait for its exit (whoever awaits this is waiting for it, so it keeps this process alive).
    this.child.ref();
    await this.exited;
  }

  private send(message: WorkerSetup | CallRequest): void {
    // A worker that has exited has no channel; its 'exit' tells the waiting call.
    if (this.child.connected) this.child.send(message);
  }

  private kill(reason: string): void {
    this.stopped ??= reason;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill("SIGKILL");
  }

  private checkMemory(): void {
    const mib = this.child.pid === undefined ? undefined : residentMiB(this.child.pid);
    if (mib !== undefined && mib > this.memoryLimitMb) this.kill(`the worker went over its memory cap of ${this.memoryLimitMb} MiB`);
  }
}

/** Whether a message from the worker is a reply (the user's code can send messages too). */
function isReply(message: unknown): message is WorkerReply {
  if (typeof message !== "object" || message === null || !("kind" in message)) return false;
  const reply = message as Record<string, unknown>;
  switch (reply.kind) {
    case "ready":
      return true;
    case "load-error":
      return typeof reply.message === "string";
    case "started":
      return typeof reply.seq === "number" && typeof reply.at === "number";
    case "values":
      return typeof reply.seq === "number" && Array.isArray(reply.values) && reply.values.every(isWireNumber);
    case "returned":
      return typeof reply.seq === "number" && typeof reply.description === "string";
    case "threw":
      return typeof reply.seq === "number" && typeof reply.message === "string";
    default:
      return false;
  }
}

function isWireNumber(value: unknown): value is WireNumber {
  return typeof value === "number" || value === "NaN" || value === "Infinity" || value === "-Infinity";
}
