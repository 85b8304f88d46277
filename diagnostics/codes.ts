/**
 * Every diagnostic Roux can emit, as one table. A site that reports a problem names a code and
 * fills the template's {placeholders}; it never writes its own message text, so the wording of
 * a code lives here only, and docs/errors.md explains each code at length (`roux explain`).
 */
export type Severity = "error" | "warning";

export interface CodeEntry {
  severity: Severity;
  /** One line saying when the code is emitted (the table in docs/language.md §7). */
  summary: string;
  /** The headline of the diagnostic; {name} placeholders are filled by the reporting site. */
  message: string;
}

export const CODES = {
  E0001: { severity: "error", summary: "unexpected token / syntax error", message: "expected {expected}, found {found}" },
  E0002: { severity: "error", summary: "unterminated string or comment", message: "unterminated {what}" },
  E0003: { severity: "error", summary: "invalid number or unit", message: "invalid number `{text}`: {reason}" },
  E0004: { severity: "error", summary: "source file is not UTF-8", message: "invalid UTF-8 at byte {byte}" },
  E0005: { severity: "error", summary: "nesting too deep", message: "{what} nested more than {limit} levels deep" },
  E1101: { severity: "error", summary: "unknown name", message: "unknown name `{name}`" },
  E1102: { severity: "error", summary: "import cycle", message: "import cycle: {cycle}" },
  E1103: { severity: "error", summary: "registry module hash mismatch or not in cache", message: "registry module `{module}`: {reason}" },
  E1104: { severity: "error", summary: "duplicate declaration", message: "`{name}` is declared twice" },
  E1105: { severity: "error", summary: "module not found", message: "module `{module}` not found" },
  E2101: { severity: "error", summary: "type mismatch", message: "expected {expected}, found {found}" },
  E2102: { severity: "error", summary: "unknown or missing field or argument", message: "{problem} `{name}` {where}" },
  E2103: {
    severity: "error",
    summary: "declared reward granularity differs from its source",
    message: "reward `{name}` is declared {declared} but its source gives {actual} rewards",
  },
  E2104: { severity: "error", summary: "rewards of different granularities combined without a lift", message: "cannot combine {left} and {right} rewards" },
  E2105: { severity: "error", summary: "value out of range", message: "{what} is out of range: {reason}" },
  E2106: { severity: "error", summary: "wrong unit", message: "expected a duration in {expected}, found {found}" },
  E3101: { severity: "error", summary: "stage used in run.stages twice, or a cycle", message: "stage `{name}` {problem}" },
  E3102: { severity: "error", summary: "credit assignment needs step-level rewards", message: "{credit} credit assignment needs step-level rewards" },
  E3103: { severity: "error", summary: "PROF / ReNorm / gate need a binary outcome reward", message: "{op} needs a binary outcome reward" },
  E3104: {
    severity: "error",
    summary: "PROF `remove` must be smaller than the stage's `group`",
    message: "PROF removes {remove} responses from groups of {group}",
  },
  E3105: {
    severity: "error",
    summary: "KL reference stage does not run before this stage",
    message: "KL reference `{ref}` does not run before stage `{stage}`",
  },
  E3106: {
    severity: "error",
    summary: "group-relative advantage needs `group >= 2`",
    message: "{advantage} needs at least 2 responses per prompt, found group = {group}",
  },
  E3107: { severity: "error", summary: "the recipe's plan breaks a rule the runtime relies on", message: "{problem}" },
  E3108: {
    severity: "error",
    summary: "the null control `shuffled_advantages` needs outcome credit",
    message: "`control = shuffled_advantages` permutes one advantage per response, and `{credit}` credit gives one per token",
  },
  E3109: {
    severity: "error",
    summary: "dynamic sampling in a stage whose groups it cannot judge: with PROF's filter, or with `group` below 2",
    message: "dynamic sampling {problem}",
  },
  E3201: { severity: "error", summary: "dataset key missing in the file", message: "dataset file {file}: {problem}" },
  E3202: { severity: "error", summary: "dataset lacks responses where a stage or expert needs them", message: "dataset `{name}` has no responses" },
  E3203: {
    severity: "error",
    summary: "dataset smaller than one batch of the export target",
    message: "dataset `{name}` has {rows}, fewer than the {needed} {what} one step takes",
  },
  E3204: {
    severity: "error",
    summary: "dataset value that is not a string where the recipe reads text",
    message: "dataset file {file}: line {line}: `{key}` is {found}, not a string",
  },
  E3301: { severity: "error", summary: "ONNX model input/output name not found", message: "ONNX model {file}: {problem}" },
  E3302: { severity: "error", summary: "JS reward module or export not found", message: "{problem}" },
  E3401: { severity: "error", summary: "feature not supported by the chosen target", message: "{feature} is not supported by {target}" },
  E3501: { severity: "error", summary: "a swept setting with no values", message: "`{path}` is swept over no values" },
  E3502: { severity: "error", summary: "a setting given twice in one point of a sweep", message: "`{path}` is set twice {where}" },
  E3503: { severity: "error", summary: "two variants of one name", message: "variant `{name}` is declared twice" },
  E3504: { severity: "error", summary: "a variant that is not one recipe, or a sweep file naming none", message: "{what} {problem}" },
  E3505: { severity: "error", summary: "a sweep of more points than a sweep may run", message: "the sweep has {count} points, more than {limit}" },
  E3506: {
    severity: "error",
    summary: "a sweep file holding what only a recipe may",
    message: "a sweep file holds only `variants` and `sweep`, found {found}",
  },
  W0001: { severity: "warning", summary: "unused declaration", message: "`{name}` is declared but never used" },
  W0002: {
    severity: "warning",
    summary: "schedule ends above where it starts for a learning rate",
    message: "learning-rate schedule rises from {from} to {to}",
  },
  W0003: {
    severity: "warning",
    summary: "min_form or sum_form given a reward that is never negative",
    message: "{credit} is given a reward that is never negative",
  },
  W0004: {
    severity: "warning",
    summary: "`roux import`: an engine config value the recipe does not carry as written",
    message: "`{key}` {problem}",
  },
} as const satisfies Record<string, CodeEntry>;

export type Code = keyof typeof CODES;

export function isCode(text: string): text is Code {
  return Object.hasOwn(CODES, text);
}

/** Fills `{name}` placeholders of `template` from `params`; an unfilled placeholder stays visible. */
export function fillTemplate(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (Object.hasOwn(params, key) ? String(params[key]) : whole));
}
