/**
 * `roux check --target verl|trinity` after the recipe checks clean: every use of a feature the
 * target lacks (capabilities.ts, fact-capabilities.ts) is E3401, every batch the engine would
 * refuse at start-up (layout.ts) is E2105, and every dataset smaller than what one step takes
 * from it (dataset-rows.ts) is E3203, each at the recipe field that asks for it.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import { TARGET_NAMES, unsupportedDiagnostic } from "../check/target.js";
import { pipelineStages } from "../check/run.js";
import type { Plan } from "../../plan/plan.js";
import { isOverrideFile } from "../overrides.js";
import type { ProgramResult } from "../program.js";
import type { ExportTarget } from "./engines.js";
import { smallDatasets } from "./dataset-rows.js";
import { capabilityTable } from "./fact-capabilities.js";
import type { Facts } from "./facts/facts.js";
import type { Use } from "./plan-uses.js";
import { batchProblems } from "./layout.js";

/** `facts` are the engines' at the pins unless a test asks what another release would refuse. */
export function checkExport(program: ProgramResult, plan: Plan, target: ExportTarget, gpus: number, facts?: Facts): Diagnostic[] {
  const locate = locator(program);
  const unsupported = capabilityTable(facts)
    .filter((f) => !f.supported.includes(target))
    .flatMap((feature) => feature.find(plan).map((use) => unsupportedDiagnostic(feature, target, locate(use))));
  const batches = batchProblems(plan, target, gpus).map((p) =>
    diagnostic("E2105", { what: p.what, reason: p.reason }, locate(p), {
      label: `${TARGET_NAMES[target]} would refuse this at start-up`,
      notes: [`checked for ${gpus} GPUs (--gpus)`],
      help: p.help,
    }),
  );
  const declarations = program.root.result?.declarations;
  const small = smallDatasets(plan, target).map((d) => {
    const declared = declarations?.get(d.dataset);
    const rows = `${d.rows} row${d.rows === 1 ? "" : "s"}`;
    return diagnostic("E3203", { name: d.dataset, rows, needed: d.needed, what: d.what }, locate(d), {
      label: `one step takes ${d.needed} ${d.what} from \`${d.dataset}\``,
      secondary: declared?.kind === "data" ? [{ span: declared.nameSpan, message: `${rows} in its file` }] : [],
      notes: [d.consequence],
      help: d.help,
    });
  });
  return [...unsupported, ...batches, ...small];
}

/**
 * The span of a stage's field where the user wrote it. A field inherited from a preset is shown
 * at the stage's declaration instead of inside the standard library.
 */
function locator(program: ProgramResult): (use: Use) => Span {
  const run = program.root.result?.run;
  if (run === undefined) throw new Error("checkExport needs a recipe with a run block");
  const stages = pipelineStages(run.fields?.get("stages"));
  const userFiles = new Set([...program.modules.values()].filter((m) => !m.specifier.startsWith("std/")).map((m) => m.file));
  return (use) => {
    const stage = stages[use.stage];
    if (stage === undefined) return run.span;
    const field = stage.call?.args.get(use.field) ?? stage.fields?.get(use.field);
    if (field && !field.defaulted && (userFiles.has(field.span.file) || isOverrideFile(field.span.file))) return field.span;
    return stage.declaration?.span ?? stage.span;
  };
}
