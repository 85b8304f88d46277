/**
 * One worker thread running a user's reward function (js-worker-entry.ts inside it): start it
 * (the module is imported once, with a load time limit), call the function on one sample at a
 * time with a per-call time limit, terminate it. Nothing here throws or rejects because of the
 * user's code: every way a call can end is a CallOutcome.
 *
 * The time limit is enforced from this thread (a function in an endless loop never lets its
 * own thread run a timer). It is measured from when the call started in the worker, which the
 * worker publishes in shared memory, not from when this thread sent it: a busy main thread
 * that reads its timer late never makes a quick call look slow. A call that has not even
 * started a limit after it was sent (the thread is stuck in something the function left
 * running) times out too. A timed-out or crashed worker is dead; the scorer starts another.
 *
 * What the user's code prints goes to this process's stderr (the entry redirects it), never its
 * stdout, where a command may be writing JSON. The worker's heap is capped (`memoryLimitMb`), so a function that
 * allocates without end kills its worker, not the run.
 */
import { basename } from "node:path";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { PROGRESS_BYTES, type CallRequest, type JsSample, type WorkerReply, type WorkerSetup } from "./js-protocol.js";
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
  memoryLimitMb: number;
}

const TYPESCRIPT = /\.[mc]?ts$/;

/** A reply, or null when the worker has exited. */
type Listener = (reply: WorkerReply | null) => void;

export class JsWorker {
  private listener: Listener | null = null;
  private crash: Error | null = null;
  /** Why the worker is no longer running, once it is not. */
  private stopped: string | null = null;
  private seq = 0;
  private readonly progress: Int32Array;
  private readonly startedAt: Float64Array;

  private constructor(
    private readonly worker: Worker,
    shared: SharedArrayBuffer,
  ) {
    this.progress = new Int32Array(shared, 0, 2);
    this.startedAt = new Float64Array(shared, 8, 1);
    worker.on("message", (reply: WorkerReply) => this.listener?.(reply));
    worker.on("error", (error: unknown) => {
      this.crash = error instanceof Error ? error : new Error(String(error));
    });
    worker.on("exit", (code) => {
      this.stopped ??= this.crash ? describeCrash(this.crash) : `the worker exited with code ${code}`;
      this.listener?.(null);
    });
    // The worker must not keep the process alive (a pending call's timer does while it runs).
    // After the listeners: adding a "message" listener refs the worker again.
    worker.unref();
  }

  /** A worker whose module loaded and whose export is a function, or why not. */
  static start(config: JsWorkerConfig): Promise<JsWorker | { error: string }> {
    const shared = new SharedArrayBuffer(PROGRESS_BYTES);
    const typescript = TYPESCRIPT.test(config.path);
    const setup: WorkerSetup = {
      moduleUrl: pathToFileURL(config.path).href,
      exportName: config.exportName,
      hooks: typescript ? { url: scriptUrl("ts-hooks"), data: { amaroUrl: amaroUrl() } } : null,
      progress: shared,
    };
    let handle: JsWorker;
    try {
      const worker = new Worker(new URL(scriptUrl("js-worker-entry")), {
        workerData: setup,
        resourceLimits: { maxOldGenerationSizeMb: config.memoryLimitMb },
      });
      handle = new JsWorker(worker, shared);
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

  /** Calls the function on one sample; one call at a time. */
  call(sample: JsSample, limitMs: number): Promise<CallOutcome> {
    if (this.stopped !== null) return Promise.resolve({ kind: "crashed", reason: this.stopped });
    const seq = ++this.seq;
    const sentAt = Date.now();
    this.worker.postMessage({ seq, sample } satisfies CallRequest);
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      const finish = (outcome: CallOutcome) => {
        clearTimeout(timer);
        this.listener = null;
        resolve(outcome);
      };
      this.listener = (reply) => {
        if (reply === null) return finish({ kind: "crashed", reason: this.stopped ?? "the worker stopped" });
        if (!("seq" in reply) || reply.seq !== seq) return;
        if (reply.kind === "values") finish({ kind: "values", values: reply.values });
        else if (reply.kind === "returned") finish({ kind: "returned", description: reply.description });
        else finish({ kind: "threw", message: reply.message });
      };
      const check = () => {
        if (Atomics.load(this.progress, 1) >= seq) {
          // Finished: the reply is on its way. Keep a timer so the process waits for it.
          timer = setTimeout(check, limitMs);
          return;
        }
        // From when the worker started the call, else (not started yet) from when it was sent.
        const since = (Atomics.load(this.progress, 0) >= seq ? this.startedAt[0] : undefined) ?? sentAt;
        const left = since + limitMs - Date.now();
        if (left <= 0) finish({ kind: "timeout" });
        else timer = setTimeout(check, left);
      };
      timer = setTimeout(check, limitMs);
    });
  }

  async terminate(): Promise<void> {
    this.stopped ??= "the worker was terminated";
    await this.worker.terminate();
  }
}

function describeCrash(error: Error): string {
  const code = (error as { code?: unknown }).code;
  if (code === "ERR_WORKER_OUT_OF_MEMORY") return "the worker ran out of memory";
  return `the worker crashed: ${error.name}: ${error.message}`;
}
