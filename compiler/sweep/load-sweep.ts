/**
 * `loadSweep`: a sweep file, or a recipe with `sweep`/`variants` items, to its points
 * (docs/language.md §10), every one checked before anything runs and lowered to its Plan. A
 * point is its recipe with its settings given as `--set` overrides (setting-source.ts), so its
 * plan is exactly what `roux plan RECIPE --set PATH=VALUE ...` gives for its `values`, and a
 * mistake in a setting is reported by the ordinary checks, at the setting in the sweep's file,
 * with a note naming the point. The recipe as written is checked too (`roux run` runs it); its own diagnostics are
 * reported once, not once a point. `--set` options given to the sweep come first in every point
 * (command-line-settings.ts), and are checked with the recipe as written.
 */
import { diagnostic, sortDiagnostics, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type * as A from "../../grammar/ast.js";
import { parse } from "../../grammar/parse.js";
import type { SourceText } from "../../grammar/source-text.js";
import type { Plan } from "../../plan/plan.js";
import { checkRecipe } from "../check-recipe.js";
import type { Target } from "../check/target.js";
import { type OpenText, recipeResolvers } from "../modules/resolve.js";
import { isOverrideFile } from "../overrides.js";
import { lowerProgram } from "../plan/lower.js";
import { readSourceFile } from "../source-file.js";
import type { ProgramResult } from "../program.js";
import { type GivenSettings, givenSettings, undoneByTheSweep } from "./command-line-settings.js";
import { axisKeys, pointName, valueLabel } from "./point-name.js";
import { backToSweep, overrideSourcesOf, type SettingSource, settingSource } from "./setting-source.js";
import { pathText, readSweepSpec, type SpecVariant, type SweepSpec } from "./sweep-spec.js";

/** The most points one sweep may have (E3505): a typo in a grid should not start a thousand runs. */
export const MAX_POINTS = 256;

export interface SweepPoint {
  name: string;
  variant: string;
  /** Every setting of the point, as `--set PATH=VALUE` would give it: the command line's, the variant's, then the grid's. */
  values: { path: string; value: string }[];
  recipeFile: string;
  plan: Plan;
}

export interface Sweep {
  name: string;
  file: string;
  points: SweepPoint[];
}

export interface LoadedSweep {
  /** Present when every point checks without errors. */
  sweep?: Sweep;
  /** The points' names, in order, whenever the sweep itself is well formed (even if a point has errors). */
  pointNames: string[];
  diagnostics: Diagnostic[];
  /** The text of every file the diagnostics may point into. */
  sources: Map<string, string>;
  /**
   * For each file a variant's recipe reads (the recipe and the modules it imports), the first
   * variant reading it: where the language server shows, in the sweep's file, a mistake made there.
   */
  readers: Map<string, SpecVariant>;
}

export interface LoadSweepOptions {
  /** Where registry modules are cached (`ROUX_CACHE`): the environment `recipeResolvers` reads. */
  env?: NodeJS.ProcessEnv;
  target?: Target;
  maxPoints?: number;
  /** Reads a source file; the CLI's turns a failure into its message. Default: `open`, then disk. */
  readSource?: (file: string) => Promise<SourceText>;
  /** `--set PATH=VALUE` options given to the sweep: every point's first settings. */
  overrides?: readonly string[];
  /** The unsaved text of a file open in an editor, read in place of the file (lsp/analysis.ts). */
  open?: OpenText;
}

interface PendingPoint {
  name: string;
  variant: SpecVariant;
  settings: SettingSource[];
}

export async function loadSweep(file: string, options: LoadSweepOptions = {}): Promise<LoadedSweep> {
  const read = options.readSource ?? ((f: string) => readOpenOrDisk(f, options.open));
  const root = await read(file);
  const given = givenSettings(options.overrides ?? []);
  const sources = new Map([[file, root.text], ...given.sources.map((o): [string, string] => [o.file, o.text])]);
  const readers = new Map<string, SpecVariant>();
  const parsed = parse(root.text, file);
  const front = [...root.diagnostics, ...parsed.diagnostics];
  if (hasError(front)) return { pointNames: [], diagnostics: sortDiagnostics(front), sources, readers };
  const { spec, diagnostics } = readSweepSpec(file, parsed.ast);
  diagnostics.push(...front, ...undoneByTheSweep(spec, given));
  const count = spec.variants.length * spec.grid.reduce((n, axis) => n * axis.values.length, 1);
  const limit = options.maxPoints ?? MAX_POINTS;
  if (count > limit) diagnostics.push(tooMany(parsed.ast, count, limit));
  if (hasError(diagnostics)) return { pointNames: [], diagnostics: sortDiagnostics(diagnostics), sources, readers };
  const pending = expand(spec, root.text);
  const pointNames = pending.map((p) => p.name);

  const bases = new Map<string, RecipeBase | undefined>();
  for (const variant of spec.variants) {
    if (bases.has(variant.recipeFile)) continue;
    readers.set(variant.recipeFile, variant);
    const base = await checkBase(variant, file, read, given, options);
    bases.set(variant.recipeFile, base.base);
    diagnostics.push(...base.diagnostics);
  }
  const points: SweepPoint[] = [];
  const found = new Map<string, { diagnostic: Diagnostic; points: string[] }>();
  for (const point of pending) {
    const base = bases.get(point.variant.recipeFile);
    if (base === undefined) continue;
    const overrides = [...given.sources, ...overrideSourcesOf(point.settings, given.sources.length)];
    const program = await checkRecipe(point.variant.recipeFile, base.source, { ...base.options, overrides });
    for (const module of program.modules.values()) {
      sources.set(module.file, module.source);
      if (!readers.has(module.file)) readers.set(module.file, point.variant);
    }
    for (const d of program.diagnostics.map((d) => backToSweep(d, point.settings, given.sources.length, parsed.lines))) {
      const key = diagnosticKey(d);
      if (base.keys.has(key)) continue;
      const entry = found.get(key) ?? { diagnostic: d, points: [] };
      entry.points.push(point.name);
      found.set(key, entry);
    }
    if (!hasError(program.diagnostics)) points.push(toPoint(point, given, program));
  }
  for (const { diagnostic: d, points: names } of found.values()) diagnostics.push({ ...d, notes: [...d.notes, pointsNote(names)] });
  const clean = !hasError(diagnostics);
  return { sweep: clean ? { name: spec.name, file, points } : undefined, pointNames, diagnostics: sortDiagnostics(diagnostics), sources, readers };
}

async function readOpenOrDisk(file: string, open: OpenText | undefined): Promise<SourceText> {
  const unsaved = open?.(file);
  return unsaved === undefined ? readSourceFile(file) : { text: unsaved, diagnostics: [] };
}

/** The points: each variant, then the cartesian product of the grid's values, first axis slowest. */
function expand(spec: SweepSpec, source: string): PendingPoint[] {
  const keys = axisKeys(spec.grid.map((axis) => pathText(axis.setting)));
  type Combination = { labels: string[]; settings: SettingSource[] };
  let combinations: Combination[] = [{ labels: [], settings: [] }];
  spec.grid.forEach((axis, i) => {
    combinations = combinations.flatMap((c) =>
      axis.values.map((value) => ({
        labels: [...c.labels, `${keys[i]}=${valueLabel(value, source)}`],
        settings: [...c.settings, settingSource({ ...axis.setting, value }, source)],
      })),
    );
  });
  const taken = new Set<string>();
  return spec.variants.flatMap((variant) =>
    combinations.map((c) => {
      const name = pointName([variant.name, ...c.labels], taken);
      taken.add(name);
      return { name, variant, settings: [...variant.settings.map((s) => settingSource(s, source)), ...c.settings] };
    }),
  );
}

interface RecipeBase {
  source: string;
  options: { resolvers: ReturnType<typeof recipeResolvers>; target: Target };
  /** The recipe's own diagnostics, as written: not repeated for each point. */
  keys: Set<string>;
}

/** Reads and checks a variant's recipe as written (with the command line's `--set`); undefined when it is not one recipe (E3504). */
async function checkBase(
  variant: SpecVariant,
  sweepFile: string,
  read: (file: string) => Promise<SourceText>,
  given: GivenSettings,
  options: LoadSweepOptions,
): Promise<{ base?: RecipeBase; diagnostics: Diagnostic[] }> {
  // A recipe's own sweep has no variant line to blame: the file is the subject.
  const what = variant.recipeFile === sweepFile ? "this sweep" : `variant \`${variant.name}\``;
  const notRecipe = (problem: string, help: string, label = "not one recipe") => ({
    diagnostics: [diagnostic("E3504", { what, problem }, variant.span, { label, help })],
  });
  let text: SourceText;
  try {
    text = await read(variant.recipeFile);
  } catch (error) {
    return notRecipe("names a recipe that cannot be read", "the path is relative to the sweep file", (error as Error).message);
  }
  const baseOptions = { resolvers: recipeResolvers(variant.recipeFile, options.env ?? {}, options.open), target: options.target ?? "local" };
  const program = await checkRecipe(variant.recipeFile, text.text, { ...baseOptions, overrides: given.sources });
  const ast = program.root.ast;
  if (ast.header?.keyword === "sweep") return notRecipe("names a sweep file", "name the recipes that sweep file names");
  if (variant.recipeFile !== sweepFile && ast.items.some((i) => i.kind === "sweep" || i.kind === "variants")) {
    return notRecipe("names a recipe with a sweep of its own", "sweep it from one place: move its `sweep` and `variants` into this file");
  }
  // A `--set` given to the sweep is checked against each recipe: say which one a mistake there is in.
  const inRecipe = `applied to ${variant.recipeFile}, the recipe of variant \`${variant.name}\``;
  const atGiven = (d: Diagnostic) => (isOverrideFile(d.span.file) ? { ...d, notes: [...d.notes, inRecipe] } : d);
  const diagnostics = [...text.diagnostics, ...program.diagnostics.map(atGiven)];
  if (!hasError(diagnostics) && program.root.result?.run === undefined) {
    return notRecipe("names a module (it has no `run` block)", "a sweep runs recipes: give it a `run { ... }` block");
  }
  return { base: { source: text.text, options: baseOptions, keys: new Set(diagnostics.map(diagnosticKey)) }, diagnostics };
}

function toPoint(point: PendingPoint, given: GivenSettings, program: ProgramResult): SweepPoint {
  const values = [...given.values, ...point.settings.map(({ path, value }) => ({ path, value }))];
  return { name: point.name, variant: point.variant.name, values, recipeFile: point.variant.recipeFile, plan: lowerProgram(program) };
}

function tooMany(ast: A.RecipeFile, count: number, limit: number): Diagnostic {
  const at = ast.items.find((i) => i.kind === "sweep") ?? ast.items.find((i) => i.kind === "variants") ?? ast.header ?? ast;
  return diagnostic("E3505", { count, limit }, at.span, {
    label: `${count} points`,
    help: "sweep fewer values, or split the sweep into several files",
  });
}

/** `in sweep point `a``, or the points where one mistake occurs in several. */
function pointsNote(names: readonly string[]): string {
  const shown = names.slice(0, 3).map((n) => `\`${n}\``);
  if (names.length === 1) return `in sweep point ${shown[0]}`;
  const more = names.length > 3 ? ` and ${names.length - 3} more` : "";
  return `in ${names.length} sweep points: ${shown.join(", ")}${more}`;
}

function diagnosticKey(d: Diagnostic): string {
  return JSON.stringify([d.code, d.span.file, d.span.start.offset, d.span.end.offset, d.message, d.label]);
}

function hasError(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === "error");
}
