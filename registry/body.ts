/**
 * Reads a request body up to a limit, counting bytes as they arrive: a declared Content-Length
 * over the limit is refused before reading, and a body that grows past it (chunked, or lying
 * about its length) is refused at the chunk that crosses it, never held whole in memory.
 */
import type { IncomingMessage } from "node:http";
import { HttpError } from "./http-error.js";

export const MAX_RECIPE_BYTES = 1024 * 1024;

const MIB = 1024 * 1024;

/** `1048576 bytes (1 MiB)`; a limit that is no whole number of MiB in bytes alone. */
export function bytesText(bytes: number): string {
  return bytes % MIB === 0 ? `${bytes} bytes (${bytes / MIB} MiB)` : `${bytes} bytes`;
}

/** What a body over its limit is refused with: `a recipe may be at most 1048576 bytes (1 MiB)`. */
export function tooLarge(what: string, limit: number): HttpError {
  return new HttpError(413, `${what} may be at most ${bytesText(limit)}`, { limit });
}

/** The body's chunks as they arrive, refused (413) at the one that crosses `limit`. */
export async function* streamBody(request: IncomingMessage, limit: number, what = "a recipe"): AsyncGenerator<Buffer> {
  const declared = Number(request.headers["content-length"]);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(what, limit);
  let size = 0;
  try {
    // Not destroyed on the way out: the socket must stay open to carry the 413.
    for await (const chunk of request.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > limit) throw tooLarge(what, limit);
      yield chunk;
    }
  } catch (error) {
    if (!request.complete && (error as NodeJS.ErrnoException).code === "ECONNRESET") throw new ClientAbort(request);
    throw error;
  }
}

export async function readBody(request: IncomingMessage, limit: number, what?: string): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of streamBody(request, limit, what)) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/**
 * The client closed its connection before the body ended. That is the client's doing, not a
 * bug: the server logs it in one line and answers no one.
 */
export class ClientAbort extends Error {
  constructor(request: IncomingMessage) {
    super(`client aborted its upload: ${request.method} ${request.url}`);
  }
}

// A BOM is kept: the text checked is then exactly the bytes stored and hashed.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** The body as recipe text: UTF-8 without a NUL, not empty. */
export function recipeText(body: Buffer): string {
  if (body.length === 0) throw new HttpError(400, "the upload is empty: send the recipe's source as the request body");
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    throw new HttpError(400, "the upload is not UTF-8 text: a recipe is a text file");
  }
  if (text.includes("\u0000")) throw new HttpError(400, "the upload contains a NUL byte: a recipe is a text file");
  return text;
}
