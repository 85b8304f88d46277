/**
 * The registry's API as the `roux` client calls it. A failure of any kind (no server, a
 * refusal, an answer that is not the registry's) is a RegistryError with the one sentence to
 * show; a source whose bytes do not hash to what the registry says is refused here, before
 * anything is cached.
 */
import { createReadStream } from "node:fs";
import { rename, rm } from "node:fs/promises";
import { Readable } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { manifestText, type PackageFile, type PackageManifest } from "../compiler/modules/package-manifest.js";
import { sourceHash } from "../compiler/modules/registry-cache.js";
import { writeHashed } from "./hashed-write.js";
import { refText, type RecipeRef, type VersionRef } from "./names.js";
import type { RecipeInfo, RecipeSummary, VersionRow } from "./store.js";

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
    /** `roux check`'s diagnostics, rendered, when a publish was refused for them. */
    readonly rendered?: string,
  ) {
    super(message);
  }
}

export type PublishedVersion = VersionRow & RecipeRef;

interface Body {
  data: BodyInit;
  type: string;
}

const path = (ref: RecipeRef | VersionRef) => `/api/v1/recipes/${ref.owner}/${ref.name}${"version" in ref ? `/${ref.version}` : ""}`;

export class RegistryClient {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  private async call(method: string, route: string, body?: Body, authorized = false): Promise<Response> {
    const headers: Record<string, string> = {};
    if (authorized) {
      if (this.token === undefined) throw new RegistryError(`no token for ${this.url}: run \`roux login --registry ${this.url}\``);
      headers.authorization = `Bearer ${this.token}`;
    }
    if (body !== undefined) headers["content-type"] = body.type;
    const address = new URL(route, this.url);
    // An upload is not followed through a redirect: fetch cannot send the body twice, and the
    // recipe (with the token) would go to an address the user never named. It is refused below.
    const redirect = body === undefined ? "follow" : "manual";
    let response: Response;
    try {
      const sent = body === undefined ? {} : { body: body.data, duplex: "half" as const };
      response = await fetch(address, { method, headers, ...sent, redirect });
    } catch (error) {
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new RegistryError(`cannot reach the registry at ${this.url}: ${cause?.code ?? cause?.message ?? (error as Error).message}`);
    }
    if (redirect === "manual" && response.status >= 300 && response.status < 400) {
      const location = response.headers.get("location");
      const target = location === null ? "an address it did not give" : new URL(location, address).href;
      throw new RegistryError(
        `${this.url} redirected ${method} ${route} to ${target} (HTTP ${response.status}): an upload is not sent on; if the registry has moved, name its new address with --registry`,
        response.status,
      );
    }
    if (response.ok) return response;
    let answer: { error?: unknown; rendered?: unknown } = {};
    try {
      answer = (await response.json()) as typeof answer;
    } catch {
      // Not the registry's JSON (a proxy's page, say): the status alone must do.
    }
    const message = typeof answer.error === "string" ? answer.error : `${method} ${route} failed with HTTP ${response.status}`;
    throw new RegistryError(message, response.status, typeof answer.rendered === "string" ? answer.rendered : undefined);
  }

  private async json<T>(method: string, route: string, body?: Body, authorized = false): Promise<T> {
    const response = await this.call(method, route, body, authorized);
    try {
      return (await response.json()) as T;
    } catch {
      throw new RegistryError(`${this.url} answered ${route} with something other than JSON: is it a Roux registry?`);
    }
  }

  async whoami(): Promise<string> {
    return (await this.json<{ user: string }>("GET", "/api/v1/whoami", undefined, true)).user;
  }

  async search(text: string): Promise<RecipeSummary[]> {
    return (await this.json<{ results: RecipeSummary[] }>("GET", `/api/v1/search?q=${encodeURIComponent(text)}`)).results;
  }

  info(ref: RecipeRef): Promise<RecipeInfo> {
    return this.json("GET", path(ref));
  }

  version(ref: VersionRef): Promise<PublishedVersion> {
    return this.json("GET", path(ref));
  }

  publish(ref: VersionRef, content: Buffer): Promise<PublishedVersion> {
    return this.json("PUT", path(ref), { data: new Uint8Array(content) as Uint8Array<ArrayBuffer>, type: "text/plain; charset=utf-8" }, true);
  }

  /** Uploads a package's file from disk, streamed; the registry keeps it only if it hashes to `sha256`. */
  async putBlob(file: string, sha256: string): Promise<void> {
    const data = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array<ArrayBuffer>>;
    await this.json("PUT", `/api/v1/blobs/${sha256}`, { data, type: "application/octet-stream" }, true);
  }

  /** Publishes a package whose files are all uploaded (registry/package-upload.ts). */
  publishPackage(ref: VersionRef, manifest: PackageManifest): Promise<PublishedVersion> {
    return this.json("PUT", path(ref), { data: manifestText(manifest), type: "application/json" }, true);
  }

  /**
   * Downloads a package's file to `target`, streamed into a temporary file beside it while it is
   * hashed, and renamed into place only when its size and sha256 are the manifest's.
   */
  async downloadFile(ref: VersionRef, file: PackageFile, target: string): Promise<void> {
    const response = await this.call("GET", `${path(ref)}/files/${file.path}`);
    const temp = `${target}.partial`;
    // A previous pull broken off may have left one.
    await rm(temp, { force: true });
    let written: { sha256: string; size: number };
    try {
      written = await writeHashed(Readable.fromWeb(response.body as WebReadableStream<Uint8Array>), temp);
    } catch (error) {
      await rm(temp, { force: true });
      throw new RegistryError(
        `the download of ${refText(ref)}'s \`${file.path}\` broke off: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
      );
    }
    if (written.sha256 !== file.sha256 || written.size !== file.size) {
      await rm(temp, { force: true });
      throw new RegistryError(
        `${refText(ref)}'s \`${file.path}\` arrived with sha256 ${written.sha256} (${written.size} bytes), not the manifest's ${file.sha256}: refusing to cache it`,
      );
    }
    await rename(temp, target);
  }

  yank(ref: VersionRef, yanked: boolean): Promise<PublishedVersion> {
    return this.json(yanked ? "POST" : "DELETE", `${path(ref)}/yank`, undefined, true);
  }

  /** The source, byte for byte, checked against the sha256 the registry lists for the version. */
  async source(ref: VersionRef, sha256: string): Promise<Buffer> {
    const content = Buffer.from(await (await this.call("GET", `${path(ref)}/source`)).arrayBuffer());
    const actual = sourceHash(content);
    if (actual !== sha256) throw new RegistryError(`${refText(ref)} arrived with sha256 ${actual}, not the registry's ${sha256}: refusing to cache it`);
    return content;
  }
}
