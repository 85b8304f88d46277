/**
 * A registry page view of a 1 MiB recipe after its publish, against a GET of the same version's
 * raw source from the same server. The page was rendered at publish and stored
 * (registry/web/version-pages.ts), so a view is a read and a write of at most the page budget.
 * The server runs in this process, on loopback. Runs alone too: `node dist/bench/registry-page.js`.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { serveRegistry } from "../registry/server.js";
import { Store } from "../registry/store.js";
import { newToken, tokenSha256 } from "../registry/tokens.js";
import { generatePair } from "./generate.js";
import { formatComparison, medianMillisAsync, type Comparison } from "./measure.js";

const fetched = (url: string) => async () => {
  const response = await fetch(url);
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`GET ${url} answered ${response.status}`);
};

export async function registryPageBench(): Promise<Comparison> {
  const dir = await mkdtemp(path.join(tmpdir(), "roux-bench-registry-"));
  const db = path.join(dir, "registry.db");
  const token = newToken("bench");
  const store = await Store.open(db);
  store.addToken("bench", tokenSha256(token));
  store.close();
  // The publish is not what is measured: a budget it cannot exceed on a slow machine.
  const registry = await serveRegistry({ db, port: 0, host: "127.0.0.1", log: (line) => console.error(line), checks: { seconds: 600 } });
  try {
    const recipe = generatePair(37_000).recipe;
    const version = `${registry.url}/api/v1/recipes/bench/big/1.0.0`;
    const published = await fetch(version, { method: "PUT", headers: { authorization: `Bearer ${token}` }, body: recipe });
    if (published.status !== 201) throw new Error(`the bench recipe was not published: ${await published.text()}`);
    return {
      name: `registry page of a ${(Buffer.byteLength(recipe) / 2 ** 20).toFixed(2)} MiB recipe`,
      millis: await medianMillisAsync(fetched(`${registry.url}/bench/big/1.0.0`), 15),
      baseline: "GET of its raw source",
      baselineMillis: await medianMillisAsync(fetched(`${version}/source`), 15),
      goal: "under 50 ms after publish",
    };
  } finally {
    await registry.close();
    await rm(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) console.log(formatComparison(await registryPageBench()));
