/**
 * The registry's web pages in headless Chromium (Debian's, driven by playwright-core): search,
 * follow a result, and read the recipe page's highlighted source, hashes, versions and stage
 * graph as a person sees them. `.ci/run` installs Chromium where it is missing.
 */
import { execFileSync } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sourceHash } from "../compiler/modules/registry-cache.js";
import { REPO_ROOT } from "../test/recipes.js";
import { startTestRegistry, type TestRegistry } from "./testing.js";

function findChromium(): string | undefined {
  try {
    return execFileSync("sh", ["-c", "command -v chromium"], { encoding: "utf8" }).trim() || undefined;
  } catch {
    return undefined;
  }
}

const executable = findChromium();
if (executable === undefined) console.warn("skipping the registry's browser test: no `chromium` on PATH (.ci/run installs Debian's)");

const SHOWCASE = path.join(REPO_ROOT, "test/fixtures/showcase.recipe");

describe.skipIf(executable === undefined)("registry web pages in Chromium", () => {
  let registry: TestRegistry;
  let browser: Browser;
  let source: string;

  beforeAll(async () => {
    registry = await startTestRegistry();
    const token = await registry.addUser("alice");
    source = await readFile(SHOWCASE, "utf8");
    for (const version of ["0.9.0", "1.0.0"]) {
      const response = await fetch(`${registry.url}/api/v1/recipes/alice/showcase/${version}`, {
        method: "PUT",
        headers: { authorization: `Bearer ${token}` },
        body: source,
      });
      expect(response.status).toBe(201);
    }
    // The flags keep a root, sandboxed, offline machine's Chromium from reaching for the network;
    // playwright gives it a new empty profile.
    browser = await chromium.launch({
      executablePath: executable,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await registry?.close();
  });

  it("finds a recipe by search and shows its source, hashes, versions and stage graph", async () => {
    const page = await browser.newPage();
    await page.goto(registry.url);
    await page.getByRole("searchbox", { name: "Search recipes" }).fill("flagship");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\?q=flagship/);
    await page.getByRole("link", { name: "alice/showcase" }).click();
    await page.waitForURL(`${registry.url}/alice/showcase`);

    expect(await page.locator("h1").innerText()).toBe("alice/showcase 1.0.0");
    expect(await page.locator("#sha256").innerText()).toBe(sourceHash(source));
    expect(await page.locator("#recipe-hash").innerText()).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(await page.locator("#use").innerText()).toBe(`use "registry:alice/showcase@1.0.0" sha256 "${sourceHash(source)}" as showcase`);

    // The source as text is the published source; its tokens carry the lexer's classes.
    expect(await page.locator("pre.source").innerText()).toBe(source);
    expect(await page.locator(".tok-keyword", { hasText: /^stage$/ }).count()).toBe(2);
    expect(await page.locator(".tok-comment").first().innerText()).toMatch(/^\/\/ The flagship recipe/);
    expect(await page.locator(".tok-number", { hasText: "200" }).count()).toBeGreaterThan(0);

    // The graph: one box per plan node, drawn (it has a size on the page), with its labels.
    const graph = page.locator(".graph svg");
    expect((await graph.boundingBox())!.width).toBeGreaterThan(300);
    const labels = await graph.locator("text").allTextContents();
    expect(labels).toContain("stage rl (rl, 200 steps, B=16 prompts x G=8)");
    expect(labels).toContain("Filter(PROF remove=4)");
    expect(await graph.locator("g.node").count()).toBe(12);

    expect(await page.locator("table.versions a").allInnerTexts()).toEqual(["1.0.0", "0.9.0"]);
    await page.locator("table.versions a", { hasText: "0.9.0" }).click();
    await page.waitForURL(`${registry.url}/alice/showcase/0.9.0`);
    expect(await page.locator("h1").innerText()).toBe("alice/showcase 0.9.0");
    await page.screenshot({ path: path.join(registry.dir, "recipe-page.png"), fullPage: true });
  });

  it("says so when nothing matches or a recipe does not exist", async () => {
    const page = await browser.newPage();
    await page.goto(`${registry.url}/?q=${encodeURIComponent("<script>nothing</script>")}`);
    expect(await page.locator("h1").innerText()).toBe("Recipes matching “<script>nothing</script>”");
    expect(await page.locator("main p").innerText()).toBe("No recipe matches.");
    const missing = await page.goto(`${registry.url}/alice/nothing-here`);
    expect(missing!.status()).toBe(404);
    expect(await page.locator("main p").innerText()).toBe("There is no recipe at /alice/nothing-here.");
  });
});
