/**
 * A request the registry refuses, with the status and the one sentence the client shows. Every
 * refusal is thrown as one of these and answered as JSON `{"error": "..."}` (plus any details);
 * anything else thrown is a bug, answered 500 without its stack.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
