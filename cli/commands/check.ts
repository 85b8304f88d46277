/**
 * `roux check FILE...`: reports every diagnostic in the recipes and what they import, without
 * running anything. `--types` lists each declaration's type, `--hash` prints the recipe hash,
 * `--target` checks against an export engine's capabilities and batch rules instead of the
 * local runtime's. A sweep (a sweep file, or a recipe with `sweep` or `variants` items) is
 * checked point by point, and its number of runs and their names are printed first
 * (docs/language.md §10).
 * Exit status: 0 clean or warnings only, 1 errors, 2 usage (docs/language.md §7).
 */
import { TARGET_NAMES } from "../../compiler/check/target.js";
import { recipeHash } from "../../compiler/hash.js";
import type { ProgramResult } from "../../compiler/program.js";
import { checkedAsSweep } from "../../compiler/sweep/sweep-spec.js";
import { countBySeverity, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { plural } from "../../diagnostics/render-summary.js";
import type { Command } from "../command.js";
import { type CheckTarget, loadRecipe, SET_OPTION } from "../load-recipe.js";
import { loadSweepFile, sweepListing } from "../load-sweep.js";
import { formatOption, printDiagnostics } from "../report.js";
import { gpusOption, TARGET_OPTIONS, targetOption } from "../target-option.js";
import { typeListing } from "../type-listing.js";
import { UsageError } from "../usage-error.js";

interface FileResult {
  file: string;
  program: ProgramResult;
  millis: number;
  /** The recipe's, or when the file declares a sweep, the sweep's (which include the recipe's). */
  diagnostics: Diagnostic[];
  /** The names of its points, when the file declares a sweep. */
  points?: string[];
}

const USAGE = "[--target local|verl|trinity] [--gpus N] [--types] [--hash] [--format text|json] [--set PATH=VALUE]... FILE...";

export const command: Command = {
  usage: USAGE,
  options: {
    format: { type: "string", default: "text" },
    types: { type: "boolean", default: false },
    hash: { type: "boolean", default: false },
    ...SET_OPTION,
    ...TARGET_OPTIONS,
  },
  async run(args, io) {
    const format = formatOption(args.values.format);
    const target: CheckTarget = { target: targetOption(args) ?? "local", gpus: gpusOption(args) };
    if (args.positionals.length === 0) throw new UsageError(`no recipe given\nusage: roux check ${USAGE}`);
    const results: FileResult[] = [];
    const sources = new Map<string, string>();
    const diagnostics: Diagnostic[] = [];
    for (const file of args.positionals) {
      const loaded = await loadRecipe(file, args, io, target);
      for (const [name, text] of loaded.sources) sources.set(name, text);
      const result: FileResult = { file, program: loaded.program, millis: loaded.millis, diagnostics: loaded.program.diagnostics };
      results.push(result);
      if (checkedAsSweep(loaded.program)) {
        // The sweep's check includes the recipe's as written (roux run runs it), once.
        const started = performance.now();
        const sweep = await loadSweepFile(file, args, io, target.target);
        for (const [name, text] of sweep.sources) sources.set(name, text);
        Object.assign(result, { points: sweep.pointNames, diagnostics: sweep.diagnostics, millis: result.millis + performance.now() - started });
        if (format === "text" && sweep.pointNames.length > 0) io.stderr.write(sweepListing(file, sweep.pointNames));
      }
      diagnostics.push(...result.diagnostics);
    }
    const failed = printDiagnostics(diagnostics, sources, args.positionals, format, io);
    if (failed) return 1;
    for (const result of results) {
      if (args.values.types) io.stdout.write(typeListing(result.program));
      if (args.values.hash) io.stdout.write(`${recipeHash(result.program)}  ${result.file}\n`);
      if (format === "text") io.stderr.write(`${result.points ? sweepLine(result) : successLine(result, target)}\n`);
    }
    return 0;
  },
};

/** `checked FILE: 6 runs, 0 errors, 0 warnings (120 ms)`, for a sweep. */
function sweepLine(result: FileResult): string {
  const counts = countBySeverity(result.diagnostics);
  const parts = [plural(result.points?.length ?? 0, "run"), plural(counts.errors, "error"), plural(counts.warnings, "warning")];
  return `checked ${result.file}: ${parts.join(", ")} (${Math.round(result.millis)} ms)`;
}

/**
 * `checked FILE: 2 stages, 2 rewards, 1 model, 0 errors, 1 warning (38 ms)` (docs/architecture.md "roux check"). The counts
 * take in the local modules the recipe uses (a lab recipe declares little itself), not the
 * standard library's nor the registry modules' (those are someone else's declarations).
 */
function successLine(result: FileResult, { target, gpus }: CheckTarget): string {
  const counts = countBySeverity(result.diagnostics);
  const own = new Map([
    [result.program.root.file, result.program.root],
    ...[...result.program.modules].filter(([, m]) => !m.specifier.startsWith("std/") && !m.sealed),
  ]);
  const declared = (kind: string) => [...own.values()].reduce((n, m) => n + m.ast.items.filter((item) => item.kind === kind).length, 0);
  const parts = [
    plural(declared("stage"), "stage"),
    plural(declared("reward"), "reward"),
    plural(declared("model"), "model"),
    plural(counts.errors, "error"),
    plural(counts.warnings, "warning"),
  ];
  const forTarget = target === "local" ? "" : ` for ${TARGET_NAMES[target]} on ${gpus} GPUs`;
  return `checked ${result.file}${forTarget}: ${parts.join(", ")} (${Math.round(result.millis)} ms)`;
}
