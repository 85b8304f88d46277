/**
 * `roux export`: a checked plan lowered for a distributed engine, as the files of an export
 * folder: the engine's YAML config, the Python reward module, the launch script and the data
 * files to copy in. Every file names the engine version it was written for.
 */
import { Document, isMap, isScalar } from "yaml";
import type { Plan } from "../../plan/plan.js";
import { type DataCopy, dataCopies } from "./data-files.js";
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
  /** Data files to copy into the folder (`copiedText` gives each copy's text). */
  copies: DataCopy[];
  /** The exported config as data (what the key-list test walks). */
  config: Record<string, unknown>;
  /** Where the engine writes checkpoints and logs, under ROUX_OUT's folder. */
  jobDir: string;
  notes: string[];
}

const LOWERINGS: Readonly<Record<ExportTarget, (plan: Plan, gpus: number) => ExportedConfig>> = { verl: lowerVerl, trinity: lowerTrinity };

export function exportPlan(plan: Plan, target: ExportTarget, gpus: number): Export {
  const lowered = LOWERINGS[target](plan, gpus);
  const { config, notes } = lowered;
  const document = new Document(config, { version: "1.1" });
  for (const [key, comment] of Object.entries(lowered.comments)) commentKey(document, key, comment);
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
      { path: LAUNCH_SCRIPT, text: launchScript(plan, target, lowered), executable: true as const },
    ],
    copies: dataCopies(plan, target),
    config,
    jobDir: lowered.jobDir,
    notes,
  };
}

/** Writes `comment` on the line above the config key at the dotted path `key`. */
function commentKey(document: Document, key: string, comment: string): void {
  const path = key.split(".");
  const parent = document.getIn(path.slice(0, -1), true);
  const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === path.at(-1)) : undefined;
  if (pair === undefined || !isScalar(pair.key)) throw new Error(`export: no config key ${key} to comment`);
  pair.key.commentBefore = ` ${comment}`;
}
