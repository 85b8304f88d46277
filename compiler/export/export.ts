/**
 * `roux export`: a checked plan lowered for a distributed engine, as the files of an export
 * folder: the engine's YAML config, the Python reward module, the launch script and the data
 * files to copy in. Every file names the engine version it was written for.
 */
import { Document } from "yaml";
import type { Plan } from "../../plan/plan.js";
import { dataFiles } from "./data-files.js";
import { ENGINES, type ExportTarget, pinLine } from "./engines.js";
import type { ExportedConfig } from "./exported.js";
import { configFileName, LAUNCH_SCRIPT, launchScript } from "./launch.js";
import { REWARD_MODULE, rewardModule } from "./reward-python.js";
import { lowerTrinity } from "./trinity.js";
import { lowerVerl } from "./verl.js";

export interface ExportFile {
  path: string;
  text: string;
  executable?: true;
}

export interface Export {
  target: ExportTarget;
  files: ExportFile[];
  /** Data files to copy into the folder: absolute source, path in the folder. */
  copies: { from: string; to: string }[];
  /** The exported config as data (what the key-list test walks). */
  config: Record<string, unknown>;
  notes: string[];
}

const LOWERINGS: Readonly<Record<ExportTarget, (plan: Plan, gpus: number) => ExportedConfig>> = { verl: lowerVerl, trinity: lowerTrinity };

export function exportPlan(plan: Plan, target: ExportTarget, gpus: number): Export {
  const { config, notes, conversions } = LOWERINGS[target](plan, gpus);
  const document = new Document(config, { version: "1.1" });
  // YAML 1.1 (what PyYAML and OmegaConf read) quotes keys such as `n` that 1.1 could take for booleans.
  document.commentBefore = [
    ` ${ENGINES[target].name} config for recipe \`${plan.recipe.name}\`, written by \`roux export --target ${target}\`.`,
    ` Pinned to ${pinLine(target)}.`,
    ` Recipe hash ${plan.hash}.`,
  ].join("\n");
  const rl = plan.stages.some((s) => s.kind === "rl");
  return {
    target,
    files: [
      { path: configFileName(target), text: document.toString({ lineWidth: 0 }) },
      ...(rl ? [{ path: REWARD_MODULE, text: rewardModule(plan, target) }] : []),
      { path: LAUNCH_SCRIPT, text: launchScript(plan, target, conversions), executable: true as const },
    ],
    copies: dataFiles(plan, target).map((f) => ({ from: f.source, to: f.file })),
    config,
    notes,
  };
}
