/**
 * Checks across the fields of one stage, where a mistake is a combination rather than one bad
 * value: PROF removing a whole group (E3104), group-relative advantages with one response per
 * prompt (E3106), dynamic sampling with PROF or with one response per prompt (E3109),
 * step-level credit on an outcome reward (E3102), min/sum-form on a reward that is never
 * negative (W0003), the null control without one advantage per response to permute (E3108,
 * E3106), an SFT stage's length given twice or not at all, and an eval that asks for several
 * greedy answers per prompt (E2105).
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

/**
 * Whether a stage field comes from a stage in another file that this one amends (a preset's
 * `credit = min_form`, written in the standard library): diagnostics then point at the user's
 * side of the combination instead. A field inherited from a stage of the same file is pointed
 * at where it is written (and reported once, for both stages).
 */
function fromElsewhere(stage: Checked, name: string, value: Checked, context: RefineContext): boolean {
  return context.inherited.has(name) && value.span.file !== stage.span.file;
}

/** The built-ins an expression applies, outermost first (`rloo |> whiten` gives whiten, rloo). */
function appliedBuiltins(value: Checked | undefined): Checked[] {
  if (value?.call === undefined) return [];
  return [value, ...[...value.call.args.values()].flatMap(appliedBuiltins)];
}

export function checkStage(stage: Checked, context: RefineContext): Checked {
  checkEvalSamples(field(stage, "eval"), context);
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
    const advantage = groupRelative.call!.builtin;
    const elsewhere = fromElsewhere(stage, "advantage", groupRelative, context);
    context.report(
      diagnostic("E3106", { advantage, group: groupSize }, group!.span, {
        label: "one response per prompt leaves no group to compare with",
        secondary: elsewhere ? [] : [{ span: groupRelative.span, message: "a group-relative advantage" }],
        notes: elsewhere ? [`\`advantage = ${advantage}\` comes from the stage this one amends`] : [],
        help: "sample at least 2 responses per prompt (`group = 8` is common), or use `advantage = whiten`",
      }),
    );
  }

  checkDynamicSampling(stage, reward, context);

  const credit = field(stage, "credit");
  const form = credit?.call?.builtin;
  checkControl(stage, groupRelative === undefined ? groupSize : undefined, context);
  if ((form === "min_form" || form === "sum_form") && reward?.reward) {
    // Credit inherited from a preset (`pure`) is not the user's to point at: the reward is.
    const inherited = fromElsewhere(stage, "credit", credit!, context);
    const fromBase = [`\`credit = ${form}\` comes from the stage this one amends`];
    if (reward.reward.granularity === "outcome") {
      const outcome = `${describe(reward)} is an outcome reward (one value per response)`;
      context.report(
        diagnostic("E3102", { credit: form === "min_form" ? "min-form" : "sum-form" }, inherited ? reward.span : credit!.span, {
          label: inherited ? outcome : "needs a process or token reward",
          secondary: inherited ? [] : [{ span: reward.span, message: outcome }],
          notes: inherited ? fromBase : [],
          help: `use a process reward, e.g. \`reward = renorm(process = prm, outcome = correct)\`${inherited ? ", or set `credit = outcome`" : ""}`,
        }),
      );
    } else if (reward.reward.lo >= 0) {
      const range = `in [${reward.reward.lo}, ${reward.reward.hi}]`;
      context.report(
        diagnostic("W0003", { credit: form }, inherited ? reward.span : credit!.span, {
          label: inherited ? `never negative: ${range}` : "the reward is never negative",
          secondary: inherited ? [] : [{ span: reward.span, message: range }],
          notes: inherited ? fromBase : [],
          help: centreHelp(form, reward),
          // Only a declared reward has a name to centre; the fix replaces the reward where it is given.
          ...(reward.declaration ? { suggestion: { spans: [reward.span], text: centred(reward.declaration.name) } } : {}),
        }),
      );
    }
  }
  return stage;
}

/**
 * `control = shuffled_advantages` (docs/algorithms.md §1.11) permutes each group's per-response
 * advantages: step credit has none to permute (E3108), and a group of one has nothing to permute
 * them with (E3106; not reported again when a group-relative advantage already was).
 */
function checkControl(stage: Checked, groupSize: number | undefined, context: RefineContext): void {
  const control = field(stage, "control");
  if (control?.call?.builtin !== "shuffled_advantages") return;
  const credit = field(stage, "credit");
  const form = credit?.call?.builtin;
  if (form === "min_form" || form === "sum_form") {
    const inherited = fromElsewhere(stage, "credit", credit!, context);
    context.report(
      diagnostic("E3108", { credit: form }, control.span, {
        label: "permutes one advantage per response",
        secondary: inherited ? [] : [{ span: credit!.span, message: "step credit gives each token its own advantage" }],
        notes: inherited ? [`\`credit = ${form}\` comes from the stage this one amends`] : [],
        help: "the null control is defined for `credit = outcome`; compare a step-credit method with its outcome-credit counterpart instead",
      }),
    );
  }
  if (groupSize !== undefined && groupSize < 2) {
    const group = field(stage, "group");
    context.report(
      diagnostic("E3106", { advantage: "shuffled_advantages", group: groupSize }, group!.span, {
        label: "one response per prompt leaves nothing to permute",
        secondary: [{ span: control.span, message: "permutes advantages within each group" }],
        help: "sample at least 2 responses per prompt (`group = 8` is common)",
      }),
    );
  }
}

/**
 * Dynamic sampling (docs/algorithms.md §1.10) judges each group by whether its responses' scores
 * all agree. With one response per prompt every group agrees, so every round would be thrown
 * away. PROF decides which responses of a group count with a statistic of the whole batch,
 * which dynamic sampling assembles from several rounds: a group judged informative can be left
 * one-sided by the filter, and which one depends on the groups drawn with it.
 */
function checkDynamicSampling(stage: Checked, reward: Checked | undefined, context: RefineContext): void {
  const dynamic = field(stage, "dynamic_sampling");
  if (dynamic === undefined) return;
  const group = field(stage, "group");
  const groupSize = intOf(group);
  if (groupSize !== undefined && groupSize < 2) {
    context.report(
      diagnostic("E3109", { problem: `needs at least 2 responses per prompt, found group = ${groupSize}` }, dynamic.span, {
        label: "every group of one response agrees with itself",
        secondary: group ? [{ span: group.span, message: "the group size is set here" }] : [],
        help: "sample several responses per prompt (`group = 8` is common)",
      }),
    );
  }
  const prof = appliedBuiltins(reward).find((c) => c.call?.builtin === "prof");
  if (prof !== undefined) {
    context.report(
      diagnostic("E3109", { problem: "cannot be combined with PROF's filter" }, dynamic.span, {
        label: "judges groups before PROF removes responses from them",
        secondary: [{ span: prof.span, message: "PROF's filter keeps or drops responses by a statistic of the whole batch" }],
        help: "remove `dynamic_sampling`: PROF already gives groups it leaves all correct or all incorrect no advantage",
      }),
    );
  }
}

/** A reward in [0, 1] moved to [-1, 1] (docs/language.md §5). */
function centred(name: string): string {
  return `2 * ${name} - 1`;
}

/** W0003's fix, in the recipe's own names when the reward is a declared one. */
function centreHelp(form: string, reward: Checked): string {
  const fix = centred(reward.declaration?.name ?? "prm");
  return form === "min_form"
    ? `PURE reads a step score p as 2p - 1: write \`reward = ${fix}\``
    : `centre the reward, e.g. \`reward = ${fix}\`, so bad steps cost credit`;
}

function describe(value: Checked): string {
  return value.declaration ? `\`${value.declaration.name}\`` : "this";
}

function checkSftLength(stage: Checked, context: RefineContext): void {
  const epochs = field(stage, "epochs");
  const steps = field(stage, "steps");
  // The table makes both optional because either will do; one of them is required.
  if (!epochs && !steps && context.complete) {
    context.report(
      diagnostic("E2102", { problem: "missing field", name: "epochs` or `steps", where: "of `sft`" }, stage.span, {
        label: "an sft stage needs a length",
        help: "add `epochs = 2 epochs` (passes over the data) or `steps = 500 steps`",
      }),
    );
  }
  if (epochs && steps) {
    context.report(
      diagnostic("E2102", { problem: "field", name: "steps", where: "given with `epochs` in an sft stage" }, steps.span, {
        label: "give either `epochs` or `steps`",
        secondary: [{ span: epochs.span, message: "epochs given here" }],
      }),
    );
  }
}

/**
 * E2105: `samples = k` draws k answers per prompt at the eval's temperature; at temperature 0
 * they are the greedy answer k times, so the sampled accuracy and pass@k would only repeat the
 * greedy accuracy (docs/language.md §5 "Stages").
 */
function checkEvalSamples(block: Checked | undefined, context: RefineContext): void {
  const samples = block?.fields?.get("samples");
  const temperature = block?.fields?.get("temperature");
  const k = intOf(samples);
  if (k === undefined || k <= 1 || intOf(temperature) !== 0) return;
  context.report(
    diagnostic("E2105", { what: "`samples`", reason: `${k} answers at temperature 0 are the greedy answer ${k} times` }, samples!.span, {
      label: "several answers per prompt need a temperature above 0",
      secondary: temperature?.defaulted ? [] : [{ span: temperature!.span, message: "the eval is greedy here" }],
      notes: temperature?.defaulted ? ["an eval's `temperature` is 0 (greedy) unless the block sets it"] : [],
      help: "sample at the training temperature, e.g. `temperature = 1.0`; the eval then reports greedy accuracy as well",
    }),
  );
}
