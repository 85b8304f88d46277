/**
 * The messages between a js(...) reward scorer (js-worker.ts) and its worker thread
 * (js-worker-entry.ts). Types only: the entry imports them with `import type`, which leaves no
 * import in its JavaScript, so the entry still runs from a data: URL (see script-url.ts).
 */

/** What a user's function receives: `f(sample)`. */
export interface JsSample {
  prompt: string;
  /** The example's answer, or null when the dataset has none. */
  answer: string | null;
  response: string;
  /** The response split into steps (text-steps.ts), each without its closing separator. */
  steps: string[];
  /** The response's token ids, or null when the caller has none. */
  tokens: number[] | null;
}

/** `workerData` of the worker thread. */
export interface WorkerSetup {
  /** file: URL of the user's module. */
  moduleUrl: string;
  exportName: string;
  /** Type-stripping module hooks to register before importing a TypeScript module (ts-hooks.ts). */
  hooks: { url: string; data: { amaroUrl: string } } | null;
  /**
   * Progress the worker publishes as it goes, read by the scorer's timer: Int32 [0] the
   * sequence number of the call started last, [1] of the call finished last; Float64 at byte 8
   * the Date.now() when the last call started.
   */
  progress: SharedArrayBuffer;
}

export const PROGRESS_BYTES = 16;

/** Scorer to worker: call the function on one sample. */
export interface CallRequest {
  seq: number;
  sample: JsSample;
}

/** Worker to scorer. */
export type WorkerReply =
  | { kind: "ready" }
  | { kind: "load-error"; message: string }
  /** The function returned numbers (a number is sent as a list of one); not yet checked. */
  | { kind: "values"; seq: number; values: number[] }
  /** The function returned something that is not a number or a list of numbers. */
  | { kind: "returned"; seq: number; description: string }
  | { kind: "threw"; seq: number; message: string };
