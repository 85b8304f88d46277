/**
 * The diagnostics a refused upload is answered with, held to a size in bytes. The renderer
 * already shows at most 100 diagnostics per file with long source lines clipped
 * (docs/language.md §7 "Long output"), but a diagnostic's own message can quote the upload (an
 * unknown name a megabyte long), so the answer gets a hard cap too: the rendered text is cut
 * with a note, and the JSON list keeps the diagnostics that fit, counting the rest in `omitted`.
 */
import type { JsonReport } from "../diagnostics/render-json.js";

/** For the JSON list and for the rendered text each; the whole answer stays well under 1 MiB. */
export const REPORT_BYTES = 128 * 1024;

const bytes = (text: string) => Buffer.byteLength(text);

export interface BoundedReport {
  diagnostics: JsonReport;
  rendered: string;
}

export function boundReport(report: JsonReport, rendered: string): BoundedReport {
  const kept: JsonReport["diagnostics"] = [];
  let size = 0;
  for (const diagnostic of report.diagnostics) {
    size += bytes(JSON.stringify(diagnostic)) + 1;
    if (size > REPORT_BYTES) break;
    kept.push(diagnostic);
  }
  const omitted = report.omitted + report.diagnostics.length - kept.length;
  return { diagnostics: { ...report, diagnostics: kept, omitted }, rendered: cutText(rendered) };
}

function cutText(text: string): string {
  if (bytes(text) <= REPORT_BYTES) return text;
  // Cut by characters at a quarter of the cap: a character is at most 4 bytes in UTF-8.
  const kept = text.slice(0, REPORT_BYTES / 4);
  return `${kept}\n... cut here: the report is ${bytes(text)} bytes and an answer carries at most ${REPORT_BYTES}; \`roux check\` shows all of it\n`;
}
