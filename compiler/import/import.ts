/** `roux import`: an engine config to recipe text, with the diagnostics of what did not map. */
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import { sortDiagnostics } from "../../diagnostics/diagnostic.js";
import type { ExportTarget } from "../export/engines.js";
import type { ImportContext } from "./context.js";
import { writeRecipe } from "./recipe-writer.js";
import { importTrinity } from "./trinity.js";
import { importVerl } from "./verl.js";

export { ConfigError } from "./config-reader.js";

const IMPORTERS = { verl: importVerl, trinity: importTrinity } as const;

export function importConfig(file: string, text: string, from: ExportTarget, context: ImportContext): { recipe: string; diagnostics: Diagnostic[] } {
  const { recipe, reader } = IMPORTERS[from](file, text, context);
  return { recipe: writeRecipe(recipe), diagnostics: sortDiagnostics(reader.diagnostics) };
}
