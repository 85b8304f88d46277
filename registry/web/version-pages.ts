/**
 * Where a version page's costly parts come from: the store, where a publish leaves them. A
 * version published before pages were stored is rendered once, by a check worker, on its first
 * view, and stored; views that arrive while it renders wait for that one render. A render over
 * the check budget stores a plain page instead (the source unhighlighted, no graph), so a costly
 * old version costs the workers once, not once per view.
 */
import { OverBudget, type CheckPool } from "../check-pool.js";
import { refText, type VersionRef } from "../names.js";
import type { PageParts, Store, StoredPage } from "../store.js";
import { escapeHtml } from "./html.js";
import { PAGE_BUDGET, sourcePart } from "./page-parts.js";

export class VersionPages {
  private readonly rendering = new Map<string, Promise<StoredPage>>();

  constructor(
    private readonly store: Store,
    private readonly checks: CheckPool,
  ) {}

  async parts(ref: VersionRef, sha256: string): Promise<StoredPage> {
    const stored = this.store.page(ref);
    if (stored !== undefined) return stored;
    const key = refText(ref);
    let render = this.rendering.get(key);
    if (render === undefined) {
      render = this.render(ref, sha256).finally(() => this.rendering.delete(key));
      this.rendering.set(key, render);
    }
    return render;
  }

  private async render(ref: VersionRef, sha256: string): Promise<StoredPage> {
    const source = this.store.blob(sha256)!.toString("utf8");
    let parts: PageParts;
    try {
      parts = await this.checks.page(ref, source);
    } catch (error) {
      if (!(error instanceof OverBudget)) throw error;
      const graph = `<p class="muted">The stage graph is not drawn: ${escapeHtml(error.message)}.</p>`;
      parts = { graph, source: sourcePart(ref, source, PAGE_BUDGET / 2, escapeHtml) };
    }
    this.store.savePage(ref, parts);
    return this.store.page(ref)!;
  }
}
