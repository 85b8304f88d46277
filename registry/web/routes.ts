/**
 * The web pages' routes: `/` (search, `?q=TEXT`), `/OWNER/NAME` (its newest version) and
 * `/OWNER/NAME/VERSION`. The graph is drawn from the stored source when the page is asked for,
 * with the same check that accepted it, so it is always what the current compiler makes of it.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { graphSvg } from "../../compiler/backends/graph-svg.js";
import { lowerProgram } from "../../compiler/plan/lower.js";
import { countBySeverity } from "../../diagnostics/diagnostic.js";
import { isOwner, isRecipeName, isVersion } from "../names.js";
import { sendHtml } from "../respond.js";
import type { Store } from "../store.js";
import { checkAsPublished } from "../upload-check.js";
import { messagePage, searchPage, versionPage } from "./pages.js";

export async function handlePage(
  request: IncomingMessage,
  response: ServerResponse,
  store: Store,
  segments: readonly string[],
  query: URLSearchParams,
): Promise<void> {
  if (request.method !== "GET" && request.method !== "HEAD")
    return sendHtml(response, 405, messagePage("Not allowed", `${request.method} is not allowed on a page`));
  const [owner, name, wanted, ...rest] = segments;
  if (owner === undefined) {
    const text = (query.get("q") ?? "").trim();
    return sendHtml(response, 200, searchPage(text, store.search(text)));
  }
  const noRecipe = () => sendHtml(response, 404, messagePage("Not found", `There is no recipe at /${segments.join("/")}.`));
  if (name === undefined || rest.length > 0 || !isOwner(owner) || !isRecipeName(name)) return noRecipe();
  const recipe = store.recipe({ owner, name });
  if (recipe === undefined) return noRecipe();
  const versionText = wanted ?? recipe.latest ?? recipe.versions[0]?.version;
  const version = versionText !== undefined && isVersion(versionText) ? recipe.versions.find((v) => v.version === versionText) : undefined;
  if (version === undefined) return sendHtml(response, 404, messagePage("Not found", `${owner}/${name} has no version ${versionText}.`));
  const source = store.blob(version.sha256)!.toString("utf8");
  const program = await checkAsPublished(store, { owner, name, version: version.version }, source);
  const drawable = countBySeverity(program.diagnostics).errors === 0 && program.root.result?.run !== undefined;
  sendHtml(response, 200, versionPage({ recipe, version, source, graphSvg: drawable ? graphSvg(lowerProgram(program)) : undefined }));
}
