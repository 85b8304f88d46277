/**
 * The language server's latency (docs/architecture.md "roux lsp"): what it computes after a
 * one-character edit before it publishes diagnostics (a fresh analysis of the edited text, as
 * the workspace makes once typing pauses, and its conversion to the protocol's diagnostics),
 * and a completion request. Each against `checkProgram` of the same text in the same run: the
 * checker alone, the floor the server's work stands on.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { TextDocument } from "vscode-languageserver-textdocument";
import { checkProgram } from "../compiler/program.js";
import { Reparser } from "../grammar/reparse.js";
import { analyze } from "../lsp/analysis.js";
import { completionsAt } from "../lsp/completion.js";
import { documentDiagnostics } from "../lsp/diagnostics.js";
import { generatePair } from "./generate.js";
import { type Comparison, medianMillis, medianMillisAsync } from "./measure.js";

/** What the server's workspace passes: the reparser keeps each file's last clean parse between edits. */
function serverContext() {
  return { env: {}, open: () => undefined, openUri: () => undefined, reparser: new Reparser() };
}

/** The offset of the last digit of the first `seed = N` at or after `from`. */
function seedDigit(text: string, from = 0): number {
  const start = text.indexOf("seed = ", from) + "seed = ".length;
  if (start < "seed = ".length) throw new Error("bench: no `seed = N` to edit");
  let end = start;
  while (/\d/.test(text[end] ?? "")) end++;
  return end - 1;
}

/** The median time from a one-character edit at `at` to the diagnostics the server would publish. */
async function editToDiagnostics(file: string, text: string, at: number, repeats: number, warmup = 3): Promise<number> {
  let document = TextDocument.create(pathToFileURL(file).href, "roux", 1, text);
  const context = serverContext();
  let digit = 0;
  return medianMillisAsync(
    async () => {
      // One digit of a number changes each time, so every edit is a real one that still checks.
      digit = (digit + 1) % 10;
      const start = document.positionAt(at);
      document = TextDocument.update(
        document,
        [{ range: { start, end: { ...start, character: start.character + 1 } }, text: String(digit) }],
        document.version + 1,
      );
      const analysis = await analyze(document, context);
      if (analysis.program === undefined) throw new Error(`bench: the checker failed: ${analysis.failure}`);
      return documentDiagnostics(analysis);
    },
    repeats,
    warmup,
  );
}

async function flagshipEdit(): Promise<Comparison> {
  const file = path.resolve("recipes/arith/flagship.recipe");
  const text = readFileSync(file, "utf8");
  return {
    name: "lsp: flagship diagnostics after a 1-char edit",
    millis: await editToDiagnostics(file, text, seedDigit(text), 21),
    baseline: "checkProgram",
    baselineMillis: medianMillis(() => checkProgram(file, text), 21),
    goal: "under 30 ms median",
  };
}

async function largeEdit(): Promise<Comparison> {
  const pair = generatePair(10_000);
  const file = path.resolve("bench.recipe");
  return {
    name: `lsp: diagnostics after an edit (${pair.lines} lines)`,
    // A server edits for hours: the figure is its steady state, once the first edits have
    // compiled the reparse and check paths (the first few take several times longer).
    millis: await editToDiagnostics(file, pair.recipe, seedDigit(pair.recipe, pair.recipe.length / 2), 15, 10),
    baseline: "checkProgram",
    baselineMillis: medianMillis(() => checkProgram(file, pair.recipe), 7),
    goal: "under 100 ms median",
  };
}

/** Completion of a block's fields while typing in the flagship, from the last analysis that checked. */
async function completion(): Promise<Comparison> {
  const file = path.resolve("recipes/arith/flagship.recipe");
  const text = readFileSync(file, "utf8");
  const analysis = await analyze(TextDocument.create(pathToFileURL(file).href, "roux", 1, text), serverContext());
  const typing = text.replace("  layers = 2\n", "  layers = 2\n  d\n");
  const offset = typing.indexOf("  d\n") + 3;
  if (completionsAt(typing, offset, analysis.program).length === 0) throw new Error("bench: no completion offered");
  return {
    name: "lsp: completion of a block's fields",
    millis: medianMillis(() => completionsAt(typing, offset, analysis.program), 51),
    baseline: "checkProgram",
    baselineMillis: medianMillis(() => checkProgram(file, text), 21),
    goal: "under 20 ms median",
  };
}

export async function lspBenches(): Promise<Comparison[]> {
  return [await flagshipEdit(), await largeEdit(), await completion()];
}
