/**
 * Publishing a package (compiler/modules/package-manifest.ts) in two steps, so that a version is
 * visible only once every file of it is stored and verified:
 *
 *   1. `PUT /api/v1/blobs/SHA256` for each file and for the recipe: the body streams to disk and
 *      is kept only if it hashes to SHA256 (blobs.ts). Idempotent: a blob already stored is
 *      not stored again.
 *   2. `PUT /api/v1/recipes/OWNER/NAME/VERSION` with the manifest as JSON: refused unless every
 *      blob it names is stored with the size it states, within the limits below. The recipe is
 *      then checked with its files in a folder of its own (hard links to the blobs, removed
 *      after), and the version row, manifest included, is written in one transaction.
 *
 * A publish that fails at any point leaves no version; blobs it stored stay, for a retry, until
 * `roux registry gc` removes those no version names (gc.ts).
 */
import { randomBytes } from "node:crypto";
import { linkSync, mkdirSync, rmSync } from "node:fs";
import { readFile, rm, stat } from "node:fs/promises";
import path from "node:path";
import { type PackageManifest, parseManifest } from "../compiler/modules/package-manifest.js";
import type { BlobStore } from "./blobs.js";
import { bytesText, MAX_RECIPE_BYTES, tooLarge } from "./body.js";
import { HttpError } from "./http-error.js";

export interface PackageLimits {
  /** The largest file of a package, in bytes (`roux registry serve --max-file-mb`). */
  fileBytes: number;
  /** All of a package's files together, the recipe included (`--max-package-mb`). */
  packageBytes: number;
}

const MIB = 1024 * 1024;

export const DEFAULT_PACKAGE_LIMITS: PackageLimits = { fileBytes: 64 * MIB, packageBytes: 256 * MIB };

const SHA256 = /^[0-9a-f]{64}$/;

/** The blob named in a `/api/v1/blobs/SHA256` path, or 400. */
export function blobName(text: string): string {
  if (!SHA256.test(text)) throw new HttpError(400, `\`${text}\` is not a sha256: 64 lowercase hex digits`);
  return text;
}

/** A package's files, linked into a folder where its check reads them. */
export interface StagedPackage {
  manifest: PackageManifest;
  /** The recipe's bytes. */
  content: Buffer;
  dir: string;
  remove(): Promise<void>;
}

/** A stored blob's size, the blob touched first: named by a publish in progress, `roux registry gc` keeps it (gc.ts). */
async function storedSize(blobs: BlobStore, sha256: string): Promise<number | undefined> {
  try {
    await blobs.touch(sha256);
    return (await stat(blobs.path(sha256))).size;
  } catch {
    return undefined;
  }
}

/**
 * Links a stored package's files, the recipe included, into a new folder of their own under
 * `checks/`, where a check reads them; the caller removes it. Hard links: no byte is copied, and
 * the folder is on the blobs' own file system.
 */
export function linkPackage(blobs: BlobStore, manifest: PackageManifest): string {
  const dir = path.join(blobs.dir, "checks", randomBytes(8).toString("hex"));
  try {
    for (const file of [manifest.recipe, ...manifest.files]) {
      const target = path.join(dir, ...file.path.split("/"));
      mkdirSync(path.dirname(target), { recursive: true });
      linkSync(blobs.path(file.sha256), target);
    }
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return dir;
}

/** Validates a manifest against the stored blobs and the limits, and links its files into a folder for the check. */
export async function stagePackage(body: Buffer, blobs: BlobStore, limits: PackageLimits): Promise<StagedPackage> {
  let json: unknown;
  try {
    json = JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, "the manifest is not JSON: send {recipe: {path, size, sha256}, files: [...]}");
  }
  const parsed = parseManifest(json);
  if (!parsed.ok) throw new HttpError(400, parsed.reason);
  const { manifest } = parsed;
  if (manifest.recipe.size > MAX_RECIPE_BYTES) throw tooLarge("a recipe", MAX_RECIPE_BYTES);
  const all = [manifest.recipe, ...manifest.files];
  const total = all.reduce((sum, file) => sum + file.size, 0);
  if (total > limits.packageBytes)
    throw new HttpError(413, `the package is ${total} bytes; a package may be at most ${bytesText(limits.packageBytes)} on this registry`);
  for (const file of all) {
    if (file.size > limits.fileBytes)
      throw new HttpError(413, `\`${file.path}\` is ${file.size} bytes; a file may be at most ${bytesText(limits.fileBytes)} on this registry`);
    const size = await storedSize(blobs, file.sha256);
    if (size === undefined)
      throw new HttpError(422, `the registry has no file with sha256 ${file.sha256} for \`${file.path}\`: upload it first (PUT /api/v1/blobs/${file.sha256})`);
    if (size !== file.size) throw new HttpError(422, `the manifest says \`${file.path}\` is ${file.size} bytes, but the file with its sha256 is ${size}`);
  }
  const dir = linkPackage(blobs, manifest);
  const remove = () => rm(dir, { recursive: true, force: true });
  try {
    return { manifest, content: await readFile(blobs.path(manifest.recipe.sha256)), dir, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}
