/**
 * A sweep setting as the `--set` option that means the same: its text `PATH=VALUE`, and the way
 * back from a place in that text to the place in the sweep's file where the setting is written.
 * A point is checked with its settings given exactly as `roux plan RECIPE --set PATH=VALUE`
 * gives them (compiler/overrides.ts), so the two lower to the same Plan, recipe hash included;
 * a diagnostic about a setting is then moved back to the sweep's file, where the user wrote it.
 */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { LineIndex, Span } from "../../diagnostics/span.js";
import type * as A from "../../grammar/ast.js";
import { overrideFile, type OverrideSource } from "../overrides.js";

export interface SettingSource {
  path: string;
  /** The value as written in the sweep's file. */
  value: string;
  setting: A.Override;
}

export function settingSource(setting: A.Override, source: string): SettingSource {
  const value = source.slice(setting.value.span.start.offset, setting.value.span.end.offset);
  return { path: setting.path.map((p) => p.name).join("."), value, setting };
}

/** The settings as `--set` options, numbered from `first` (after the options given to the sweep on its command line). */
export function overrideSourcesOf(settings: readonly SettingSource[], first: number): OverrideSource[] {
  return settings.map((s, i) => ({ file: overrideFile(first + i), text: `${s.path}=${s.value}` }));
}

/** `d` with every span in one of the settings' `--set #N` texts (numbered from `first`) moved to where that setting is written. */
export function backToSweep(d: Diagnostic, settings: readonly SettingSource[], first: number, lines: LineIndex): Diagnostic {
  const files = new Map(settings.map((s, i) => [overrideFile(first + i) as string, s]));
  const move = (span: Span): Span => {
    const setting = files.get(span.file);
    if (setting === undefined) return span;
    const at = (offset: number) => sweepOffset(setting, offset);
    return lines.span(setting.setting.span.file, at(span.start.offset), at(span.end.offset));
  };
  return {
    ...d,
    span: move(d.span),
    secondary: d.secondary.map((l) => ({ ...l, span: move(l.span) })),
    ...(d.suggestion ? { suggestion: { ...d.suggestion, spans: d.suggestion.spans.map(move) } } : {}),
  };
}

/** An offset in `PATH=VALUE` to the sweep file: in a path's name, into that name; at or after `=`, into the value. */
function sweepOffset({ setting, path }: SettingSource, offset: number): number {
  if (offset > path.length) return setting.value.span.start.offset + (offset - path.length - 1);
  let start = 0;
  for (const name of setting.path) {
    if (offset <= start + name.name.length) return name.span.start.offset + Math.max(0, offset - start);
    start += name.name.length + 1;
  }
  return setting.value.span.start.offset;
}
