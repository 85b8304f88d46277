/**
 * `roux export RECIPE --target verl|trinity --out DIR`: checks the recipe for the target (its
 * capabilities and batch rules, as `roux check --target` does), refuses one with errors, and
 * writes the engine's config, the Python reward module, the launch script and the data files
 * into DIR. Prints what it wrote, the engine version it was written for, and what does not
 * carry over exactly.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import type { ExportTarget } from "../../compiler/export/engines.js";
import { pinLine } from "../../compiler/export/engines.js";
import { AnswerTextError } from "../../compiler/export/answer-text.js";
import { copiedText, type DataCopy } from "../../compiler/export/data-files.js";
import { exportPlan } from "../../compiler/export/export.js";
import { describeFsError } from "../../plan/fs-error.js";
import { onePositional, type Command } from "../command.js";
import { writeFileAtomic } from "../io.js";
import { loadRecipe, SET_OPTION } from "../load-recipe.js";
import { printDiagnostics } from "../report.js";
import { gpusOption, TARGET_OPTIONS, targetOption } from "../target-option.js";
import { CommandError, UsageError } from "../usage-error.js";

const USAGE = "--target verl|trinity --out DIR [--gpus N] [--set PATH=VALUE]... RECIPE";

/** What each written file is, for the summary. */
const ROLES: Readonly<Record<string, string>> = {
  "verl.yaml": "engine config",
  "trinity.yaml": "engine config",
  "roux_reward.py": "reward function",
  "launch.sh": "ray job submit",
};

export const command: Command = {
  usage: USAGE,
  options: { out: { type: "string" }, ...TARGET_OPTIONS, ...SET_OPTION },
  async run(args, io) {
    const target = targetOption(args, ["verl", "trinity"]) as ExportTarget | undefined;
    if (target === undefined) throw new UsageError(`say which engine: --target verl or --target trinity\nusage: roux export ${USAGE}`);
    const out = args.values.out;
    if (typeof out !== "string" || out === "") throw new UsageError(`say where to write the export: --out DIR\nusage: roux export ${USAGE}`);
    const file = onePositional(args);
    if (file === undefined) throw new UsageError(`give one recipe\nusage: roux export ${USAGE}`);
    const gpus = gpusOption(args);
    const loaded = await loadRecipe(file, args, io, { target, gpus });
    if (printDiagnostics(loaded.program.diagnostics, loaded.sources, [file], "text", io)) return 1;
    if (loaded.plan === undefined) throw new CommandError(`${file} is a module (it has no \`run\` block), so there is nothing to export`);
    const exported = exportPlan(loaded.plan, target, gpus);
    await writeExport(out, exported.files, exported.copies);
    const shown = (p: string) => path.join(out, p);
    const width = Math.max(...[...exported.files.map((f) => f.path), ...exported.copies.map((c) => c.to)].map((p) => shown(p).length));
    const lines = [
      `exported ${loaded.plan.recipe.name} for ${pinLine(target)}`,
      ...exported.files.map((f) => `  ${shown(f.path).padEnd(width)}  ${ROLES[f.path] ?? ""}`),
      ...exported.copies.map((c) => `  ${shown(c.to).padEnd(width)}  copy of ${path.relative(io.cwd, c.from)}`),
      ...exported.notes.map((n) => `note: ${n}`),
      `checkpoints and logs: $ROUX_OUT/${exported.jobDir}, ROUX_OUT being \`${loaded.plan.settings.out}\` (run.out) from where launch.sh starts unless set`,
      `run it: RAY_ADDRESS=http://HEAD:8265 ${shown("launch.sh")}`,
    ];
    io.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};

async function writeExport(out: string, files: { path: string; text: string; executable?: true }[], copies: DataCopy[]): Promise<void> {
  // Every copy is read and made before anything is written: a bad row leaves no half export.
  const copied: { to: string; text: string }[] = [];
  for (const copy of copies) {
    let source: string;
    try {
      source = await fs.readFile(copy.from, "utf8");
    } catch (error) {
      throw new CommandError(`cannot read ${copy.from}: ${describeFsError(error)}`);
    }
    try {
      copied.push({ to: copy.to, text: copiedText(copy, source) });
    } catch (error) {
      if (error instanceof AnswerTextError) throw new CommandError(error.message);
      throw error;
    }
  }
  // Each data copy's folder: verl's copies share `data/`, Trinity-RFT's have a folder each.
  try {
    for (const folder of new Set([out, ...copies.map((c) => path.dirname(path.join(out, c.to)))])) await fs.mkdir(folder, { recursive: true });
  } catch (error) {
    throw new CommandError(`cannot create ${out}: ${describeFsError(error)}`);
  }
  for (const file of files) {
    const target = path.join(out, file.path);
    await writeFileAtomic(target, file.text);
    if (file.executable) await fs.chmod(target, 0o755);
  }
  for (const copy of copied) await writeFileAtomic(path.join(out, copy.to), copy.text);
}
