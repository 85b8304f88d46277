/**
 * What each execution target can run, and the check that a recipe asks nothing of its target
 * that the target cannot do (E3401). The rows here are those the checker sees in the run block
 * itself (which kind of model the policy is); what the export targets cannot express inside a
 * stage is read from the lowered Plan (compiler/export/capabilities.ts) and reported with
 * `unsupportedDiagnostic` so both read alike.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Span } from "../../diagnostics/span.js";
import type { Checked } from "../values.js";

export type Target = "local" | "verl" | "trinity";

export const TARGETS: readonly Target[] = ["local", "verl", "trinity"];

export const TARGET_NAMES: Readonly<Record<Target, string>> = { local: "the local runtime", verl: "verl", trinity: "Trinity-RFT" };

/** A feature some targets lack: how the diagnostic names it, and what to do instead. */
export interface TargetFeature {
  name: string;
  supported: readonly Target[];
  help: string;
}

interface RunFeature extends TargetFeature {
  /** The values in the run block that use the feature. */
  find(run: Checked): Checked[];
}

const policyBuiltin = (run: Checked, builtin: string): Checked[] => {
  const policy = run.fields?.get("policy");
  return policy?.call?.builtin === builtin ? [policy] : [];
};

const RUN_FEATURES: readonly RunFeature[] = [
  {
    name: "a hub model (`hf(...)`)",
    supported: ["verl", "trinity"],
    help: "the local runtime trains the small models it builds: use `transformer { ... }` here, and `roux export` to run a hub model at scale",
    find: (run) => policyBuiltin(run, "hf"),
  },
  {
    name: "a model the recipe builds (`transformer { ... }`)",
    supported: ["local"],
    help: 'a distributed engine loads its policy from a hub checkpoint: declare it as `hf("OWNER/NAME")`',
    find: (run) => policyBuiltin(run, "transformer"),
  },
];

export function checkTarget(run: Checked, target: Target, report: (d: Diagnostic) => void): void {
  for (const feature of RUN_FEATURES) {
    if (feature.supported.includes(target)) continue;
    for (const use of feature.find(run)) report(unsupportedDiagnostic(feature, target, use.span));
  }
}

/** E3401 for `feature` used at `span`, naming the targets that do support it. */
export function unsupportedDiagnostic(feature: TargetFeature, target: Target, span: Span, detail?: string): Diagnostic {
  const elsewhere = feature.supported.map((t) => TARGET_NAMES[t]).join(" and ");
  return diagnostic("E3401", { feature: feature.name, target: TARGET_NAMES[target] }, span, {
    label: detail ?? `not supported by ${TARGET_NAMES[target]}`,
    notes: [elsewhere === "" ? "no target supports it yet" : `supported by ${elsewhere}`],
    help: feature.help,
  });
}
