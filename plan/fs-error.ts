/**
 * An operating system's file error as a few words a user reads in a sentence. It sits in plan/,
 * the layer the compiler, the runtime and the commands all import, so each says it the same way.
 */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    ENOENT: "no such file or directory",
    EACCES: "permission denied",
    EISDIR: "it is a directory",
    ENOTDIR: "a parent is not a directory",
  };
  return (code && known[code]) ?? (error as Error).message;
}
