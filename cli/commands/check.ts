/**
 * `roux check FILE...`: reports every diagnostic in the recipes. This front-end stage parses
 * (lexical and syntax errors); the type checker adds its checks behind the same command.
 * Exit status: 0 clean or warnings only, 1 errors, 2 usage (LANGUAGE.md section 7).
 */
import { countBySeverity, type Diagnostic } from "../../diagnostics/diagnostic.js";
import { plural } from "../../diagnostics/render-summary.js";
import type { RecipeFile } from "../../grammar/ast.js";
import type { Command } from "../command.js";
import { readSource } from "../io.js";
import { formatOption, printDiagnostics } from "../report.js";
import { UsageError } from "../usage-error.js";
import { checkProgram } from "../../compiler/program.js";

interface FileResult {
  file: string;
  ast: RecipeFile;
  diagnostics: Diagnostic[];
  millis: number;
}

export const checkCommand: Command = {
  name: "check",
  summary: "check recipes for mistakes without running anything",
  usage: "[--format text|json] FILE...",
  options: { format: { type: "string", default: "text" } },
  async run(args, io) {
    const format = formatOption(args.values.format);
    if (args.positionals.length === 0) throw new UsageError("no recipe given\nusage: roux check [--format text|json] FILE...");
    const results: FileResult[] = [];
    const sources = new Map<string, string>();
    for (const file of args.positionals) {
      const source = await readSource(file);
      const started = performance.now();
      const program = checkProgram(file, source);
      for (const module of program.modules.values()) sources.set(module.file, module.source);
      results.push({ file, ast: program.root.ast, diagnostics: program.diagnostics, millis: performance.now() - started });
    }
    const diagnostics = results.flatMap((r) => r.diagnostics);
    const failed = printDiagnostics(diagnostics, sources, args.positionals, format, io);
    if (format === "text" && !failed) {
      for (const result of results) io.stderr.write(`${successLine(result)}\n`);
    }
    return failed ? 1 : 0;
  },
};

/** `checked FILE: 2 stages, 2 rewards, 1 model, 0 errors, 1 warning (38 ms)` (UX.md). */
function successLine(result: FileResult): string {
  const counts = countBySeverity(result.diagnostics);
  const declared = (kind: string) => result.ast.items.filter((item) => item.kind === kind).length;
  const parts = [
    plural(declared("stage"), "stage"),
    plural(declared("reward"), "reward"),
    plural(declared("model"), "model"),
    plural(counts.errors, "error"),
    plural(counts.warnings, "warning"),
  ];
  return `checked ${result.file}: ${parts.join(", ")} (${Math.round(result.millis)} ms)`;
}
