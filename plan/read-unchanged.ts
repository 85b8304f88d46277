/**
 * Remembers what a reader made of a file for as long as the file stays the same: keyed by its
 * path and its identity (size, modification and change times and inode, from one stat), so a file named
 * twice in a check is read once, while one rewritten or replaced on disk since is read again. A
 * long-running process (the language server) checks the same paths for hours; keyed by path
 * alone, it would report a dataset's header as it was when first read. Only the latest identity
 * of each path is kept.
 */
import { stat } from "node:fs/promises";

export function readUnchanged<T>(read: (file: string) => Promise<T>): (file: string) => Promise<T> {
  const cache = new Map<string, { identity: string; value: Promise<T> }>();
  return async (file) => {
    const info = await stat(file).catch(() => undefined);
    // A file that cannot be stat'ed is not remembered: the reader says why it cannot be read.
    if (info === undefined) {
      cache.delete(file);
      return read(file);
    }
    // ctime too: a write changes it, and unlike mtime no tool sets it back.
    const identity = `${info.size}:${info.mtimeMs}:${info.ctimeMs}:${info.ino}`;
    const held = cache.get(file);
    if (held?.identity === identity) return held.value;
    const value = read(file);
    cache.set(file, { identity, value });
    return value;
  };
}
