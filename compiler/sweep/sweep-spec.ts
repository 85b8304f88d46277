/**
 * What a sweep declares (docs/language.md §10), read from the AST of the file holding it: its
 * variants (each a recipe file and the settings that amend it) and its grid (each swept path and
 * its values). The mistakes found without checking any recipe are reported here: an empty list
 * (E3501), a path set twice (E3502), a variant named twice (E3503), a variant that names no
 * recipe or names one where it may not (E3504), a recipe item in a sweep file (E3506).
 */
import path from "node:path";
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { joinSpans, type Span } from "../../diagnostics/span.js";
import type * as A from "../../grammar/ast.js";
import type { ProgramResult } from "../program.js";

export interface SpecVariant {
  name: string;
  /** The recipe the variant amends: the file itself for a recipe's variants (and its one point). */
  recipeFile: string;
  settings: A.Override[];
  /** Where the variant is written, for diagnostics about its recipe; the file's header when implicit. */
  span: Span;
}

export interface GridAxis {
  setting: A.Override;
  values: A.Expr[];
}

export interface SweepSpec {
  name: string;
  variants: SpecVariant[];
  grid: GridAxis[];
}

export const pathText = (setting: A.Override): string => setting.path.map((p) => p.name).join(".");

/** Where a setting's path is written, from its first name to its last. */
export const pathSpan = (setting: A.Override): Span => joinSpans(setting.path[0].span, setting.path[setting.path.length - 1]!.span);

export function readSweepSpec(file: string, ast: A.RecipeFile): { spec: SweepSpec; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const sweepFile = ast.header?.keyword === "sweep";
  const name = ast.header?.name.name ?? path.basename(file).replace(/\.[^.]*$/, "");
  const grids = ast.items.filter((i): i is A.SweepItem => i.kind === "sweep");
  const lists = ast.items.filter((i): i is A.VariantsItem => i.kind === "variants");
  for (const extra of [...grids.slice(1), ...lists.slice(1)]) {
    diagnostics.push(diagnostic("E1104", { name: extra.kind }, extra.span, { label: `a second \`${extra.kind}\``, help: "merge the two" }));
  }
  if (sweepFile) {
    for (const item of ast.items.filter((i) => i.kind !== "sweep" && i.kind !== "variants")) {
      diagnostics.push(
        diagnostic("E3506", { found: `\`${item.kind}\`` }, item.span, {
          label: "only a recipe holds this",
          help: 'put it in a recipe the sweep\'s variants name, or set it per variant: `NAME = "./file.recipe" with { PATH = value }`',
        }),
      );
    }
  }
  const grid = (grids[0]?.block.settings ?? []).map((setting) => gridAxis(setting, diagnostics));
  noPathTwice(
    grid.map((a) => a.setting),
    "in the grid",
    diagnostics,
  );
  const variants = variantsOf(file, name, ast, lists[0], sweepFile, diagnostics);
  for (const variant of variants) {
    noPathTwice(variant.settings, `in variant \`${variant.name}\``, diagnostics);
    // Only a path both set: one the grid alone sets twice was reported above.
    const set = new Set(variant.settings.map(pathText));
    const swept = grid.map((a) => a.setting).filter((s) => set.has(pathText(s)));
    noPathTwice([...variant.settings, ...swept], `by variant \`${variant.name}\` and the grid`, diagnostics);
  }
  return { spec: { name, variants, grid }, diagnostics };
}

function gridAxis(setting: A.Override, diagnostics: Diagnostic[]): GridAxis {
  const value = setting.value;
  if (value.kind !== "list") {
    diagnostics.push(
      diagnostic("E2101", { expected: "a list of the values to sweep over", found: "one value" }, value.span, {
        label: "not a list",
        help: `write \`${pathText(setting)} = [a, b]\`; a value every point shares belongs in the recipe`,
      }),
    );
    return { setting, values: [] };
  }
  if (value.items.length === 0) {
    diagnostics.push(diagnostic("E3501", { path: pathText(setting) }, value.span, { label: "no values", help: "give at least one value, or remove the line" }));
  }
  return { setting, values: value.items };
}

/** E3502 for each setting whose path an earlier one of `settings` already sets. */
function noPathTwice(settings: readonly A.Override[], where: string, diagnostics: Diagnostic[]): void {
  const first = new Map<string, A.Override>();
  for (const setting of settings) {
    const key = pathText(setting);
    const earlier = first.get(key);
    if (earlier === undefined) {
      first.set(key, setting);
      continue;
    }
    diagnostics.push(
      diagnostic("E3502", { path: key, where }, pathSpan(setting), {
        label: "set again here",
        secondary: [{ span: pathSpan(earlier), message: "first set here" }],
        help: "one value per point: keep one of them",
      }),
    );
  }
}

/** A recipe without `variants` is its own one variant, named as the sweep is (its header's name). */
function variantsOf(
  file: string,
  recipeName: string,
  ast: A.RecipeFile,
  item: A.VariantsItem | undefined,
  sweepFile: boolean,
  diagnostics: Diagnostic[],
): SpecVariant[] {
  const at = ast.header?.span ?? ast.span;
  if (item === undefined) {
    if (!sweepFile) return [{ name: recipeName, recipeFile: file, settings: [], span: at }];
    diagnostics.push(
      diagnostic("E3504", { what: "the sweep file", problem: "names no recipe" }, at, {
        label: "no `variants`",
        help: 'add `variants { NAME = "./file.recipe" }`',
      }),
    );
    return [];
  }
  const seen = new Map<string, A.Variant>();
  const variants: SpecVariant[] = [];
  for (const variant of item.list.variants) {
    const name = variant.name.name;
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      diagnostics.push(
        diagnostic("E3503", { name }, variant.name.span, {
          label: "declared again here",
          secondary: [{ span: earlier.name.span, message: "first declared here" }],
          help: "give each variant its own name: it names the variant's runs",
        }),
      );
      continue;
    }
    seen.set(name, variant);
    const problem = misplaced(variant, sweepFile);
    if (problem !== undefined) {
      diagnostics.push(problem);
      continue;
    }
    // Relative to the sweep file, as `use "./..."` is to its module.
    const given = variant.recipe?.value;
    const recipeFile = given === undefined ? file : path.isAbsolute(given) ? given : path.join(path.dirname(file), given);
    variants.push({ name, recipeFile, settings: variant.settings?.settings ?? [], span: variant.recipe?.span ?? variant.name.span });
  }
  return variants;
}

/** A sweep file's variant names a recipe; a recipe's variant amends that recipe and names none. */
function misplaced(variant: A.Variant, sweepFile: boolean): Diagnostic | undefined {
  const name = variant.name.name;
  if (sweepFile && variant.recipe === undefined) {
    return diagnostic("E3504", { what: `variant \`${name}\``, problem: "names no recipe" }, variant.span, {
      label: "a sweep file's variant is a recipe file",
      help: `write \`${name} = "./file.recipe" with { ... }\``,
    });
  }
  if (!sweepFile && variant.recipe !== undefined) {
    return diagnostic("E3504", { what: `variant \`${name}\``, problem: "names another recipe" }, variant.recipe.span, {
      label: "a recipe's variants amend this recipe",
      help: "name other recipes from a sweep file (`sweep NAME` instead of `recipe NAME`), or write `{ PATH = value }`",
    });
  }
  return undefined;
}

/** Whether a parsed file declares a sweep: a sweep file, or a recipe with `sweep` or `variants` items. */
export function declaresSweep(ast: A.RecipeFile): boolean {
  return ast.header?.keyword === "sweep" || ast.items.some((i) => i.kind === "sweep" || i.kind === "variants");
}

/**
 * Whether a file is taken as a sweep (`roux check`, `roux cost`, the language server): it
 * declares one and has no lexical or syntax error. A file that does not parse is reported as a
 * recipe, since what it declares is not known.
 */
export function isSweepSource(ast: A.RecipeFile, diagnostics: readonly Diagnostic[]): boolean {
  return !diagnostics.some((d) => d.code.startsWith("E000")) && declaresSweep(ast);
}

/** The same of a file already checked as a recipe: its sweep's diagnostics (which include the recipe's) replace the recipe's. */
export function checkedAsSweep(program: ProgramResult): boolean {
  return isSweepSource(program.root.ast, program.diagnostics);
}
