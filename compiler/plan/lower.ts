/**
 * Lowering a checked recipe to the Plan (docs/architecture.md "The Plan"), then the graph passes in order:
 * sharing (one Score per reward source and step), dead-node elimination (datasets and reward
 * sources nothing uses) and shape inference. Only called on programs without errors: the
 * checker has bound every argument and folded every number, so lowering reads facts and never
 * judges them.
 */
import path from "node:path";
import { recipeHash } from "../hash.js";
import { pipelineStages } from "../check/run.js";
import type { ProgramResult } from "../program.js";
import type { Checked } from "../values.js";
import { Catalog, declarationKey, isRewardSource } from "./catalog.js";
import { eliminateDead } from "./dead.js";
import type { DraftPlan } from "./draft.js";
import { Names } from "./names.js";
import type { Model, Plan, Settings, Tokenizer } from "../../plan/plan.js";
import { PLAN_VERSION } from "../../plan/plan.js";
import { builtinOf, duration, field, LoweringError, need, num, optionalNum, str } from "./read.js";
import { inferShapes } from "./shapes.js";
import { Provenance } from "./provenance.js";
import { shareScores } from "./share.js";
import { lowerStage } from "./stage.js";

export function lowerProgram(program: ProgramResult): Plan {
  return lowerWithProvenance(program).plan;
}

export interface Lowered {
  plan: Plan;
  /** Where each part of the plan came from in the recipe, for diagnostics about the plan. */
  provenance: Provenance;
}

/**
 * `hash` is the plan's recipe hash. Formatting every module to hash it is most of lowering's
 * cost, and no plan rule reads the hash, so the plan's diagnostics (plan-diagnostics.ts) pass
 * `unhashed` instead: what an edit in the language server waits for stays cheap.
 */
export function lowerWithProvenance(program: ProgramResult, hash: (program: ProgramResult) => string = recipeHash): Lowered {
  // Spans in the standard library (a preset's fields) are not the user's to fix: a rule broken
  // there is shown at the user's stage that uses it.
  const provenance = new Provenance((span) => program.modules.get(span.file)?.specifier.startsWith("std/") !== true);
  return { plan: inferShapes(eliminateDead(shareScores(lowerDraft(program, provenance, hash)))), provenance };
}

/** The hash of a plan lowered only to be checked, never run nor written: no hash at all. */
export const unhashed = (): string => "unhashed";

/** The plan as lowering leaves it, before the passes. */
export function lowerDraft(program: ProgramResult, provenance = new Provenance(), hash: (program: ProgramResult) => string = recipeHash): DraftPlan {
  const root = program.root.result;
  const run = root?.run;
  if (root === undefined || run === undefined) throw new LoweringError(`${program.root.file} is a module: it has no \`run\` block`);
  provenance.record({ in: "plan", path: [] }, run.span);
  provenance.record({ in: "plan", path: ["settings", "checkpoint_every"] }, field(run, "checkpoint_every")?.span);
  const catalog = new Catalog(program, provenance);
  // Every declared dataset and reward source, in declaration order; the dead-node pass removes
  // what no stage or eval uses.
  for (const declaration of root.declarations.values()) {
    const value = declaration.value;
    if (value === undefined) continue;
    if (declaration.kind === "data") catalog.dataset(value, declaration.name);
    if (declaration.kind === "reward" && isRewardSource(value)) catalog.reward(value, declaration.name);
  }

  const stageNames = new Names();
  const stages = pipelineStages(need(run, "stages")).map((value, i) => {
    const name = stageNames.claim(value.declaration ? catalog.qualified(value.declaration) : `stage_${i + 1}`);
    const at = { in: "stage", stage: name, path: [] } as const;
    // Where the stage is declared, or else (a preset run as it is) where `run.stages` names it.
    provenance.record(at, value.span);
    provenance.record(at, value.declaration?.span);
    return { value, name };
  });
  const stageName = (ref: Checked): string => {
    const key = ref.declaration && declarationKey(ref.declaration.span);
    const stage = stages.find((s) => s.value.declaration && declarationKey(s.value.declaration.span) === key);
    if (stage === undefined) throw new LoweringError(`the KL reference \`${ref.declaration?.name ?? "?"}\` is not a stage of the run`);
    return stage.name;
  };
  const loweredStages = stages.map((stage) => lowerStage(stage.value, stage.name, { catalog, stageName, provenance }));

  const header = program.root.ast.header;
  const policy = policyOf(run);
  return {
    version: PLAN_VERSION,
    recipe: { name: header?.name.name ?? path.basename(program.root.file, ".recipe"), description: header?.description?.value ?? null },
    hash: hash(program),
    settings: settings(run),
    policy: model(policy, policy.declaration ? catalog.qualified(policy.declaration) : "policy"),
    datasets: catalog.datasets,
    rewards: catalog.rewards,
    stages: loweredStages,
  };
}

/** `run.policy`: given, or filled in by the checker with the recipe's one model. */
function policyOf(run: Checked): Checked {
  const policy = field(run, "policy");
  if (policy === undefined) throw new LoweringError("no policy: the checker reports a run without one");
  return policy;
}

const DEVICES: readonly Settings["device"][] = ["auto", "cpu", "wasm", "gpu"];

function settings(run: Checked): Settings {
  const device = builtinOf(need(run, "device"));
  if (!DEVICES.includes(device as Settings["device"])) throw new LoweringError(`\`${device}\` is not a device`);
  return {
    seed: num(need(run, "seed")),
    device: device as Settings["device"],
    checkpoint_every: duration(need(run, "checkpoint_every")),
    out: str(need(run, "out")),
  };
}

function model(value: Checked, name: string): Model {
  const kind = builtinOf(value);
  const number = (param: string) => num(need(value, param));
  if (kind === "transformer") {
    return {
      kind,
      name,
      layers: number("layers"),
      d_model: number("d_model"),
      heads: number("heads"),
      context: number("context"),
      dropout: number("dropout"),
      tokenizer: tokenizer(need(value, "tokenizer")),
    };
  }
  if (kind === "hf") return { kind, name, hub_name: str(need(value, "name")), params: optionalNum(field(value, "params")) };
  throw new LoweringError(`\`${kind}\` is not a model`);
}

function tokenizer(value: Checked): Tokenizer {
  const kind = builtinOf(value);
  if (kind === "bytes") return { kind };
  if (kind === "chars") return { kind, alphabet: str(need(value, "alphabet")) };
  throw new LoweringError(`\`${kind}\` is not a tokenizer`);
}
