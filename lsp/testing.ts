/**
 * A language client for tests: starts the built `roux lsp` (bin/roux.js, which runs dist/) and
 * speaks JSON-RPC to it over stdio with Content-Length framing, as an editor does. Written from
 * the protocol's framing, not with the server's own library, so the framing is tested too.
 */
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { REPO_ROOT } from "../test/recipes.js";

interface Message {
  id?: number;
  method?: string;
  params?: unknown;
  result?: unknown;
  error?: { code: number; message: string };
}

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: {
    range: { start: { line: number; character: number }; end: { line: number; character: number } };
    severity?: number;
    code?: string;
    codeDescription?: { href: string };
    message: string;
    relatedInformation?: { location: { uri: string; range: unknown }; message: string }[];
  }[];
}

export class LspClient {
  private readonly process: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (message: Message) => void>();
  private readonly notifications: Message[] = [];
  private readonly waiters: (() => void)[] = [];
  /** What the server wrote to stderr, for a failing test's message. */
  stderr = "";
  readonly exited: Promise<number | null>;

  constructor(cwd = REPO_ROOT) {
    this.process = spawn(process.execPath, [path.join(REPO_ROOT, "bin/roux.js"), "lsp"], { cwd, env: { PATH: process.env.PATH } });
    this.process.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
    this.process.stderr.on("data", (chunk: Buffer) => {
      this.stderr += String(chunk);
    });
    this.exited = new Promise((resolve) =>
      this.process.on("exit", (code) => {
        for (const wake of this.waiters.splice(0)) wake();
        for (const answer of this.pending.values()) answer({ error: { code: -1, message: `the server exited\n${this.stderr}` } });
        this.pending.clear();
        resolve(code);
      }),
    );
  }

  get running(): boolean {
    return this.process.exitCode === null && this.process.signalCode === null;
  }

  /** Writes raw bytes to the server's stdin, framing and all. */
  writeRaw(bytes: string | Buffer): void {
    this.process.stdin.write(bytes);
  }

  private send(message: Message & { jsonrpc?: string }): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
    this.writeRaw(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, "ascii"), body]));
  }

  request<R = unknown>(method: string, params: unknown): Promise<R> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, (message) => (message.error ? reject(new Error(`${method}: ${message.error.message}`)) : resolve(message.result as R)));
      this.send({ id, method, params });
    });
  }

  notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  /** The next notification or request from the server (from now on, or already received and not yet taken) that `accept` takes. */
  async notification<P>(method: string, accept: (params: P) => boolean = () => true): Promise<P> {
    for (;;) {
      const index = this.notifications.findIndex((n) => n.method === method && accept(n.params as P));
      if (index >= 0) return this.notifications.splice(index, 1)[0]!.params as P;
      if (!this.running) throw new Error(`the server exited waiting for ${method}\n${this.stderr}`);
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }

  /** The next diagnostics published for `uri` that `accept` takes. */
  diagnostics(uri: string, accept: (published: PublishedDiagnostics) => boolean = () => true): Promise<PublishedDiagnostics> {
    return this.notification<PublishedDiagnostics>("textDocument/publishDiagnostics", (p) => p.uri === uri && accept(p));
  }

  /** `capabilities` are the client's: none unless a test gives some. */
  async initialize(capabilities: Record<string, unknown> = {}): Promise<{ capabilities: Record<string, unknown> }> {
    const result = await this.request<{ capabilities: Record<string, unknown> }>("initialize", {
      processId: null,
      rootUri: pathToFileURL(REPO_ROOT).href,
      capabilities,
    });
    this.notify("initialized", {});
    return result;
  }

  open(uri: string, text: string, version = 1): void {
    this.notify("textDocument/didOpen", { textDocument: { uri, languageId: "roux", version, text } });
  }

  /** Replaces the range (or the whole text, without one) as an editor's incremental change does. */
  change(uri: string, version: number, text: string, range?: { start: { line: number; character: number }; end: { line: number; character: number } }): void {
    this.notify("textDocument/didChange", { textDocument: { uri, version }, contentChanges: [range ? { range, text } : { text }] });
  }

  async shutdown(): Promise<number | null> {
    await this.request("shutdown", null);
    this.notify("exit", null);
    return this.exited;
  }

  kill(): void {
    if (this.running) this.process.kill();
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd < 0) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString("ascii"))?.[1]);
      const start = headerEnd + 4;
      if (this.buffer.length < start + length) return;
      const message = JSON.parse(this.buffer.subarray(start, start + length).toString("utf8")) as Message;
      this.buffer = this.buffer.subarray(start + length);
      this.dispatch(message);
    }
  }

  private dispatch(message: Message): void {
    if (message.id !== undefined && message.method === undefined) {
      this.pending.get(message.id)?.(message);
      this.pending.delete(message.id);
      return;
    }
    // A request from the server (configuration, registrations) is answered empty, as a minimal
    // editor does, and kept with the notifications for a test to wait for.
    if (message.id !== undefined) this.send({ id: message.id, result: null });
    this.notifications.push(message);
    for (const wake of this.waiters.splice(0)) wake();
  }
}

export function fileUri(file: string): string {
  return pathToFileURL(path.resolve(REPO_ROOT, file)).href;
}

/** The zero-based line and UTF-16 character where `needle` first occurs in `text` (after `from`). */
export function positionOf(text: string, needle: string, from = 0): { line: number; character: number } {
  const offset = text.indexOf(needle, from);
  if (offset < 0) throw new Error(`${needle} is not in the text`);
  const before = text.slice(0, offset).split("\n");
  return { line: before.length - 1, character: before.at(-1)!.length };
}
