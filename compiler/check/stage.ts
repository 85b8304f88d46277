/**
 * Checks across the fields of one stage, where a mistake is a combination rather than one bad
 * value: PROF removing a whole group (E3104), group-relative advantages with one response per
 * prompt (E3106), step-level credit on an outcome reward (E3102), min/sum-form on a reward that
 * is never negative (W0003), and an SFT stage's length given twice or not at all.
 */
import { diagnostic } from "../../diagnostics/diagnostic.js";
import type { Checked } from "../values.js";
import { requireResponses, type RefineContext } from "./refine.js";

function field(stage: Checked, name: string): Checked | undefined {
  return stage.call?.args.get(name);
}

function intOf(value: Checked | undefined): number | undefined {
  return value?.constant?.kind === "number" ? value.constant.value : undefined;
}

/** The built-ins an expression applies, outermost first (`rloo |> whiten` gives whiten, rloo). */
function appliedBuiltins(value: Checked | undefined): Checked[] {
  if (value?.call === undefined) return [];
  return [value, ...[...value.call.args.values()].flatMap(appliedBuiltins)];
}

export function checkStage(stage: Checked, context: RefineContext): Checked {
  if (stage.call?.builtin === "sft") {
    checkSftLength(stage, context);
    requireResponses(field(stage, "data"), "an sft stage", context);
  }
  if (stage.call?.builtin !== "rl") return stage;
  const group = field(stage, "group");
  const groupSize = intOf(group);
  const reward = field(stage, "reward");

  for (const prof of appliedBuiltins(reward).filter((c) => c.call?.builtin === "prof")) {
    const remove = prof.call!.args.get("remove");
    const r = intOf(remove);
    if (r !== undefined && groupSize !== undefined && r >= groupSize) {
      context.report(
        diagnostic("E3104", { remove: r, group: groupSize }, remove!.span, {
          label: "must be smaller than `group`",
          secondary: group ? [{ span: group.span, message: "the group size is set here" }] : [],
          help: `PROF keeps \`group - remove\` responses per prompt; try \`remove = ${Math.max(0, Math.floor(groupSize / 2))}\``,
        }),
      );
    }
  }

  const groupRelative = appliedBuiltins(field(stage, "advantage")).find((c) => c.call?.builtin === "group_norm" || c.call?.builtin === "rloo");
  if (groupRelative && groupSize !== undefined && groupSize < 2) {
    context.report(
      diagnostic("E3106", { advantage: groupRelative.call!.builtin, group: groupSize }, group!.span, {
        label: "one response per prompt leaves no group to compare with",
        secondary: [{ span: groupRelative.span, message: "a group-relative advantage" }],
        help: "sample at least 2 responses per prompt (`group = 8` is common), or use `advantage = whiten`",
      }),
    );
  }

  const credit = field(stage, "credit");
  const form = credit?.call?.builtin;
  if ((form === "min_form" || form === "sum_form") && reward?.reward) {
    if (reward.reward.granularity === "outcome") {
      context.report(
        diagnostic("E3102", { credit: form === "min_form" ? "min-form" : "sum-form" }, credit!.span, {
          label: "needs a process or token reward",
          secondary: [{ span: reward.span, message: `${describe(reward)} is an outcome reward (one value per response)` }],
          help: "use a process reward, e.g. `reward = renorm(process = prm, outcome = correct)`",
        }),
      );
    } else if (reward.reward.lo >= 0) {
      context.report(
        diagnostic("W0003", { credit: form }, credit!.span, {
          label: "the reward is never negative",
          secondary: [{ span: reward.span, message: `in [${reward.reward.lo}, ${reward.reward.hi}]` }],
          help: form === "min_form" ? "PURE reads a PRM as 2p - 1: write `reward = 2 * prm - 1`" : "centre the reward, e.g. `2 * prm - 1`, so bad steps cost credit",
        }),
      );
    }
  }
  return stage;
}

function describe(value: Checked): string {
  return value.declaration ? `\`${value.declaration.name}\`` : "this";
}

function checkSftLength(stage: Checked, context: RefineContext): void {
  const epochs = field(stage, "epochs");
  const steps = field(stage, "steps");
  if (epochs && steps) {
    context.report(
      diagnostic("E2102", { problem: "argument", name: "steps", where: "given with `epochs` in an sft stage" }, steps.span, {
        label: "give either `epochs` or `steps`",
        secondary: [{ span: epochs.span, message: "epochs given here" }],
      }),
    );
  }
}
