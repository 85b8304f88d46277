/**
 * A run directory that cannot be read, as the command's one-line error (exit 1): a path that is
 * not a run, a bad plan.json or run.json, a run file that cannot be opened (permissions, a
 * directory removed while followed). The runtime's readers (runtime/record/) raise these.
 */
import { JsonlFollowError } from "../runtime/record/jsonl-follow.js";
import { RunDirectoryError } from "../runtime/record/plan-file.js";
import { CommandError } from "./usage-error.js";

export async function asCommandError<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof RunDirectoryError || error instanceof JsonlFollowError) throw new CommandError(error.message);
    throw error;
  }
}
