/**
 * The registry's JSON API, under `/api/v1`. Reads are public; publishing and yanking need a
 * token (`Authorization: Bearer ...`) whose user owns the namespace; an address that has presented
 * too many invalid tokens is refused 429 for a while (auth-limit.ts). Every failure is an
 * HttpError, answered `{"error": "..."}` by the server. An upload is checked in a check worker,
 * under the server's check budget (check-pool.ts); the page it passes with is stored with it.
 *
 *   GET    /api/v1/search?q=TEXT                        recipes whose name or description has TEXT
 *   GET    /api/v1/whoami                               the token's user
 *   GET    /api/v1/recipes/OWNER/NAME                   the recipe and its versions, newest first
 *   GET    /api/v1/recipes/OWNER/NAME/VERSION           one version: sha256, recipe hash, size, yanked
 *   GET    /api/v1/recipes/OWNER/NAME/VERSION/source    its source, byte for byte (x-roux-sha256)
 *   PUT    /api/v1/recipes/OWNER/NAME/VERSION           publish: the body is the source (at most 1 MiB),
 *                                                        or a package's manifest as JSON (package-upload.ts)
 *   GET    /api/v1/recipes/OWNER/NAME/VERSION/files/PATH a package's file, byte for byte (x-roux-sha256)
 *   PUT    /api/v1/blobs/SHA256                         store a package's file (token needed), verified on arrival
 *   POST   /api/v1/recipes/OWNER/NAME/VERSION/yank      yank it (DELETE un-yanks)
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AuthLimit } from "./auth-limit.js";
import type { BlobStore } from "./blobs.js";
import { MAX_RECIPE_BYTES, readBody, recipeText, streamBody } from "./body.js";
import type { CheckPool } from "./check-pool.js";
import { HttpError } from "./http-error.js";
import { isOwner, isRecipeName, isVersion, NAME_RULE, OWNER_RULE, refText, VERSION_RULE, type RecipeRef, type VersionRef } from "./names.js";
import { blobName, type PackageLimits, stagePackage } from "./package-upload.js";
import { sendJson, sendSource } from "./respond.js";
import type { Store, VersionRow } from "./store.js";
import { verifyToken } from "./tokens.js";

function recipeRef(owner: string, name: string): RecipeRef {
  if (!isOwner(owner)) throw new HttpError(400, `\`${owner}\` is not an owner: ${OWNER_RULE}`);
  if (!isRecipeName(name)) throw new HttpError(400, `\`${name}\` is not a recipe name: ${NAME_RULE}`);
  return { owner, name };
}

function versionRef(owner: string, name: string, version: string): VersionRef {
  if (!isVersion(version)) throw new HttpError(400, `\`${version}\` is not a version: ${VERSION_RULE}`);
  return { ...recipeRef(owner, name), version };
}

function allow(request: IncomingMessage, methods: readonly string[]): void {
  if (!methods.includes(request.method ?? ""))
    throw new HttpError(405, `${request.method} is not allowed here; use ${methods.join(" or ")}`, { allow: methods });
}

/** What a request that needs a token is checked against. */
export interface Gate {
  store: Store;
  limit: AuthLimit;
}

/** Where packages' files are kept, and how large they may be. */
export interface PackageFiles {
  blobs: BlobStore;
  limits: PackageLimits;
}

const JSON_TYPE = /^application\/json\b/i;

/** The user of the request's token: 401 without a valid one, 429 (unchecked) from an address that guessed too often. */
function authenticate(request: IncomingMessage, { store, limit }: Gate): string {
  const header = request.headers.authorization;
  if (header === undefined) throw new HttpError(401, "this needs a token: run `roux login` (tokens come from `roux registry add-user` on the server)");
  const address = request.socket.remoteAddress ?? "";
  const wait = limit.retryAfter(address);
  if (wait > 0) throw new HttpError(429, `too many invalid tokens from this address: try again in ${wait} s`, { retryAfter: wait });
  // HTTP auth schemes are case-insensitive, and the credentials may follow more than one space.
  const [, token] = /^bearer +(\S+)$/i.exec(header) ?? [];
  const user = token === undefined ? undefined : verifyToken(store, token);
  if (user === undefined) {
    limit.failed(address);
    throw new HttpError(401, "the token is not valid on this registry");
  }
  return user;
}

/** 403 unless the token's user owns the namespace. */
function authorize(request: IncomingMessage, gate: Gate, ref: RecipeRef): void {
  const user = authenticate(request, gate);
  if (user !== ref.owner) throw new HttpError(403, `${user} cannot publish under ${ref.owner}/: a user publishes under their own name`);
}

function versionJson(ref: RecipeRef, row: VersionRow): Record<string, unknown> {
  return { owner: ref.owner, name: ref.name, ...row };
}

/** A file of a package version, streamed from its blob; 404 for a path its manifest does not list. */
function sendFile(response: ServerResponse, blobs: BlobStore, row: VersionRow, file: string): void {
  const listed = row.manifest?.files.find((f) => f.path === file) ?? (row.manifest?.recipe.path === file ? row.manifest.recipe : undefined);
  if (listed === undefined) throw new HttpError(404, `the version has no file \`${file}\``);
  response.writeHead(200, {
    "content-type": "application/octet-stream",
    "content-length": listed.size,
    "x-content-type-options": "nosniff",
    "x-roux-sha256": listed.sha256,
  });
  blobs
    .read(listed.sha256)
    .on("error", () => response.destroy())
    .pipe(response);
}

function existing(store: Store, ref: VersionRef): VersionRow {
  const row = store.versionRow(ref);
  if (row === undefined) throw new HttpError(404, `${refText(ref)} is not published`);
  return row;
}

async function publish(request: IncomingMessage, response: ServerResponse, gate: Gate, checks: CheckPool, files: PackageFiles, ref: VersionRef): Promise<void> {
  const { store } = gate;
  authorize(request, gate, ref);
  const taken = () => new HttpError(409, `${refText(ref)} is already published, and versions are immutable: publish a new version`);
  // Refused before the upload is read: a version that exists cannot become anything else.
  if (store.versionRow(ref) !== undefined) throw taken();
  const body = await readBody(request, MAX_RECIPE_BYTES);
  // A package's manifest names its files, stored beforehand (package-upload.ts); any other body is the recipe alone.
  const staged = JSON_TYPE.test(request.headers["content-type"] ?? "") ? await stagePackage(body, files.blobs, files.limits) : undefined;
  try {
    const content = staged?.content ?? body;
    const folder = staged === undefined ? undefined : { dir: staged.dir, recipe: staged.manifest.recipe.path };
    const { page, ...checked } = await checks.publish(ref, recipeText(content), folder);
    if (!store.publish({ ...ref, content, manifest: staged?.manifest, ...checked })) throw taken();
    store.savePage(ref, page);
  } finally {
    await staged?.remove();
  }
  sendJson(response, 201, versionJson(ref, store.versionRow(ref)!));
}

async function drain(body: AsyncIterable<Buffer>): Promise<void> {
  const chunks = body[Symbol.asyncIterator]();
  while (!(await chunks.next()).done);
}

/** Stores a blob (package-upload.ts, step 1); one already stored is answered as stored, its body dropped. */
async function putBlob(request: IncomingMessage, response: ServerResponse, gate: Gate, { blobs, limits }: PackageFiles, sha256: string): Promise<void> {
  authenticate(request, gate);
  const body = streamBody(request, limits.fileBytes, "a file");
  if (blobs.has(sha256)) await drain(body);
  else await blobs.put(body, sha256);
  sendJson(response, 201, { sha256 });
}

export async function handleApi(
  request: IncomingMessage,
  response: ServerResponse,
  gate: Gate,
  checks: CheckPool,
  files: PackageFiles,
  segments: readonly string[],
  query: URLSearchParams,
): Promise<void> {
  const { store } = gate;
  const [version, resource, ...rest] = segments;
  if (version !== "v1") throw new HttpError(404, "no such API: the registry's API is under /api/v1");
  if (resource === "search" && rest.length === 0) {
    allow(request, ["GET"]);
    return sendJson(response, 200, { results: store.search(query.get("q") ?? "") });
  }
  if (resource === "whoami" && rest.length === 0) {
    allow(request, ["GET"]);
    return sendJson(response, 200, { user: authenticate(request, gate) });
  }
  if (resource === "blobs" && rest.length === 1) {
    allow(request, ["PUT"]);
    return putBlob(request, response, gate, files, blobName(rest[0]!));
  }
  const [owner, name, versionText, action, ...extra] = rest;
  if (resource === "recipes" && action === "files" && owner !== undefined && name !== undefined && versionText !== undefined && extra.length > 0) {
    allow(request, ["GET"]);
    return sendFile(response, files.blobs, existing(store, versionRef(owner, name, versionText)), extra.join("/"));
  }
  if (resource !== "recipes" || owner === undefined || name === undefined || extra.length > 0)
    throw new HttpError(404, `no such API path: /api/${segments.join("/")}`);
  if (versionText === undefined) {
    allow(request, ["GET"]);
    const ref = recipeRef(owner, name);
    const info = store.recipe(ref);
    if (info === undefined) throw new HttpError(404, `${ref.owner}/${ref.name} is not published`);
    return sendJson(response, 200, info);
  }
  const ref = versionRef(owner, name, versionText);
  if (action === undefined) {
    allow(request, ["GET", "PUT"]);
    if (request.method === "PUT") return publish(request, response, gate, checks, files, ref);
    return sendJson(response, 200, versionJson(ref, existing(store, ref)));
  }
  if (action === "source") {
    allow(request, ["GET"]);
    const row = existing(store, ref);
    return sendSource(response, store.blob(row.sha256)!, row.sha256);
  }
  if (action === "yank") {
    allow(request, ["POST", "DELETE"]);
    authorize(request, gate, ref);
    existing(store, ref);
    store.setYanked(ref, request.method === "POST");
    return sendJson(response, 200, versionJson(ref, existing(store, ref)));
  }
  throw new HttpError(404, `no such API path: /api/${segments.join("/")}`);
}
