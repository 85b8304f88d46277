/**
 * A check worker (a worker thread of check-pool.ts): runs an upload's check, or renders the page
 * of a version published before pages were stored, one job at a time, so the server's request
 * thread never does either. It reads registry imports through its own connection to the
 * database: in WAL mode a reader runs beside the server's writes (store.ts), and imported
 * packages' files from the blobs beside it.
 */
import { parentPort, workerData } from "node:worker_threads";
import type { CheckAnswer, CheckJob } from "./check-pool.js";
import { BlobStore } from "./blobs.js";
import { HttpError } from "./http-error.js";
import { Store } from "./store.js";
import { checkUpload, renderPublished } from "./upload-check.js";

const port = parentPort;
if (port === null) throw new Error("check-worker.ts runs as a worker thread of check-pool.ts");
const { db } = workerData as { db: string };
const registry = { store: await Store.open(db), blobs: BlobStore.beside(db) };

async function answer(job: CheckJob): Promise<CheckAnswer> {
  try {
    if (job.kind === "publish") return { kind: "upload", upload: await checkUpload(registry, job.ref, job.source, job.package) };
    return { kind: "page", page: await renderPublished(registry, job.ref, job.source) };
  } catch (error) {
    // A refusal crosses to the server as data: a class does not survive postMessage.
    if (error instanceof HttpError) return { kind: "refusal", status: error.status, message: error.message, details: error.details };
    return { kind: "failure", stack: (error as Error)?.stack ?? String(error) };
  }
}

port.on("message", (job: CheckJob) => {
  void answer(job).then((reply) => port.postMessage(reply));
});
