/**
 * Where `roux run` and `roux resume` keep the stage cache and how big it may grow: `$ROUX_CACHE/stages`
 * (ROUX_CACHE as the registry's cache reads it, `~/.cache/roux` by default) and
 * `ROUX_STAGE_CACHE_MAX_BYTES` (4 GiB by default; runtime/stage-cache/README.md "Size"), and what
 * finds the files a JS/TS reward module loads, which the key hashes with the module.
 */
import path from "node:path";
import { cacheDir } from "../../compiler/modules/registry-cache.js";
import { moduleLoads } from "../../compiler/outside/module-loads.js";
import { DEFAULT_MAX_BYTES } from "../../runtime/stage-cache/gc.js";
import type { StageCacheSettings } from "../../runtime/stage-cache/run-cache.js";
import type { CodeLoads } from "../../runtime/stage-cache/stage-key.js";
import { CommandError } from "../usage-error.js";

export function stageCacheSettings(env: NodeJS.ProcessEnv, maxBytes?: string): StageCacheSettings {
  return { dir: path.join(cacheDir(env), "stages"), maxBytes: byteCount(maxBytes ?? env.ROUX_STAGE_CACHE_MAX_BYTES), loads: codeLoads };
}

/** The files a reward module loads, for its stage's key (compiler/outside/module-loads.ts). */
export const codeLoads: CodeLoads = (module) => moduleLoads([module]);

/** A size in bytes, whole; unset is the default. Anything else is refused rather than ignored. */
function byteCount(value: string | undefined): number {
  if (value === undefined || value === "") return DEFAULT_MAX_BYTES;
  const n = Number(value);
  if (!(Number.isSafeInteger(n) && n >= 0)) throw new CommandError(`${value} is not a size in bytes: give a whole number, at least 0`);
  return n;
}
