/**
 * The engine releases the exporters are written against. Each export names its pin in the files
 * it writes, and everything the exporters and importers assume about an engine (its config keys
 * with their defaults, the names in its registries with their arguments) is generated from the
 * engine's files at the same commit (facts/, `npm run facts`), so a test can hold every key and
 * name an export writes to the release it claims.
 */
import type { Target } from "../check/target.js";

export type ExportTarget = Exclude<Target, "local">;

export const EXPORT_TARGETS: readonly ExportTarget[] = ["verl", "trinity"];

export interface Engine {
  name: string;
  repository: string;
  commit: string;
  /** The release the commit is: its tag, or the version its own files give. */
  version: string;
  /** What runs the config on a Ray cluster. */
  entryPoint: string;
}

export const ENGINES: Readonly<Record<ExportTarget, Engine>> = {
  verl: {
    name: "verl",
    repository: "https://github.com/volcengine/verl",
    commit: "f9c855f7cf04d603c9546bc01776c74806a879c1",
    // The tag's own verl/version/version still reads 0.7.0.dev; the release is the tag.
    version: "v0.7.0",
    entryPoint: "python3 -m verl.trainer.main_ppo",
  },
  trinity: {
    name: "Trinity-RFT",
    repository: "https://github.com/modelscope/Trinity-RFT",
    // "Bumping version to 0.5.2": trinity/__init__.py's __version__ is 0.5.2. Its pyproject.toml
    // requires verl 0.7.1, which it trains with.
    commit: "eedef4b5a1f9ce205b12c6fdc64b9467fce98013",
    version: "0.5.2",
    entryPoint: "trinity run",
  },
};

/** One line for a generated file's header: what it was written for. */
export function pinLine(target: ExportTarget): string {
  const engine = ENGINES[target];
  return `${engine.name} ${engine.version}, ${engine.repository}/tree/${engine.commit}`;
}
