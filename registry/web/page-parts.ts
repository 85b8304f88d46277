/**
 * The costly parts of a version's page: its stage graph and its highlighted source, rendered once
 * (at publish, in the check's worker) and stored, since the version they show never changes.
 * The parts fit a page budget, so a view is a bounded read and a bounded answer however large the
 * recipe: a graph with more stages than a page can show is named, not drawn, and a source whose
 * highlighting does not fit is shown from its start, cut at a line, with a note and a link to
 * the raw download (the API's `/source`).
 */
import { graphSvg } from "../../compiler/backends/graph-svg.js";
import { lowerProgram } from "../../compiler/plan/lower.js";
import type { ProgramResult } from "../../compiler/program.js";
import { countBySeverity } from "../../diagnostics/diagnostic.js";
import type { VersionRef } from "../names.js";
import type { PageParts } from "../store.js";
import { highlight } from "./highlight.js";
import { escapeHtml } from "./html.js";

/** A whole version page, in bytes; the parts get this less room for the rest of the page. */
export const PAGE_BUDGET = 2 * 1024 * 1024;
/** The header, hashes, a package's file list (32 KiB at most, file-list.ts) and at most 100 versions (pages.ts) take less than this. */
const REST_OF_PAGE = 64 * 1024;
/** Past this many stages a drawing is a wall of boxes, and its SVG alone would outgrow the page. */
const MAX_DRAWN_STAGES = 100;

const bytes = (text: string) => Buffer.byteLength(text);

function graphPart(program: ProgramResult): string {
  if (countBySeverity(program.diagnostics).errors > 0)
    return '<p class="muted">The current compiler reports errors in this version, so there is no graph to draw.</p>';
  if (program.root.result?.run === undefined) return '<p class="muted">A module: it has no <code>run</code>, so no stages to draw.</p>';
  const plan = lowerProgram(program);
  if (plan.stages.length > MAX_DRAWN_STAGES)
    return `<p class="muted">${plan.stages.length} stages, more than the ${MAX_DRAWN_STAGES} a page draws: <code>roux graph</code> draws it locally.</p>`;
  const svg = graphSvg(plan);
  if (bytes(svg) > PAGE_BUDGET / 2) return `<p class="muted">The stage graph is larger than a page shows: <code>roux graph</code> draws it locally.</p>`;
  return `<div class="graph">${svg}</div>`;
}

const rawLink = (ref: VersionRef) => `/api/v1/recipes/${ref.owner}/${ref.name}/${ref.version}/source`;

/** The source as `<pre>`, marked up by `mark` and cut at a line boundary until it fits `budget` bytes. */
export function sourcePart(ref: VersionRef, source: string, budget: number, mark: (text: string) => string = highlight): string {
  // Marking up never shortens text, so no more of the source than the budget can fit.
  let shown = source.length <= budget ? source : cutAtLine(source, budget);
  let html = mark(shown);
  while (bytes(html) > budget && shown.length > 0) {
    shown = cutAtLine(shown, Math.floor((shown.length * budget) / bytes(html) / 1.1));
    html = mark(shown);
  }
  const pre = `<pre class="source"><code>${html}</code></pre>`;
  if (shown.length === source.length) return pre;
  return (
    `<p class="muted" id="source-cut">The first ${lineCount(shown)} of ${lineCount(source)} lines, as much as a page shows: ` +
    `<a href="${escapeHtml(rawLink(ref))}">download the whole source</a>.</p>\n${pre}`
  );
}

/** Lines as an editor counts them: a last line without its newline counts too. */
function lineCount(text: string): number {
  const newlines = text.split("\n").length - 1;
  return text === "" || text.endsWith("\n") ? newlines : newlines + 1;
}

/** The longest prefix of whole lines within `length` characters. */
function cutAtLine(text: string, length: number): string {
  const end = text.lastIndexOf("\n", length - 1);
  return end < 0 ? "" : text.slice(0, end + 1);
}

/** The page parts of a checked version. */
export function renderPageParts(ref: VersionRef, program: ProgramResult, source: string): PageParts {
  const graph = graphPart(program);
  const room = PAGE_BUDGET - REST_OF_PAGE - bytes(graph);
  return { graph, source: sourcePart(ref, source, room) };
}
