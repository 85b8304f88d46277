/**
 * What each execution target can run, as data, and the check that a recipe asks nothing of its
 * target that the target cannot do (E3401). `roux check` checks for the local runtime; the
 * export targets (verl, Trinity-RFT) add their rows when they land.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type { Checked } from "../values.js";

export type Target = "local" | "verl" | "trinity";

const TARGET_NAMES: Readonly<Record<Target, string>> = { local: "the local runtime", verl: "verl", trinity: "Trinity-RFT" };

interface Feature {
  /** How the diagnostic names the feature. */
  name: string;
  supported: readonly Target[];
  /** What to do instead, on a target without it. */
  help: string;
  /** The values in the recipe that use the feature. */
  find(run: Checked): Checked[];
}

const FEATURES: readonly Feature[] = [
  {
    name: "a hub model (`hf(...)`)",
    supported: ["verl", "trinity"],
    help: "the local runtime trains the small models it builds: use `transformer { ... }` here, and `roux export` to run a hub model at scale",
    find: (run) => {
      const policy = run.fields?.get("policy");
      return policy?.call?.builtin === "hf" ? [policy] : [];
    },
  },
];

export function checkTarget(run: Checked, target: Target, report: (d: Diagnostic) => void): void {
  for (const feature of FEATURES) {
    if (feature.supported.includes(target)) continue;
    for (const use of feature.find(run)) {
      const elsewhere = feature.supported.map((t) => TARGET_NAMES[t]).join(" and ");
      report(
        diagnostic("E3401", { feature: feature.name, target: TARGET_NAMES[target] }, use.span, {
          label: `not supported by ${TARGET_NAMES[target]}`,
          notes: [`supported by ${elsewhere}`],
          help: feature.help,
        }),
      );
    }
  }
}
