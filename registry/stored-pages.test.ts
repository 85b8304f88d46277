/**
 * A version's page is rendered once and stored, against a real server on loopback: at publish,
 * or on the first view of a version published before pages were stored. Views then run no
 * check, which a server whose check budget no check can meet shows: it still serves the page,
 * byte for byte. A page keeps to its size budget however large the recipe.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generatePair } from "../bench/generate.js";
import { REPO_ROOT } from "../test/recipes.js";
import { MAX_RECIPE_BYTES } from "./body.js";
import { startTestRegistry, type TestRegistry } from "./testing.js";
import { PAGE_BUDGET } from "./web/page-parts.js";

const GENEROUS = ["--check-seconds", "600"];
// No check finishes in a millisecond: a page served under this budget was not checked for the view.
const NO_CHECK_FITS = ["--check-seconds", "0.001"];

let registry: TestRegistry;
let alice: string;
let showcase: string;

beforeAll(async () => {
  registry = await startTestRegistry(GENEROUS);
  alice = await registry.addUser("alice");
  showcase = await readFile(path.join(REPO_ROOT, "test/fixtures/showcase.recipe"), "utf8");
});
afterAll(() => registry.close());

async function publish(route: string, body: string): Promise<void> {
  const response = await fetch(`${registry.url}/api/v1/recipes/${route}`, { method: "PUT", headers: { authorization: `Bearer ${alice}` }, body });
  expect(response.status, await response.text()).toBe(201);
}

async function view(route: string): Promise<string> {
  const response = await fetch(`${registry.url}/${route}`);
  expect(response.status).toBe(200);
  return response.text();
}

/** Drops a version's stored page, as for a version published before pages were stored. */
function forgetPage(version: string): void {
  const db = new Database(registry.db);
  try {
    db.prepare("DELETE FROM pages WHERE owner = 'alice' AND name = 'showcase' AND version = ?").run(version);
  } finally {
    db.close();
  }
}

const textOf = (html: string) =>
  html.replace(/<[^>]*>/g, "").replace(/&(lt|gt|quot|#39|amp);/g, (_, e: string) => ({ lt: "<", gt: ">", quot: '"', "#39": "'", amp: "&" })[e]!);

describe("stored version pages", () => {
  it("keeps the page of a 1 MiB recipe within its budget: the source cut at a line, with a link to all of it", async () => {
    const big = generatePair(37_000).recipe;
    expect(Buffer.byteLength(big)).toBeGreaterThan(0.9 * MAX_RECIPE_BYTES);
    await publish("alice/big/1.0.0", big);
    const html = await view("alice/big/1.0.0");
    expect(Buffer.byteLength(html)).toBeLessThanOrEqual(PAGE_BUDGET);
    const [, shownLines, allLines] = /The first (\d+) of (\d+) lines, as much as a page shows/.exec(html) ?? [];
    expect(Number(allLines)).toBe(big.split("\n").length - 1);
    const [, shown] = /<pre class="source"><code>([\s\S]*?)<\/code><\/pre>/.exec(html) ?? [];
    const text = textOf(shown!);
    expect(big.startsWith(text)).toBe(true);
    expect(text.split("\n").length - 1).toBe(Number(shownLines));
    const [, link] = /<a href="([^"]+)">download the whole source<\/a>/.exec(html) ?? [];
    expect(await (await fetch(`${registry.url}${link}`)).text()).toBe(big);
  }, 120_000);

  it("renders a page at publish, so a view runs no check", async () => {
    await publish("alice/showcase/0.9.0", showcase);
    await publish("alice/showcase/1.0.0", showcase);
    const published = await view("alice/showcase/1.0.0");
    expect(published).toContain('<div class="graph"><svg');
    expect(published).toContain('<span class="tok-keyword">stage</span>');
    await registry.restart(NO_CHECK_FITS);
    expect(await view("alice/showcase/1.0.0")).toBe(published);
  });

  it("renders the page of a version published before pages were stored once, on its first view", async () => {
    const before = await view("alice/showcase/0.9.0");
    forgetPage("0.9.0");
    await registry.restart(GENEROUS);
    expect(await view("alice/showcase/0.9.0")).toBe(before);
    await registry.restart(NO_CHECK_FITS);
    expect(await view("alice/showcase/0.9.0")).toBe(before);
  });

  it("lists the newest 100 versions on a page and counts the rest", async () => {
    await registry.restart(GENEROUS);
    const versions = Array.from({ length: 102 }, (_, i) => `1.${i}.0`);
    await Promise.all(
      versions.map((version) => publish(`alice/many/${version}`, `// version ${version}\nreward r : outcome = exact_match(extract = r"(\\d+)")\n`)),
    );
    const html = await view("alice/many/1.101.0");
    const listed = [...html.matchAll(/<tr><td><a href="\/alice\/many\/([^"]+)">/g)].map((m) => m[1]);
    expect(listed).toEqual(versions.slice(2).reverse());
    expect(html).toContain("and 2 older: <code>roux info alice/many</code> lists them all.");
  }, 120_000);

  it("stores a plain page for a version whose render does not fit the budget, and serves it from then on", async () => {
    forgetPage("0.9.0");
    await registry.restart(NO_CHECK_FITS);
    const plain = await view("alice/showcase/0.9.0");
    expect(plain).toContain("The stage graph is not drawn: the check took longer than 0.001 s, the registry&#39;s time budget for one check.");
    const [, shown] = /<pre class="source"><code>([\s\S]*?)<\/code><\/pre>/.exec(plain) ?? [];
    expect(shown).not.toContain("<span");
    expect(textOf(shown!)).toBe(showcase);
    await registry.restart(GENEROUS);
    expect(await view("alice/showcase/0.9.0")).toBe(plain);
  });
});
