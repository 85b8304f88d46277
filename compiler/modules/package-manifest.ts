/**
 * A registry package: a recipe and the files its check reads (datasets, ONNX models, JS/TS
 * reward modules, `./` modules), each named by its path relative to the recipe's folder and
 * addressed by sha256. The manifest lists them; its canonical form (the recipe first, then the
 * files sorted by path, keys in a fixed order) is what the package hash is the sha256 of, so one
 * pin covers the recipe and every byte of every file. The registry writes the manifest at
 * publish; `roux pull` and `use "registry:..."` verify against it. A recipe published with no
 * files is not a package: its pin stays its source's sha256.
 */
import { createHash } from "node:crypto";

export interface PackageFile {
  /** Relative to the recipe's folder, `/`-separated, never leaving it. */
  path: string;
  size: number;
  sha256: string;
}

export interface PackageManifest {
  recipe: PackageFile;
  files: PackageFile[];
}

const HEX = /^[0-9a-f]{64}$/;

// A segment is a plain name: no `.` or `..`, no hidden file (which could shadow the cache's own),
// no backslash or NUL, so the same path means the same file on every system.
const SEGMENT = /^[A-Za-z0-9_+-][A-Za-z0-9._+-]{0,127}$/;

/** Why a package path is refused, or undefined for one that stays inside the package. */
export function packagePathProblem(file: string): string | undefined {
  if (file.length > 1024) return "is longer than 1024 characters";
  const segments = file.split("/");
  if (segments.includes("..")) return "leaves the package (`..`)";
  if (segments.some((s) => !SEGMENT.test(s))) return "is not a plain relative path (letters, digits, `._+-`, no hidden files, `/` between folders)";
  return undefined;
}

function entry(value: unknown): PackageFile | undefined {
  const { path, size, sha256 } = (value ?? {}) as Partial<PackageFile>;
  if (typeof path !== "string" || typeof sha256 !== "string" || !HEX.test(sha256)) return undefined;
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) return undefined;
  return { path, size, sha256 };
}

/** A manifest from JSON, or why it is not one: paths plain, distinct, the recipe's not among the files. */
export function parseManifest(value: unknown): { ok: true; manifest: PackageManifest } | { ok: false; reason: string } {
  const raw = (value ?? {}) as { recipe?: unknown; files?: unknown };
  const recipe = entry(raw.recipe);
  if (recipe === undefined) return { ok: false, reason: "the manifest's `recipe` is not {path, size, sha256}" };
  if (!Array.isArray(raw.files)) return { ok: false, reason: "the manifest has no `files` list" };
  const files: PackageFile[] = [];
  const seen = new Set<string>();
  for (const item of [recipe, ...raw.files.map(entry)]) {
    if (item === undefined) return { ok: false, reason: "a manifest file is not {path, size, sha256 of 64 hex digits}" };
    const problem = packagePathProblem(item.path);
    if (problem !== undefined) return { ok: false, reason: `the path \`${item.path}\` ${problem}` };
    if (seen.has(item.path)) return { ok: false, reason: `the path \`${item.path}\` is listed twice` };
    seen.add(item.path);
    if (item !== recipe) files.push(item);
  }
  // `data` and `data/train.jsonl` cannot both be: one path cannot be a file and a folder.
  const folder = [...seen].find((p) => p.split("/").some((_, i, segments) => i > 0 && seen.has(segments.slice(0, i).join("/"))));
  if (folder !== undefined) return { ok: false, reason: `the path \`${folder}\` is inside another listed file` };
  return { ok: true, manifest: canonicalManifest({ recipe, files }) };
}

/** Files sorted by path and every key in a fixed order: the form that is hashed. */
export function canonicalManifest(manifest: PackageManifest): PackageManifest {
  const pick = ({ path, size, sha256 }: PackageFile): PackageFile => ({ path, size, sha256 });
  const files = manifest.files.map(pick).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { recipe: pick(manifest.recipe), files };
}

export function manifestText(manifest: PackageManifest): string {
  return JSON.stringify(canonicalManifest(manifest));
}

/** The package hash: the sha256 of the canonical manifest's JSON text. */
export function packageHash(manifest: PackageManifest): string {
  return createHash("sha256").update(manifestText(manifest)).digest("hex");
}

/**
 * What a `use "registry:..." sha256 "..."` of a published version pins: its package hash, or,
 * for a recipe published without files, the sha256 of its source (the pins made before packages).
 */
export function versionPin(version: { sha256: string; packageHash?: string | undefined }): string {
  return version.packageHash ?? version.sha256;
}
