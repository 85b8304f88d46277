/**
 * The messages between a js(...) reward scorer (js-worker.ts) and its worker process
 * (js-worker-entry.ts), over the process's IPC channel as JSON (Node's "advanced"
 * serialization would carry NaN and Infinity, but costs about twice the CPU per message, and
 * there is a message per call). Types only: the entry imports them with `import type`, which
 * leaves no import in its JavaScript, so the entry still runs from a data: URL (see
 * script-url.ts).
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

/** Scorer to worker, the first message: what to load. */
export interface WorkerSetup {
  kind: "setup";
  /** file: URL of the user's module. */
  moduleUrl: string;
  exportName: string;
  /** Type-stripping module hooks to register before importing a TypeScript module (ts-hooks.ts). */
  hooks: { url: string; data: { amaroUrl: string } } | null;
}

/** Scorer to worker: call the function on one sample. */
export interface CallRequest {
  kind: "call";
  seq: number;
  sample: JsSample;
}

/** Worker to scorer. */
export type WorkerReply =
  | { kind: "ready" }
  | { kind: "load-error"; message: string }
  /**
   * Sent (synchronously, before the function runs) when a call starts: the time limit counts
   * from `at`, the worker's Date.now(), not from when the scorer sent the call.
   */
  | { kind: "started"; seq: number; at: number }
  /** The function returned numbers (a number is sent as a list of one); not yet checked. */
  | { kind: "values"; seq: number; values: WireNumber[] }
  /** The function returned something that is not a number or a list of numbers. */
  | { kind: "returned"; seq: number; description: string }
  | { kind: "threw"; seq: number; message: string };

/**
 * A number in a message: JSON has no NaN or infinities (it would send null), so those go as
 * their names, which `Number` reads back; the scorer must see them to say what was returned.
 */
export type WireNumber = number | "NaN" | "Infinity" | "-Infinity";
