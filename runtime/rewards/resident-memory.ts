/**
 * A process's resident memory in MiB, from Linux's /proc/<pid>/status (`VmRSS`): every page of
 * it in RAM, V8's heap, Buffers and native allocations alike, which is what a cap on a user's
 * code must count (V8's own heap limit sees only the heap). Undefined where there is no /proc
 * (not Linux) or the process is gone.
 *
 * Read synchronously: the file is a few hundred bytes made by the kernel on read, and a reading
 * that waited behind other I/O would let the process grow meanwhile.
 */
import { readFileSync } from "node:fs";

export function residentMiB(pid: number): number | undefined {
  let status: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, "latin1");
  } catch {
    return undefined;
  }
  const kib = /^VmRSS:\s+(\d+) kB$/m.exec(status)?.[1];
  return kib === undefined ? undefined : Number(kib) / 1024;
}
