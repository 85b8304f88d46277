/**
 * `roux pull OWNER/NAME@VERSION [--lock FILE]`: fetches a published version into the local
 * cache, where `use "registry:..."` finds it, records its sha256 in `roux.lock` (the nearest
 * one above the working folder, else a new one there) and prints the `use` line that pins it.
 * Versions are immutable, so a registry that now serves other bytes than the lock records is
 * refused, not followed.
 */
import { existsSync, promises as fs } from "node:fs";
import path from "node:path";
import { findLock, formatLock, LOCK_FILE, readLock, type Lock } from "../../compiler/modules/lock.js";
import { cachedModulePath } from "../../compiler/modules/registry-cache.js";
import { parseVersionRef, refText, useLine } from "../../registry/names.js";
import { onePositional, type Command } from "../command.js";
import { writeFileAtomic } from "../io.js";
import { fromRegistry, REGISTRY_OPTION, registryClient } from "../registry-config.js";
import { CommandError, UsageError } from "../usage-error.js";

function projectLock(file: string | undefined, cwd: string): { file: string; lock: Lock } {
  const chosen = file ?? findLock(cwd) ?? path.join(cwd, LOCK_FILE);
  if (!existsSync(chosen)) return { file: chosen, lock: { modules: {} } };
  const read = readLock(chosen);
  if (!read.ok) throw new CommandError(`cannot read ${chosen}: ${read.reason}`);
  return { file: chosen, lock: read.lock };
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
    const locked = lock.modules[key];
    if (locked !== undefined && locked.sha256 !== version.sha256) {
      throw new CommandError(
        `${lockFile} pins ${key} to sha256 ${locked.sha256}, but ${client.url} now serves ${version.sha256}; ` +
          "versions never change, so one of them is not what was published",
      );
    }
    const content = await fromRegistry(client.source(ref, version.sha256));
    const cached = cachedModulePath(ref.owner, ref.name, ref.version, io.env);
    await fs.mkdir(path.dirname(cached), { recursive: true });
    await writeFileAtomic(cached, content);
    lock.modules[key] = { sha256: version.sha256, registry: client.url };
    await writeFileAtomic(lockFile, formatLock(lock));
    if (version.yanked) io.stderr.write(`warning: ${key} is yanked: its author no longer recommends it\n`);
    io.stderr.write(`pulled ${key} into ${cached}, pinned in ${lockFile}\n`);
    io.stdout.write(`${useLine(ref, version.sha256)}\n`);
    return 0;
  },
};
