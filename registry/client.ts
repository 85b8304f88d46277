/**
 * The registry's API as the `roux` client calls it. A failure of any kind (no server, a
 * refusal, an answer that is not the registry's) is a RegistryError with the one sentence to
 * show; a source whose bytes do not hash to what the registry says is refused here, before
 * anything is cached.
 */
import { sourceHash } from "../compiler/modules/registry-cache.js";
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

const path = (ref: RecipeRef | VersionRef) => `/api/v1/recipes/${ref.owner}/${ref.name}${"version" in ref ? `/${ref.version}` : ""}`;

export class RegistryClient {
  constructor(
    readonly url: string,
    private readonly token?: string,
  ) {}

  private async call(method: string, route: string, body?: Buffer, authorized = false): Promise<Response> {
    const headers: Record<string, string> = {};
    if (authorized) {
      if (this.token === undefined) throw new RegistryError(`no token for ${this.url}: run \`roux login --registry ${this.url}\``);
      headers.authorization = `Bearer ${this.token}`;
    }
    if (body !== undefined) headers["content-type"] = "text/plain; charset=utf-8";
    const address = new URL(route, this.url);
    // An upload is not followed through a redirect: fetch cannot send the body twice, and the
    // recipe (with the token) would go to an address the user never named. It is refused below.
    const redirect = body === undefined ? "follow" : "manual";
    let response: Response;
    try {
      response = await fetch(address, { method, headers, body: body === undefined ? undefined : new Uint8Array(body), redirect });
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

  private async json<T>(method: string, route: string, body?: Buffer, authorized = false): Promise<T> {
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
    return this.json("PUT", path(ref), content, true);
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
