/**
 * A package version's web page, against a real registry on loopback: it lists every file with
 * its size and sha256, each linking to a download of exactly those bytes, and says plainly when
 * the package holds JS/TS code that runs on the machine of whoever runs the recipe. A path is
 * written escaped however it reads, and a path with markup in it is refused at publish.
 */
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { registryForTests, sha256Hex } from "./testing.js";
import { fileList } from "./web/file-list.js";

const tested = registryForTests("alice");
const { roux } = tested;

/** Writes the files into a new folder and publishes its `main.recipe` as alice/NAME@1.0.0. */
async function publish(name: string, files: Record<string, string>): Promise<{ pin: string }> {
  const folder = path.join(tested.registry.dir, name);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(folder, file)), { recursive: true });
    await writeFile(path.join(folder, file), text);
  }
  const published = await roux("publish", path.join(folder, "main.recipe"), "--name", `alice/${name}`, "--version", "1.0.0");
  expect(published.status, published.stderr).toBe(0);
  return { pin: published.stdout.split("\n")[0]!.slice("sha256 ".length) };
}

async function page(name: string): Promise<string> {
  const response = await fetch(`${tested.registry.url}/alice/${name}/1.0.0`);
  expect(response.status).toBe(200);
  return response.text();
}

/** The file table's rows as a reader sees them: link, path, code mark, size, sha256. */
function fileRows(html: string) {
  const table = /<table class="files">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? "";
  const row = /<tr><td><a href="([^"]*)" download>([^<]*)<\/a>( <span class="code">code<\/span>)?<\/td><td>([^<]*)<\/td><td><code>([^<]*)<\/code><\/td><\/tr>/g;
  return [...table.matchAll(row)].map(([, href, file, code, size, hash]) => ({ href: href!, file: file!, code: code !== undefined, size, hash }));
}

const DATA = '{"question": "1+1=", "answer": "2"}\n';
const REWARD =
  "// 1 when the response ends with an answer line.\nexport function score(response: string): number {\n  return /answer: -?\\d+$/.test(response.trim()) ? 1 : 0;\n}\n";
const DATASET = 'data train = jsonl("data/train.jsonl") { prompt = "question", answer = "answer" }\n';
const CODE_REWARD = 'reward fmt : outcome = js("rewards/format.ts", "score") { range = 0..1 }\n';
const PLAIN_REWARD = 'reward correct : outcome = exact_match(extract = r"(\\d+)")\n';

describe("a package version's page", () => {
  it("lists every file with its size and sha256, each linked to its download, and warns that the package runs code", async () => {
    const recipe = DATASET + CODE_REWARD;
    const { pin } = await publish("with-code", { "main.recipe": recipe, "data/train.jsonl": DATA, "rewards/format.ts": REWARD });
    const html = await page("with-code");
    const rows = fileRows(html);
    expect(rows.map(({ href, ...rest }) => rest)).toEqual([
      { file: "main.recipe", code: false, size: `${Buffer.byteLength(recipe)} bytes`, hash: sha256Hex(recipe) },
      { file: "data/train.jsonl", code: false, size: `${Buffer.byteLength(DATA)} bytes`, hash: sha256Hex(DATA) },
      { file: "rewards/format.ts", code: true, size: `${Buffer.byteLength(REWARD)} bytes`, hash: sha256Hex(REWARD) },
    ]);
    for (const { href, hash } of rows) {
      const download = await fetch(new URL(href.replace(/&amp;/g, "&"), tested.registry.url));
      expect(download.status).toBe(200);
      expect(sha256Hex(Buffer.from(await download.arrayBuffer()))).toBe(hash);
    }
    expect(html).toContain(
      '<p class="warning" id="runs-code"><strong>This package runs code on your machine when you run it</strong>: it contains a JS/TS module',
    );
    // The pin shown is the package's hash, the one `roux pull` writes into the use line.
    expect(/<pre id="use">([^<]*)<\/pre>/.exec(html)?.[1]).toContain(` sha256 &quot;${pin}&quot;`);
    expect(/<code id="sha256">([^<]*)<\/code>/.exec(html)?.[1]).toBe(pin);
  });

  it("shows no code warning for a package of data alone", async () => {
    await publish("data-only", { "main.recipe": DATASET + PLAIN_REWARD, "data/train.jsonl": DATA });
    const html = await page("data-only");
    expect(fileRows(html).map((r) => [r.file, r.code])).toEqual([
      ["main.recipe", false],
      ["data/train.jsonl", false],
    ]);
    expect(html).not.toContain("runs code");
  });
});

describe("a file path on the page is text, never markup", () => {
  const recipe = DATASET + PLAIN_REWARD;
  const hostile = '<img src=x onerror="alert(1)">/a\'b&c.jsonl';

  it("is refused at publish when it holds markup, and nothing is published", async () => {
    const manifest = {
      recipe: { path: "main.recipe", size: Buffer.byteLength(recipe), sha256: sha256Hex(recipe) },
      files: [{ path: hostile, size: Buffer.byteLength(DATA), sha256: sha256Hex(DATA) }],
    };
    const response = await fetch(`${tested.registry.url}/api/v1/recipes/alice/hostile/1.0.0`, {
      method: "PUT",
      headers: { authorization: `Bearer ${tested.token}`, "content-type": "application/json" },
      body: JSON.stringify(manifest),
    });
    expect(response.status).toBe(400);
    expect((await fetch(`${tested.registry.url}/alice/hostile`)).status).toBe(404);
  });

  it("is written escaped, in the link and the text, should a listed path ever hold markup", () => {
    const file = { path: hostile, size: 1, sha256: sha256Hex("x") };
    const html = fileList({ owner: "alice", name: "hostile", version: "1.0.0" }, { recipe: { ...file, path: "main.recipe" }, files: [file] });
    expect(html).not.toMatch(/<img|onerror="|'b/);
    expect(html).toContain(">&lt;img src=x onerror=&quot;alert(1)&quot;&gt;/a&#39;b&amp;c.jsonl</a>");
    expect(html).toContain(`href="/api/v1/recipes/alice/hostile/1.0.0/files/${encodeURIComponent('<img src=x onerror="alert(1)">')}/a&#39;b%26c.jsonl"`);
  });
});
