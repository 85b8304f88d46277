/**
 * `--set PATH=VALUE` given to a sweep (`roux sweep`, `roux check`, `roux cost`): a setting every
 * point shares, applied before the point's own (docs/language.md §10), as Hydra
 * applies a command line's overrides to every job of a multirun. A point's plan is then
 * `roux plan RECIPE --set GIVEN... --set POINT...`. The sweep's settings come after, so one that
 * sets the same path, or a path holding it (`rl` over `rl.steps`), would silently undo the
 * command line's: that is E3502, as a path set twice within the sweep is.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import type * as A from "../../grammar/ast.js";
import { parseOverride } from "../../grammar/parse.js";
import { type OverrideSource, overrideSources } from "../overrides.js";
import { settingSource } from "./setting-source.js";
import { pathSpan, pathText, type SweepSpec } from "./sweep-spec.js";

export interface GivenSettings {
  /** The options as `--set #1`, `--set #2`, ...: the first overrides of every point. */
  sources: OverrideSource[];
  /** Each option as a point's `values` lists it; only options that parse (the others are errors of every point). */
  values: { path: string; value: string }[];
  overrides: A.Override[];
}

export function givenSettings(texts: readonly string[]): GivenSettings {
  const sources = overrideSources(texts);
  const parsed = sources.map((s) => ({ ...parseOverride(s.text, s.file), text: s.text }));
  const clean = parsed.filter((p) => p.diagnostics.length === 0);
  const values = clean.map((p) => settingSource(p.override, p.text)).map(({ path, value }) => ({ path, value }));
  return { sources, values: clean.length === sources.length ? values : [], overrides: clean.map((p) => p.override) };
}

/** E3502 for each setting of the sweep that replaces a `--set` given to it. */
export function undoneByTheSweep(spec: SweepSpec, given: GivenSettings): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const check = (settings: readonly A.Override[], where: string) => {
    for (const setting of settings) {
      const replaced = given.overrides.find((o) => holds(setting.path, o.path));
      if (replaced === undefined) continue;
      diagnostics.push(
        diagnostic("E3502", { path: pathText(replaced), where: `by \`${replaced.span.file}\` and ${where}` }, pathSpan(setting), {
          label: "the sweep sets it again here, after the command line",
          secondary: [{ span: pathSpan(replaced), message: "set on the command line" }],
          help: "one value per point: drop the `--set`, or change the sweep",
        }),
      );
    }
  };
  check(
    spec.grid.map((axis) => axis.setting),
    "the grid",
  );
  for (const variant of spec.variants) check(variant.settings, `variant \`${variant.name}\``);
  return diagnostics;
}

/** Whether setting `outer` replaces `inner`: the same path, or a path that holds it. */
function holds(outer: readonly A.Ident[], inner: readonly A.Ident[]): boolean {
  return outer.length <= inner.length && outer.every((name, i) => name.name === inner[i]!.name);
}
