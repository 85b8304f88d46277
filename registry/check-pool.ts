/**
 * The server's check workers: every upload's check, and every page render, runs in a worker
 * thread (check-worker.ts) under a budget, so one costly upload cannot stall the requests of
 * everyone else. A job over its time budget has its worker terminated; a worker over its memory
 * budget (V8's `resourceLimits`) dies on its own. Either way the upload is refused with the
 * reason, the worker is replaced by the next job, and the server goes on. At most `workers`
 * jobs run at once; the rest wait their turn, and a job's time counts from when it starts.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { HttpError } from "./http-error.js";
import { refText, type VersionRef } from "./names.js";
import type { PageParts } from "./store.js";
import type { CheckedUpload } from "./upload-check.js";

export interface CheckBudget {
  /** Wall time for one job, from when a worker takes it up. */
  seconds: number;
  /** The old-generation heap of one worker, in megabytes. */
  memoryMb: number;
  /** Jobs running at once. */
  workers: number;
}

// A 1 MiB recipe, the largest upload, checks and renders in 10 to 25 seconds on a busy 2-core
// machine, in under 300 MB; the budget leaves room. One core stays with the request thread.
export const DEFAULT_CHECK_BUDGET: CheckBudget = { seconds: 60, memoryMb: 1024, workers: Math.max(1, Math.min(4, availableParallelism() - 1)) };

/** A package's files for its check: linked into `dir` (package-upload.ts), the recipe at `recipe` in it. */
export interface PackageFolder {
  dir: string;
  recipe: string;
}

export type CheckJob = { kind: "publish" | "page"; ref: VersionRef; source: string; package?: PackageFolder };

export type CheckAnswer =
  | { kind: "upload"; upload: CheckedUpload }
  | { kind: "page"; page: PageParts }
  | { kind: "refusal"; status: number; message: string; details: Record<string, unknown> }
  | { kind: "failure"; stack: string };

/**
 * An upload refused because its check went over the budget: unlike errors in the recipe, the
 * operator hears of it (server.ts logs it in one line), since uploads that keep hitting the budget
 * are either an attack or a budget set too tight.
 */
export class BudgetRefusal extends HttpError {}

/** A job stopped by its budget; the message says which, as a clause ("the check took longer than ..."). */
export class OverBudget extends Error {}

const shuttingDown = () => new HttpError(503, "the registry is shutting down");

interface Task {
  job: CheckJob;
  resolve: (answer: CheckAnswer) => void;
  reject: (error: Error) => void;
}

export class CheckPool {
  private readonly workers = new Set<Worker>();
  private readonly idle: Worker[] = [];
  private readonly queue: Task[] = [];
  private running = 0;
  private closed = false;

  constructor(
    private readonly db: string,
    private readonly budget: CheckBudget,
  ) {}

  /** Checks an upload; refusals (errors in it, a budget exceeded) are HttpErrors. */
  async publish(ref: VersionRef, source: string, files?: PackageFolder): Promise<CheckedUpload> {
    try {
      const answer = await this.run({ kind: "publish", ref, source, ...(files === undefined ? {} : { package: files }) });
      if (answer.kind !== "upload") throw new Error(`a check worker answered a publish with ${answer.kind}`);
      return answer.upload;
    } catch (error) {
      if (error instanceof OverBudget) throw new BudgetRefusal(422, `${refText(ref)} is refused: ${error.message}`);
      throw error;
    }
  }

  /** Renders a published version's page parts; OverBudget when it does not fit the budget. */
  async page(ref: VersionRef, source: string): Promise<PageParts> {
    const answer = await this.run({ kind: "page", ref, source });
    if (answer.kind !== "page") throw new Error(`a check worker answered a page with ${answer.kind}`);
    return answer.page;
  }

  /** Stops every worker; jobs still waiting or running are answered 503. */
  async close(): Promise<void> {
    this.closed = true;
    for (const task of this.queue.splice(0)) task.reject(shuttingDown());
    await Promise.all([...this.workers].map((worker) => worker.terminate()));
  }

  private async run(job: CheckJob): Promise<CheckAnswer> {
    if (this.closed) throw shuttingDown();
    const answer = await new Promise<CheckAnswer>((resolve, reject) => {
      this.queue.push({ job, resolve, reject });
      this.pump();
    });
    if (answer.kind === "refusal") throw new HttpError(answer.status, answer.message, answer.details);
    if (answer.kind === "failure") throw new Error(`in a check worker: ${answer.stack}`);
    return answer;
  }

  private pump(): void {
    while (this.queue.length > 0 && (this.idle.length > 0 || this.running < this.budget.workers)) {
      const task = this.queue.shift()!;
      this.running++;
      this.dispatch(this.idle.pop() ?? this.spawn(), task);
    }
  }

  private spawn(): Worker {
    const worker = new Worker(new URL("./check-worker.js", import.meta.url), {
      workerData: { db: this.db },
      resourceLimits: { maxOldGenerationSizeMb: this.budget.memoryMb },
    });
    // An idle worker that dies is dropped; its 'error' needs a listener, or it would be thrown.
    worker.on("error", () => {});
    this.workers.add(worker);
    worker.once("exit", () => {
      this.workers.delete(worker);
      const at = this.idle.indexOf(worker);
      if (at >= 0) this.idle.splice(at, 1);
    });
    return worker;
  }

  private dispatch(worker: Worker, task: Task): void {
    const { seconds, memoryMb } = this.budget;
    let settled = false;
    const finish = (reusable: boolean, settle: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.off("message", onMessage).off("error", onError).off("exit", onExit);
      this.running--;
      if (reusable && !this.closed) this.idle.push(worker);
      else void worker.terminate();
      settle();
      this.pump();
    };
    const timer = setTimeout(
      () => finish(false, () => task.reject(new OverBudget(`the check took longer than ${seconds} s, the registry's time budget for one check`))),
      seconds * 1000,
    );
    const onMessage = (answer: CheckAnswer) => finish(true, () => task.resolve(answer));
    const onError = (error: Error & { code?: string }) =>
      finish(false, () =>
        task.reject(
          error.code === "ERR_WORKER_OUT_OF_MEMORY"
            ? new OverBudget(`the check needed more than ${memoryMb} MB, the registry's memory budget for one check`)
            : error,
        ),
      );
    const onExit = (code: number) =>
      finish(false, () => task.reject(this.closed ? shuttingDown() : new Error(`a check worker stopped with exit code ${code}`)));
    worker.on("message", onMessage).on("error", onError).on("exit", onExit);
    worker.postMessage(task.job);
  }
}
