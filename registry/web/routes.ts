/**
 * The web pages' routes: `/` (search, `?q=TEXT`), `/OWNER/NAME` (its newest version) and
 * `/OWNER/NAME/VERSION`. A version page's graph and highlighted source were rendered once and
 * stored (version-pages.ts): a view re-checks nothing, as the version it shows cannot change.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { isOwner, isRecipeName, isVersion } from "../names.js";
import { sendHtml } from "../respond.js";
import type { Store } from "../store.js";
import { messagePage, searchPage, versionPage } from "./pages.js";
import type { VersionPages } from "./version-pages.js";

export async function handlePage(
  request: IncomingMessage,
  response: ServerResponse,
  store: Store,
  pages: VersionPages,
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
  const parts = await pages.parts({ owner, name, version: version.version }, version.sha256);
  sendHtml(response, 200, versionPage({ recipe, version, parts }));
}
