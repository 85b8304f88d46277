/**
 * The engine versions the exporters are written against. Each export names its pin in the files
 * it writes, and the key lists under keys/ come from the same file at the same commit (verl's
 * generated from its YAML by keys/yaml-keys.ts, Trinity-RFT's transcribed from its dataclasses),
 * so `keys.test.ts` checks every key an export writes against the version it claims.
 */
import type { Target } from "../check/target.js";

export type ExportTarget = Exclude<Target, "local">;

export const EXPORT_TARGETS: readonly ExportTarget[] = ["verl", "trinity"];

export interface Engine {
  name: string;
  repository: string;
  commit: string;
  /** The release the commit belongs to, as far as the repository's own files say. */
  version: string;
  /** The file that defines the config keys at that commit. */
  schemaFile: string;
  /** What runs the config on a Ray cluster. */
  entryPoint: string;
}

export const ENGINES: Readonly<Record<ExportTarget, Engine>> = {
  verl: {
    name: "verl",
    repository: "https://github.com/volcengine/verl",
    commit: "035682ed7d98f4e5e7633141b4e7add1ef7d2430",
    // verl/version/version is not readable at this commit; the flattened config file (with
    // `global_profiler`, `rollout.mode: async` and `use_legacy_worker_impl`) is the 0.5/0.6 line.
    version: "main at 035682ed (0.5/0.6 line)",
    schemaFile: "verl/trainer/config/_generated_ppo_trainer.yaml",
    entryPoint: "python3 -m verl.trainer.main_ppo",
  },
  trinity: {
    name: "Trinity-RFT",
    repository: "https://github.com/modelscope/Trinity-RFT",
    commit: "c3d094d59bec0f069408f457944cafd0d1157af0",
    // pyproject.toml is not readable at this commit; the nearest readable one says 0.2.1.dev0,
    // and this config.py (with `stages` and `trainer_input.auxiliary_buffers`) is newer than it.
    version: "main at c3d094d5 (after 0.2.1.dev0)",
    schemaFile: "trinity/common/config.py",
    entryPoint: "trinity run",
  },
};

/** One line for a generated file's header: what it was written for. */
export function pinLine(target: ExportTarget): string {
  const engine = ENGINES[target];
  return `${engine.name} ${engine.version}, ${engine.repository}/tree/${engine.commit}`;
}
