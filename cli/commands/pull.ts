/**
 * `roux pull OWNER/NAME@VERSION [--lock FILE]`: fetches a published version into the local
 * cache, where `use "registry:..."` finds it, records its sha256 in `roux.lock` (the nearest
 * one above the working folder, else a new one there) and prints the `use` line that pins it.
 * Versions are immutable, so a registry that now serves other bytes than the lock records is
 * refused, not followed. A package comes with all its files, each verified by its sha256, and
 * is pinned by its package hash, which the lock records.
 */
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { findLock, formatLock, LOCK_FILE, readLock, type Lock } from "../../compiler/modules/lock.js";
import { manifestText, type PackageManifest, packageHash, parseManifest, versionPin } from "../../compiler/modules/package-manifest.js";
import { cachedModulePath, cachedPackage } from "../../compiler/modules/registry-cache.js";
import type { RegistryClient } from "../../registry/client.js";
import { parseVersionRef, refText, useLine, type VersionRef } from "../../registry/names.js";
import { onePositional, type Command } from "../command.js";
import { type Io, writeFileAtomic } from "../io.js";
import { fromRegistry, REGISTRY_OPTION, registryClient } from "../registry-config.js";
import { CommandError, UsageError } from "../usage-error.js";

function projectLock(file: string | undefined, cwd: string): { file: string; lock: Lock } {
  const chosen = file ?? findLock(cwd) ?? path.join(cwd, LOCK_FILE);
  if (!existsSync(chosen)) return { file: chosen, lock: { modules: {} } };
  const read = readLock(chosen);
  if (!read.ok) throw new CommandError(`cannot read ${chosen}: ${read.reason}`);
  return { file: chosen, lock: read.lock };
}

/**
 * Fetches every file of a package into its cache folder, each verified against the manifest as it
 * arrives, the manifest itself against the pin; the manifest is written last, so the cache holds
 * a package only once all of it is there (compiler/modules/registry-cache.ts).
 */
async function pullPackage(client: RegistryClient, ref: VersionRef, given: PackageManifest, pin: string, io: Io): Promise<string> {
  // A manifest names paths to write: it is held to the same rules as on the server, so none leaves the folder.
  const parsed = parseManifest(given);
  if (!parsed.ok) throw new CommandError(`${client.url} sent a manifest for ${refText(ref)} that is refused: ${parsed.reason}`);
  const { manifest } = parsed;
  if (packageHash(manifest) !== pin) throw new CommandError(`${client.url} sent a manifest for ${refText(ref)} that does not hash to its package hash ${pin}`);
  const { dir, manifest: manifestFile } = cachedPackage(ref.owner, ref.name, ref.version, io.env);
  // Whatever a previous pull left is gone first: the folder holds exactly the manifest's files.
  await fs.rm(manifestFile, { force: true });
  await fs.rm(dir, { recursive: true, force: true });
  for (const file of [manifest.recipe, ...manifest.files]) {
    const target = path.join(dir, ...file.path.split("/"));
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fromRegistry(client.downloadFile(ref, file, target));
  }
  await writeFileAtomic(manifestFile, `${manifestText(manifest)}\n`);
  return path.join(dir, manifest.recipe.path);
}

export const command: Command = {
  usage: "[--lock FILE] [--registry URL] OWNER/NAME@VERSION",
  options: { ...REGISTRY_OPTION, lock: { type: "string" } },
  async run(args, io) {
    const given = onePositional(args);
    const ref = given === undefined ? undefined : parseVersionRef(given);
    if (ref === undefined) throw new UsageError(`give one version as OWNER/NAME@X.Y.Z\nusage: roux pull ${this.usage}`);
    const key = refText(ref);
    const { file: lockFile, lock } = projectLock(args.values.lock as string | undefined, io.cwd);
    const client = await registryClient(args, io);
    const version = await fromRegistry(client.version(ref));
    const pin = versionPin(version);
    const locked = lock.modules[key];
    if (locked !== undefined && locked.sha256 !== pin) {
      throw new CommandError(
        `${lockFile} pins ${key} to sha256 ${locked.sha256}, but ${client.url} now serves ${pin}; ` +
          "versions never change, so one of them is not what was published",
      );
    }
    let cached: string;
    if (version.manifest === undefined) {
      const content = await fromRegistry(client.source(ref, version.sha256));
      cached = cachedModulePath(ref.owner, ref.name, ref.version, io.env);
      await fs.mkdir(path.dirname(cached), { recursive: true });
      await writeFileAtomic(cached, content);
    } else {
      cached = await pullPackage(client, ref, version.manifest, pin, io);
    }
    lock.modules[key] = { sha256: pin, registry: client.url };
    await writeFileAtomic(lockFile, formatLock(lock));
    if (version.yanked) io.stderr.write(`warning: ${key} is yanked: its author no longer recommends it\n`);
    io.stderr.write(`pulled ${key} into ${cached}, pinned in ${lockFile}\n`);
    io.stdout.write(`${useLine(ref, pin)}\n`);
    return 0;
  },
};
