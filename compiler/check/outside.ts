/**
 * Checks that read the outside world without running anything, after the recipe itself checks:
 * a JSONL dataset's first lines have the keys the recipe names (E3201) holding strings (E3204; an
 * answer may be a number for an export target), an ONNX reward model has
 * the input and output it names (E3301), a JS/TS reward module exports the function (E3302).
 * Each file is read once however often the recipe names it.
 */
import { diagnostic, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { closest, didYouMean } from "../../diagnostics/suggest.js";
import { describeJsonType, JSONL_CHECK_LINES, readJsonlHeader, type JsonType } from "../outside/jsonl-header.js";
import { readOnnxHeader } from "../outside/onnx-header.js";
import type { OutsideFailure } from "../outside/failure.js";
import { readUnchanged } from "../../plan/read-unchanged.js";
import { localFileRefused, sealedMayRead } from "../modules/sealed.js";
import { type CheckedModule, namedFilePath, type ProgramResult } from "../program.js";
import type { Checked } from "../values.js";
import type { Target } from "./target.js";

type Check = (call: Checked, file: string, target: Target) => Promise<Diagnostic[]>;

function text(value: Checked | undefined): string | undefined {
  return value?.constant?.kind === "string" ? value.constant.value : undefined;
}

const jsonl = readUnchanged((file) => readJsonlHeader(file));
const onnx = readUnchanged((file) => readOnnxHeader(file));
// Loaded on demand: its TypeScript stripper costs ~90 ms of start-up that most recipes never need.
const exportsOf = readUnchanged(async (file) => (await import("../outside/js-exports.js")).listModuleExports(file));

function failureText(failure: OutsideFailure): string {
  if (failure.kind === "missing") return "not found";
  return failure.line === undefined ? failure.reason : `line ${failure.line}: ${failure.reason}`;
}

// Says what a clean check of a dataset does not prove: the lines past the first are read by the run.
const SAMPLED = `roux check reads the first ${JSONL_CHECK_LINES} lines of a dataset; roux run reads every line and names the first bad one by file:line`;

function names(list: readonly string[]): string {
  return list.length === 0 ? "none" : list.map((n) => `\`${n}\``).join(", ");
}

const CHECKS: Readonly<Record<string, Check>> = {
  async jsonl(call, file, target) {
    const pathArg = call.call!.args.get("path")!;
    const header = await jsonl(file);
    if (!header.ok) return [diagnostic("E3201", { file: text(pathArg)!, problem: failureText(header) }, pathArg.span, { label: "this dataset file" })];
    const problems: Diagnostic[] = [];
    for (const role of ["prompt", "response", "answer"]) {
      const keyArg = call.call!.args.get(role);
      const key = text(keyArg);
      if (key === undefined || header.keysInEveryLine.includes(key)) continue;
      const inSome = header.keysInSomeLines.includes(key);
      const suggestion = closest(key, [...header.keysInEveryLine, ...header.keysInSomeLines]);
      problems.push(
        diagnostic("E3201", { file: text(pathArg)!, problem: inSome ? `some lines lack the key \`${key}\`` : `no key \`${key}\`` }, keyArg!.span, {
          label: `the ${role} key`,
          notes: [`the first ${header.linesRead} lines have ${names(header.keysInEveryLine)}`],
          ...(suggestion && suggestion !== key ? didYouMean(keyArg!.span, JSON.stringify(suggestion), suggestion) : {}),
        }),
      );
    }
    for (const role of ["prompt", "response", "answer"]) {
      const keyArg = call.call!.args.get(role);
      const key = text(keyArg);
      // The export targets write a number answer as the file's text (compiler/export/data-files.ts); the local runtime reads strings.
      const accepted: readonly JsonType[] = role === "answer" && target !== "local" ? ["string", "number"] : ["string"];
      const [other] = [...(header.types.get(key ?? "") ?? [])].filter(([type]) => !accepted.includes(type));
      if (other === undefined) continue;
      const [type, line] = other;
      problems.push(
        diagnostic("E3204", { file: text(pathArg)!, line, key: key!, found: describeJsonType(type) }, keyArg!.span, {
          label: `the ${role} key`,
          notes: [SAMPLED],
        }),
      );
    }
    return problems;
  },
  async onnx(call, file) {
    const pathArg = call.call!.args.get("path")!;
    const header = await onnx(file);
    if (!header.ok) return [diagnostic("E3301", { file: text(pathArg)!, problem: failureText(header) }, pathArg.span, { label: "this model file" })];
    const problems: Diagnostic[] = [];
    for (const [role, available] of [
      ["input", header.inputs],
      ["output", header.outputs],
    ] as const) {
      const nameArg = call.call!.args.get(role);
      const name = text(nameArg);
      if (name === undefined || available.includes(name)) continue;
      const suggestion = closest(name, available);
      problems.push(
        diagnostic("E3301", { file: text(pathArg)!, problem: `no ${role} named \`${name}\`` }, nameArg!.span, {
          label: `not an ${role} of the model`,
          notes: [`the model's ${role}s are ${names(available)}`],
          ...(suggestion ? didYouMean(nameArg!.span, JSON.stringify(suggestion), suggestion) : {}),
        }),
      );
    }
    return problems;
  },
  async js(call, file) {
    const pathArg = call.call!.args.get("path")!;
    const exportArg = call.call!.args.get("export");
    const listed = await exportsOf(file);
    if (!listed.ok) return [diagnostic("E3302", { problem: `reward module ${text(pathArg)}: ${failureText(listed)}` }, pathArg.span, { label: "this module" })];
    const name = text(exportArg);
    if (name === undefined || listed.names.includes(name) || listed.reexportsFrom.length > 0) return [];
    const suggestion = closest(name, listed.names);
    return [
      diagnostic("E3302", { problem: `reward module ${text(pathArg)} has no export \`${name}\`` }, exportArg!.span, {
        label: "not exported",
        notes: [`it exports ${names(listed.names)}`],
        ...(suggestion ? didYouMean(exportArg!.span, JSON.stringify(suggestion), suggestion) : { help: "export the function: `export function score(...)`" }),
      }),
    ];
  },
};

/** Every built-in application in a checked value, nested ones included. */
function calls(value: Checked | undefined, into: Checked[] = []): Checked[] {
  if (value === undefined) return into;
  if (value.call) {
    into.push(value);
    for (const arg of value.call.args.values()) calls(arg, into);
  }
  for (const item of value.items ?? []) calls(item, into);
  for (const field of value.fields?.values() ?? []) calls(field, into);
  return into;
}

/** A file a recipe names for a check to read: a dataset, an ONNX model, a JS/TS reward module. */
export interface NamedFile {
  call: Checked;
  pathArg: Checked;
  /** The path as written. */
  given: string;
  /** Where it is read: relative to the module that names it (namedFilePath). */
  file: string;
  namer?: CheckedModule;
}

/** Every file the outside checks read, each named once; `roux publish` sends exactly these. */
export function namedFiles(program: ProgramResult): NamedFile[] {
  const named: NamedFile[] = [];
  // A declaration's value is copied where it is used, but its call record is shared: dedupe on that.
  const seen = new Set<NonNullable<Checked["call"]>>();
  for (const module of program.modules.values()) {
    const values = [...(module.result?.declarations.values() ?? [])].map((d) => d.value);
    for (const call of [...values, module.result?.run].flatMap((v) => calls(v))) {
      const pathArg = call.call!.args.get("path");
      const given = text(pathArg);
      if (!CHECKS[call.call!.builtin] || given === undefined || seen.has(call.call!)) continue;
      seen.add(call.call!);
      named.push({ call, pathArg: pathArg!, given, file: namedFilePath(program, pathArg!, given), namer: program.modules.get(pathArg!.span.file) });
    }
  }
  return named;
}

/**
 * Runs the outside checks of every module of a checked program. A path is relative to the file
 * that names it; one given in a `--set` override is relative to the recipe; one written in a
 * registry module is not read at all, unless it lies inside the module's package.
 */
export async function checkOutside(program: ProgramResult, target: Target): Promise<Diagnostic[]> {
  const pending = namedFiles(program).map(({ call, pathArg, given, file, namer }) => {
    if (namer?.sealed && !sealedMayRead(namer.packageRoot, file))
      return Promise.resolve([localFileRefused(namer.specifier, `\`${given}\``, pathArg.span, namer.packageRoot !== undefined)]);
    return CHECKS[call.call!.builtin]!(call, file, target);
  });
  return (await Promise.all(pending)).flat();
}
