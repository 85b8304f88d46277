/**
 * `roux fmt big.recipe | head` closes the pipe before roux has written everything. Node then
 * raises EPIPE as an unhandled 'error' event, which prints a stack trace and kills the command
 * mid-way (a run piped into a pager that was quit would lose its remaining steps). The reader is
 * gone, so the rest of the output has nowhere to go: drop it and let the command finish.
 */
export function ignoreClosedPipe(stream: NodeJS.WritableStream): void {
  stream.on("error", (error: NodeJS.ErrnoException) => {
    if (error.code === "EPIPE" || error.code === "ERR_STREAM_DESTROYED") return;
    throw error;
  });
}
