/**
 * Plans written before a field joined version 1 of the Plan, read back as today's. A run
 * directory outlives the Roux that wrote it, and `roux compare`, `watch`, `resume` and `eval`
 * must still read it: each field added since carries here the value that means what the older
 * plan meant. A change an older runtime could misread raises PLAN_VERSION instead.
 */

/** Fields added to version 1 since it was first written, by where they sit, with the value that means "as before". */
const ADDED: readonly { readonly where: "rl-stage" | "eval"; readonly field: string; readonly value: unknown }[] = [
  // Dynamic sampling off: every sampled group is trained on.
  { where: "rl-stage", field: "dynamic_sampling", value: null },
  // One answer per prompt, as every eval gave before `samples`.
  { where: "eval", field: "samples", value: 1 },
];

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The plan with every field added since it was written filled in; anything else is left for the schema to judge. */
export function upgradePlan(value: unknown): unknown {
  if (!isObject(value) || !Array.isArray(value.stages)) return value;
  const stages = value.stages.map((stage: unknown) => {
    if (!isObject(stage)) return stage;
    const upgraded: Record<string, unknown> = { ...stage };
    for (const { where, field, value: filler } of ADDED) {
      if (where === "rl-stage" && stage.kind === "rl" && !(field in stage)) upgraded[field] = filler;
      if (where === "eval" && isObject(stage.eval) && !(field in stage.eval)) upgraded.eval = { ...(upgraded.eval as object), [field]: filler };
    }
    return upgraded;
  });
  return { ...value, stages };
}
