/**
 * The check a recipe must pass to be published: `roux check`'s own (compiler/check-recipe.ts),
 * with the upload sealed as every registry module is (no local files), and its registry imports
 * resolved from this registry's store instead of a local cache, pinned by the same sha256. A
 * package's recipe reads its own files, from the folder package-upload.ts links them into.
 * A version that passes has its page parts rendered from the same check (web/page-parts.ts).
 * This runs in a check worker (check-worker.ts), never on the server's request thread.
 */
import { versionPin } from "../compiler/modules/package-manifest.js";
import { rmSync } from "node:fs";
import path from "node:path";
import { checkRecipe } from "../compiler/check-recipe.js";
import { recipeHash } from "../compiler/hash.js";
import type { ProgramResult } from "../compiler/program.js";
import { pinnedSpecifier } from "../compiler/modules/registry-cache.js";
import type { ModuleResolver, Resolution } from "../compiler/modules/resolve.js";
import { fileResolver, stdResolver } from "../compiler/modules/resolve.js";
import { countBySeverity } from "../diagnostics/diagnostic.js";
import { jsonReport } from "../diagnostics/render-json.js";
import { plural } from "../diagnostics/render-summary.js";
import { renderDiagnostics } from "../diagnostics/render-text.js";
import type { BlobStore } from "./blobs.js";
import { boundReport } from "./bounded-report.js";
import type { PackageFolder } from "./check-pool.js";
import { HttpError } from "./http-error.js";
import { linkPackage } from "./package-upload.js";
import { refText, type VersionRef } from "./names.js";
import type { PageParts, Store } from "./store.js";
import { renderPageParts } from "./web/page-parts.js";

/** What an upload's registry imports are read from: the database, and packages' files beside it. */
export interface Registry {
  store: Store;
  blobs: BlobStore;
}

/** Each folder a check read packages from (the upload's, and its imported packages'), named as the package it holds. */
type PackageLabels = Map<string, string>;

/**
 * `registry:` imports from this registry's store; an imported package's files are linked into a
 * folder of their own (package-upload.ts), where its modules, and only they, read them.
 */
function storeResolver({ store, blobs }: Registry, labels: PackageLabels): ModuleResolver {
  return {
    handles: (specifier) => specifier.startsWith("registry:"),
    resolve(specifier, _fromFile, given): Resolution {
      const pinned = pinnedSpecifier(specifier, given);
      if (!pinned.ok) return pinned;
      const { pin } = pinned;
      const row = store.versionRow(pinned);
      if (row === undefined) return { ok: false, code: "E1103", reason: "not published on this registry", help: "publish it first" };
      // A package is pinned by its package hash (compiler/modules/package-manifest.ts).
      const published = versionPin(row);
      if (published !== pin) return { ok: false, code: "E1103", reason: `its sha256 is ${published.slice(0, 12)}…, not the pinned ${pin.slice(0, 12)}…` };
      const source = store.blob(row.sha256)!.toString("utf8");
      if (row.manifest === undefined) return { ok: true, file: specifier, source, sealed: true };
      const dir = linkPackage(blobs, row.manifest);
      labels.set(dir, specifier);
      return { ok: true, file: path.join(dir, row.manifest.recipe.path), source, sealed: true, packageRoot: dir };
    },
  };
}

export interface CheckedUpload {
  recipeHash: string;
  /** The comment lines the recipe starts with, as its one-line description. */
  description: string;
  page: PageParts;
}

/**
 * `roux check` of the source as the registry module `registry:OWNER/NAME@VERSION`; a package's
 * recipe is checked in the folder of its files, which it alone may read. The folders linked for
 * imported packages are removed once the check is done.
 */
async function checkAsPublished(
  registry: Registry,
  ref: VersionRef,
  source: string,
  files?: PackageFolder,
): Promise<{ program: ProgramResult; labels: PackageLabels }> {
  const labels: PackageLabels = new Map();
  const resolvers = [stdResolver, fileResolver, storeResolver(registry, labels)];
  try {
    if (files === undefined)
      return { program: await checkRecipe(`registry:${refText(ref)}`, source, { resolvers, sealedRoot: true }), labels: new Map(labels) };
    const program = await checkRecipe(path.join(files.dir, files.recipe), source, { resolvers, sealedRoot: true, rootPackage: files.dir });
    return { program, labels: new Map([...labels, [files.dir, `registry:${refText(ref)}`]]) };
  } finally {
    // Only the imports' folders: the upload's own is its caller's (api.ts).
    for (const dir of labels.keys()) rmSync(dir, { recursive: true, force: true });
  }
}

/** Checks an upload; a recipe with errors is a 422 carrying them, rendered and as JSON, bounded in size. */
export async function checkUpload(registry: Registry, ref: VersionRef, source: string, files?: PackageFolder): Promise<CheckedUpload> {
  const { program, labels } = await checkAsPublished(registry, ref, source, files);
  const { errors, warnings } = countBySeverity(program.diagnostics);
  if (errors > 0) {
    // A package's files are named as the publisher knows them, not by the folder they were checked in.
    const shown = (file: string) => {
      for (const [dir, label] of labels) if (file.startsWith(dir + path.sep)) return `${label}/${file.slice(dir.length + 1)}`;
      return file;
    };
    const diagnostics = relabel(program.diagnostics, shown);
    const sources = new Map([...program.modules.values()].map((m) => [shown(m.file), m.source]));
    const report = boundReport(jsonReport(diagnostics), renderDiagnostics(diagnostics, sources, { color: false }));
    throw new HttpError(422, `${refText(ref)} does not pass \`roux check\`: ${plural(errors, "error")}, ${plural(warnings, "warning")}`, { ...report });
  }
  return { recipeHash: recipeHash(program), description: leadingComment(source), page: renderPageParts(ref, program, source) };
}

/** The value with every `file` in it (a span's, nested at any depth) renamed. */
function relabel<T>(value: T, rename: (file: string) => string): T {
  if (Array.isArray(value)) return value.map((item) => relabel(item, rename)) as T;
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value).map(([key, item]) => [key, key === "file" && typeof item === "string" ? rename(item) : relabel(item, rename)]);
  return Object.fromEntries(entries) as T;
}

/** The page parts of a version published before pages were stored, from the check that accepted it. */
export async function renderPublished(registry: Registry, ref: VersionRef, source: string): Promise<PageParts> {
  return renderPageParts(ref, (await checkAsPublished(registry, ref, source)).program, source);
}

/** `// A shared PRM reward` at the top of the file becomes its description in search results. */
function leadingComment(source: string): string {
  const lines: string[] = [];
  for (const line of source.split("\n")) {
    const [, comment] = /^\s*\/\/\s?(.*)$/.exec(line) ?? [];
    if (comment === undefined) break;
    lines.push(comment.trim());
  }
  return lines.join(" ").slice(0, 300);
}
