/**
 * The plan's datasets and reward sources, each lowered once and referred to by name. A
 * declared one keeps its declared name (qualified by its module when imported: `arith.train`);
 * one written inline gets a name for where it is written (`rl.expert.data`).
 */
import type { Span } from "../../diagnostics/span.js";
import { TASK_MEMBERS } from "../builtins/tasks.js";
import path from "node:path";
import { namedFilePath, type ProgramResult } from "../program.js";
import type { Checked } from "../values.js";
import { Names } from "./names.js";
import type { Provenance } from "./provenance.js";
import type { Dataset, DatasetTransform, RewardSource, RewardSourceKind } from "../../plan/plan.js";
import { builtinOf, constantArgs, LoweringError, need, num, optionalStr, range, str } from "./read.js";

/** Built-ins that produce reward values from responses; every other reward built-in combines rewards. */
const SOURCE_BUILTINS = new Set(["exact_match", "numeric_match", "regex_match", "onnx", "js"]);

/** The standard task that provides a generator or verifier, when `builtin` is one. */
function taskOf(builtin: string): string | undefined {
  return Object.entries(TASK_MEMBERS).find(([, members]) => members.some((m) => m.name === builtin))?.[0];
}

export function isRewardSource(value: Checked): boolean {
  const builtin = value.call?.builtin;
  return builtin !== undefined && (SOURCE_BUILTINS.has(builtin) || taskOf(builtin) !== undefined);
}

export class Catalog {
  readonly datasets: Dataset[] = [];
  readonly rewards: RewardSource[] = [];
  private readonly datasetNames = new Names();
  private readonly rewardNames = new Names();
  /** By declaration (file and offset of its name), or by the call record of an inline value. */
  private readonly lowered = new Map<unknown, string>();

  constructor(
    private readonly program: ProgramResult,
    private readonly provenance: Provenance,
  ) {}

  /** The plan name of a dataset value, lowering it the first time it is seen. */
  dataset(value: Checked, where: string): string {
    return this.once(value, where, this.datasetNames, (name) => {
      this.datasets.push({ name, ...this.lowerDataset(value) });
      this.provenance.record({ in: "dataset", dataset: name, path: [] }, value.declaration?.span ?? value.span);
    });
  }

  /** The plan name of a reward source (see isRewardSource), lowering it the first time. */
  reward(value: Checked, where: string): string {
    return this.once(value, where, this.rewardNames, (name) => {
      const reward = value.reward;
      if (reward === undefined || !Number.isFinite(reward.lo) || !Number.isFinite(reward.hi))
        throw new LoweringError(`reward source \`${name}\` has no finite range`);
      this.rewards.push({
        name,
        granularity: reward.granularity,
        range: { lo: reward.lo, hi: reward.hi },
        binary: reward.binary,
        source: this.rewardSource(value),
      });
      this.provenance.record({ in: "reward", reward: name, path: [] }, value.declaration?.span ?? value.span);
    });
  }

  private once(value: Checked, where: string, names: Names, lower: (name: string) => void): string {
    const key = value.declaration ? declarationKey(value.declaration.span) : value.call;
    const known = this.lowered.get(key);
    if (known !== undefined) return known;
    const name = names.claim(value.declaration ? this.qualified(value.declaration) : where);
    this.lowered.set(key, name);
    lower(name);
    return name;
  }

  /** A declaration's name, prefixed with its module's name unless it is the recipe's own. */
  qualified(declaration: { name: string; span: Span }): string {
    const file = declaration.span.file;
    const module = this.program.modules.get(file);
    if (module === undefined || module === this.program.root) return declaration.name;
    return `${path.basename(module.specifier, ".recipe")}.${declaration.name}`;
  }

  private lowerDataset(value: Checked): Omit<Dataset, "name"> {
    const builtin = builtinOf(value);
    const responses = value.dataset?.responses ?? false;
    if (builtin === "take" || builtin === "shuffle") {
      const inner = this.lowerDataset(need(value, "dataset"));
      const transform: DatasetTransform = builtin === "take" ? { op: "take", n: num(need(value, "n")) } : { op: "shuffle", seed: num(need(value, "seed")) };
      return { ...inner, transforms: [...inner.transforms, transform], responses };
    }
    if (builtin === "jsonl") {
      const source = {
        kind: "jsonl" as const,
        path: this.filePath(need(value, "path")),
        prompt: str(need(value, "prompt")),
        response: optionalStr(value.call!.args.get("response")),
        answer: optionalStr(value.call!.args.get("answer")),
      };
      return { source, transforms: [], responses };
    }
    const task = taskOf(builtin);
    if (task === undefined) throw new LoweringError(`\`${builtin}\` is not a dataset`);
    return { source: { kind: "task", task, generator: builtin, args: constantArgs(value) }, transforms: [], responses };
  }

  private rewardSource(value: Checked): RewardSourceKind {
    const builtin = builtinOf(value);
    const text = (name: string) => str(need(value, name));
    switch (builtin) {
      case "exact_match":
        return { kind: builtin, extract: text("extract") };
      case "numeric_match":
        return { kind: builtin, extract: text("extract"), tol: num(need(value, "tol")) };
      case "regex_match":
        return { kind: builtin, pattern: text("pattern") };
      case "onnx":
        return {
          kind: builtin,
          path: this.filePath(need(value, "path")),
          input: text("input"),
          output: text("output"),
          positive: num(need(value, "positive")),
          steps: text("steps"),
        };
      case "js":
        return { kind: builtin, path: this.filePath(need(value, "path")), export: text("export"), range: range(need(value, "range")) };
    }
    const task = taskOf(builtin);
    if (task === undefined) throw new LoweringError(`\`${builtin}\` is not a reward source`);
    return { kind: "task", task, verifier: builtin, args: constantArgs(value) };
  }

  /**
   * An absolute path, so the plan runs from any folder. Relative to the file that names it, as
   * `roux check` reads it (compiler/check/outside.ts); one given in `--set` is relative to the recipe.
   */
  private filePath(pathArg: Checked): string {
    return namedFilePath(this.program, pathArg, str(pathArg));
  }
}

export function declarationKey(span: Span): string {
  return `${span.file}:${span.start.offset}`;
}
