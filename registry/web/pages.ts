/**
 * The registry's web pages, rendered on the server as plain HTML (no script): the search page
 * and a recipe version's page with its `use` line, hashes and versions around the parts rendered
 * once and stored (page-parts.ts: the stage graph as inline SVG and the highlighted source).
 */
import { versionPin } from "../../compiler/modules/package-manifest.js";
import { useLine } from "../names.js";
import type { RecipeInfo, RecipeSummary, StoredPage, VersionRow } from "../store.js";
import { fileList } from "./file-list.js";
import { escapeHtml } from "./html.js";

const STYLE = `
body{font:15px/1.5 system-ui,sans-serif;margin:0;color:#1f2328;background:#fff}
header{background:#24292f;color:#fff;padding:10px 24px;display:flex;gap:24px;align-items:center}
header a{color:#fff;text-decoration:none;font-weight:600}
header form{display:flex;gap:6px}
input[type=search]{width:320px;padding:5px 8px;border-radius:6px;border:1px solid #57606a}
main{max-width:1100px;margin:0 auto;padding:16px 24px}
pre,code{font:13px/1.45 ui-monospace,monospace}
pre{background:#f6f8fa;border:1px solid #d0d7de;border-radius:6px;padding:12px;overflow:auto}
.results li{margin:6px 0}.muted{color:#656d76}.yanked{color:#cf222e}
table{border-collapse:collapse}td,th{padding:3px 12px 3px 0;text-align:left}
.warning{background:#fff8c5;border:1px solid #d4a72c;border-radius:6px;padding:8px 12px}
.code{color:#fff;background:#9a6700;border-radius:4px;padding:0 5px;font-size:12px}
.graph{overflow:auto;border:1px solid #d0d7de;border-radius:6px;padding:8px}
.tok-keyword{color:#cf222e;font-weight:600}.tok-string{color:#0a3069}.tok-number,.tok-constant{color:#0550ae}
.tok-comment{color:#6e7781;font-style:italic}.tok-name{color:#1f2328}.tok-punctuation{color:#57606a}
`;

/** A page in pieces, the body's as given: a stored part is written as it is, not copied into one string. */
function layoutPieces(title: string, query: string, body: readonly (string | Buffer)[]): (string | Buffer)[] {
  const search =
    `<form action="/" method="get" role="search"><input type="search" name="q" value="${escapeHtml(query)}" ` +
    `placeholder="Search recipes" aria-label="Search recipes"><button type="submit">Search</button></form>`;
  const head = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><header><a href="/">Roux recipes</a>
${search}
</header><main>`;
  return [head, ...body, "</main></body></html>\n"];
}

const layout = (title: string, query: string, body: string): string => layoutPieces(title, query, [body]).join("");

const recipeLink = (r: RecipeSummary) => `/${r.owner}/${r.name}`;

export function searchPage(query: string, results: readonly RecipeSummary[]): string {
  const items = results.map(
    (r) =>
      `<li><a href="${recipeLink(r)}">${escapeHtml(`${r.owner}/${r.name}`)}</a> ` +
      `<span class="muted">${escapeHtml(r.latest ?? "all versions yanked")}</span><br>${escapeHtml(r.description)}</li>`,
  );
  const heading = query === "" ? "Recipes" : `Recipes matching “${escapeHtml(query)}”`;
  const list = items.length === 0 ? `<p class="muted">No recipe matches.</p>` : `<ul class="results">${items.join("\n")}</ul>`;
  return layout(query === "" ? "Roux recipes" : `${query} · Roux recipes`, query, `<h1>${heading}</h1>\n${list}`);
}

export interface VersionPage {
  recipe: RecipeInfo;
  version: VersionRow;
  parts: StoredPage;
}

/** The newest versions a page lists, so that the page keeps to its budget (page-parts.ts) however many there are. */
const MAX_LISTED_VERSIONS = 100;

/** The page in pieces for `sendHtml`: the stored parts among them, uncopied. */
export function versionPage(page: VersionPage): (string | Buffer)[] {
  const { recipe, version } = page;
  const full = `${recipe.owner}/${recipe.name}`;
  const rows = recipe.versions
    .slice(0, MAX_LISTED_VERSIONS)
    .map(
      (v) =>
        `<tr><td><a href="/${full}/${v.version}">${v.version}</a>${v.yanked ? ' <span class="yanked">yanked</span>' : ""}</td>` +
        `<td><code>${versionPin(v).slice(0, 12)}…</code></td><td class="muted">${v.publishedAt.slice(0, 10)}</td></tr>`,
    );
  const ref = { owner: recipe.owner, name: recipe.name, version: version.version };
  const top = `<h1>${escapeHtml(full)} <span class="muted">${version.version}</span>${version.yanked ? ' <span class="yanked">yanked</span>' : ""}</h1>
<p>${escapeHtml(recipe.description)}</p>
<pre id="use">${escapeHtml(useLine(ref, versionPin(version)))}</pre>
<p class="muted">Pull it with <code>roux pull ${escapeHtml(full)}@${version.version}</code>.</p>
<table><tr><th>sha256</th><td><code id="sha256">${versionPin(version)}</code></td></tr>
${version.packageHash === undefined ? "" : `<tr><th>recipe sha256</th><td><code id="recipe-sha256">${version.sha256}</code></td></tr>\n`}<tr><th>recipe hash</th><td><code id="recipe-hash">${escapeHtml(version.recipeHash)}</code></td></tr>
<tr><th>size</th><td>${version.size} bytes</td></tr></table>
${version.manifest === undefined ? "" : fileList(ref, version.manifest)}<h2>Stage graph</h2>
`;
  const older = recipe.versions.length - rows.length;
  const more = older > 0 ? `\n<p class="muted">and ${older} older: <code>roux info ${escapeHtml(full)}</code> lists them all.</p>` : "";
  const versions = `\n<h2>Versions</h2>\n<table class="versions">${rows.join("\n")}</table>${more}`;
  const body = [top, page.parts.graph, "\n<h2>Source</h2>\n", page.parts.source, versions];
  return layoutPieces(`${full} ${version.version} · Roux recipes`, "", body);
}

/** A page that only says something: not found, not allowed. */
export function messagePage(heading: string, text: string): string {
  return layout(`${heading} · Roux recipes`, "", `<h1>${escapeHtml(heading)}</h1><p>${escapeHtml(text)}</p>`);
}
