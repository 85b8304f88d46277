/** How the registry answers: JSON for the API (errors included), HTML for the web pages. */
import type { ServerResponse } from "node:http";

/** The pages run no script and load nothing from elsewhere; the SVG graph is inline. */
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = `${JSON.stringify(body)}\n`;
  response.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
    "x-content-type-options": "nosniff",
    ...headers,
  });
  response.end(text);
}

/** A page, whole or in pieces: a large page's pieces are written one by one, never joined into one copy. */
export function sendHtml(response: ServerResponse, status: number, html: string | readonly (string | Buffer)[]): void {
  const pieces = typeof html === "string" ? [html] : html;
  response.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": pieces.reduce((sum, piece) => sum + Buffer.byteLength(piece), 0),
    "content-security-policy": PAGE_POLICY,
    "x-content-type-options": "nosniff",
  });
  for (const piece of pieces) response.write(piece);
  response.end();
}

/** A recipe's bytes exactly as published, with the hash a client checks them against. */
export function sendSource(response: ServerResponse, content: Buffer, sha256: string): void {
  response.writeHead(200, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": content.length,
    "x-content-type-options": "nosniff",
    "x-roux-sha256": sha256,
  });
  response.end(content);
}
