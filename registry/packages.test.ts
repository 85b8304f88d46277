/**
 * Packages against a real registry on loopback: the flagship recipe published with its learned
 * PRM, pulled into an empty folder and checked there to the same recipe hash; and the ways a
 * package must be refused, whole, with nothing of it visible.
 */
import { mkdir, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { packageHash, parseManifest } from "../compiler/modules/package-manifest.js";
import { cachedPackage } from "../compiler/modules/registry-cache.js";
import { readJsonl } from "../runtime/record/jsonl-log.js";
import { REPO_ROOT } from "../test/recipes.js";
import { BlobStore } from "./blobs.js";
import { registryForTests, sha256Hex } from "./testing.js";

const FLAGSHIP = path.join(REPO_ROOT, "recipes", "arith", "flagship.recipe");

/** A recipe whose RL stage is scored by `judge.mjs` beside it. */
const JUDGED = `use "std/arith" as arith

model policy = transformer { layers = 1, d_model = 16, heads = 2, context = 32, tokenizer = arith.tokenizer }
data train = arith.problems { count = 8, depth = 2..2, seed = 1 }
reward judge : outcome = js("judge.mjs", "score") { range = 0..1 }

stage rl = grpo with {
  data = train
  steps = 1 steps
  batch = 1
  group = 2
  sample = { temperature = 1.0, max_tokens = 16 tokens }
  reward = judge
}

run {
  stages = rl
  seed = 1
}
`;

const tested = registryForTests("alice");
const { roux } = tested;

/** A raw API request with alice's token, as a client other than `roux` could send it. */
async function api(method: string, route: string, body: string | Buffer, type: string): Promise<{ status: number; error?: string }> {
  const response = await fetch(new URL(route, tested.registry.url), {
    method,
    headers: { authorization: `Bearer ${tested.token}`, "content-type": type },
    body: new Uint8Array(Buffer.from(body)),
  });
  return { status: response.status, error: ((await response.json()) as { error?: string }).error };
}

describe("a package: a recipe with the files its check reads", () => {
  it("publishes the flagship with prm.onnx, pulls it into an empty folder, and checks there to the same recipe hash", async () => {
    const onnx = await readFile(path.join(REPO_ROOT, "recipes", "arith", "prm.onnx"));
    const published = await roux("publish", FLAGSHIP, "--name", "alice/flagship", "--version", "1.0.0");
    expect(published.stderr, published.stderr).toContain(`package alice/flagship@1.0.0: flagship.recipe and 1 file it reads`);
    expect(published.stderr).toContain(`  prm.onnx  ${onnx.length} bytes  sha256 ${sha256Hex(onnx)}\n`);
    expect(published.status).toBe(0);
    const manifest = {
      recipe: { path: "flagship.recipe", size: (await readFile(FLAGSHIP)).length, sha256: sha256Hex(await readFile(FLAGSHIP)) },
      files: [{ path: "prm.onnx", size: onnx.length, sha256: sha256Hex(onnx) }],
    };
    const pin = packageHash(manifest);
    expect(published.stdout.split("\n")[0]).toBe(`sha256 ${pin}`);
    expect((await roux("info", "alice/flagship")).stdout).toContain(`1.0.0      sha256 ${pin}  recipe sha256:`);
    expect((await roux("info", "alice/flagship")).stdout).toContain("  package of 2 files\n");

    const empty = path.join(tested.registry.dir, "elsewhere");
    await mkdir(empty);
    const lock = path.join(empty, "roux.lock");
    const pulled = await roux("pull", "--lock", lock, "alice/flagship@1.0.0");
    expect(pulled.status, pulled.stderr).toBe(0);
    const use = `use "registry:alice/flagship@1.0.0" sha256 "${pin}" as flagship`;
    expect(pulled.stdout).toBe(`${use}\n`);
    expect(JSON.parse(await readFile(lock, "utf8")).modules["alice/flagship@1.0.0"].sha256).toBe(pin);
    const { dir } = cachedPackage("alice", "flagship", "1.0.0", tested.registry.env);
    expect(await readFile(path.join(dir, "prm.onnx"))).toEqual(onnx);

    const here = await roux("check", "--hash", path.join(dir, "flagship.recipe"));
    const there = await roux("check", "--hash", FLAGSHIP);
    expect(here.status, here.stderr).toBe(0);
    expect(here.stdout.split(" ")[0]).toBe(there.stdout.split(" ")[0]);

    // Imported, the package's recipe reads its model inside the package, where the check finds it.
    const importer = path.join(empty, "uses.recipe");
    await writeFile(importer, `${use}\n\nreward learned : process = flagship.prm\n`);
    const checked = await roux("check", importer);
    expect(checked.stderr).toContain("0 errors");
    // In the same process, which read the model's header for the check above: it reads again.
    await rm(path.join(dir, "prm.onnx"));
    const lacking = await roux("check", importer);
    expect(lacking.status).toBe(1);
    expect(lacking.stderr).toContain("error[E3301]");
    expect(lacking.stderr).toContain("prm.onnx");
    // Pulling again restores what was published, and only that.
    await writeFile(path.join(dir, "stray.jsonl"), "{}\n");
    expect((await roux("pull", "--lock", lock, "alice/flagship@1.0.0")).status).toBe(0);
    expect(await readFile(path.join(dir, "prm.onnx"))).toEqual(onnx);
    expect((await readdir(dir)).sort()).toEqual(["flagship.recipe", "prm.onnx"]);
  });

  it("runs the pulled flagship's shortened form to the same first steps' metrics as the author's", async () => {
    const { dir } = cachedPackage("alice", "flagship", "1.0.0", tested.registry.env);
    const short = ["warmup.steps=2 steps", "rl.steps=1 steps", "test.count=16", "demos.count=200", "train.count=100"];
    const firstSteps = async (recipe: string, out: string) => {
      // --no-cache: the pulled run must compute its steps, not take the author's from the stage cache they share.
      const result = await roux("run", "--no-cache", ...[`run.out="${out}"`, ...short].flatMap((set) => ["--set", set]), recipe);
      expect(result.status, result.stderr).toBe(0);
      const [runDir] = await readdir(out);
      const { records } = await readJsonl(path.join(out, runDir!, "metrics.jsonl"));
      // Timings and throughputs are the machine's; every other value is the recipe's, seeded.
      return records.map((record) => Object.fromEntries(Object.entries(record).filter(([key]) => !/^time|_s$/.test(key))));
    };
    const author = await firstSteps(FLAGSHIP, path.join(tested.registry.dir, "runs", "author"));
    const pulled = await firstSteps(path.join(dir, "flagship.recipe"), path.join(tested.registry.dir, "runs", "pulled"));
    expect(pulled.map((r) => `${r.stage}@${r.step}`)).toEqual(["warmup@1", "warmup@2", "rl@1"]);
    // The learned PRM scored the rollouts: it was read from the package.
    expect(pulled[2]!.reward_prm_mean).toBeGreaterThan(0);
    expect(pulled).toEqual(author);
  });

  it("checks an upload importing a package with the package's own files, and removes the folders it checked them in", async () => {
    const folder = path.join(tested.registry.dir, "shared");
    await mkdir(folder);
    await writeFile(path.join(folder, "d.jsonl"), '{"prompt": "1+1=", "answer": "2"}\n');
    await writeFile(path.join(folder, "lib.recipe"), 'data train = jsonl("d.jsonl") { prompt = "prompt", answer = "answer" }\n');
    const lib = await roux("publish", path.join(folder, "lib.recipe"), "--name", "alice/shared-data", "--version", "1.0.0");
    expect(lib.status, lib.stderr).toBe(0);
    const pin = lib.stdout.split("\n")[0]!.slice("sha256 ".length);
    const use = `use "registry:alice/shared-data@1.0.0" sha256 "${pin}" as shared`;
    await writeFile(path.join(folder, "uses.recipe"), `${use}\n\nlet d = shared.train\n`);
    const uses = await roux("publish", path.join(folder, "uses.recipe"), "--name", "alice/uses-data", "--version", "1.0.0");
    expect(uses.stderr).toContain("published alice/uses-data@1.0.0");
    expect(uses.status).toBe(0);
    // The folders the files were linked into for the checks are gone.
    expect(await readdir(path.join(`${tested.registry.db}.blobs`, "checks"))).toEqual([]);
  });

  it("publishes a reward module with the modules it imports, and the pulled recipe scores with them", async () => {
    const folder = path.join(tested.registry.dir, "judged");
    await mkdir(path.join(folder, "lib"), { recursive: true });
    await writeFile(
      path.join(folder, "judge.mjs"),
      'import { exact } from "./lib/helper.js";\nimport { readFileSync } from "node:fs";\nexport const score = (s) => exact(s) + 0 * readFileSync.length;\n',
    );
    await writeFile(
      path.join(folder, "lib", "helper.js"),
      'const { trimmed } = require("./trim");\nexports.exact = (s) => (trimmed(s.response) === s.answer ? 1 : 0);\n',
    );
    await writeFile(path.join(folder, "lib", "trim.js"), "exports.trimmed = (text) => text.trim();\n");
    await writeFile(path.join(folder, "unused.js"), "exports.never = 1;\n");
    await writeFile(path.join(folder, "judged.recipe"), JUDGED);
    const published = await roux("publish", path.join(folder, "judged.recipe"), "--name", "alice/judged", "--version", "1.0.0");
    expect(published.status, published.stderr).toBe(0);
    expect(published.stderr).toContain("judged.recipe and 3 files it reads");
    expect(published.stderr).toMatch(/\n {2}judge\.mjs .*\n {2}lib\/helper\.js .*\n {2}lib\/trim\.js /);
    expect(published.stderr).toContain("npm packages");

    expect((await roux("pull", "--lock", path.join(tested.registry.dir, "judged.lock"), "alice/judged@1.0.0")).status).toBe(0);
    const { dir } = cachedPackage("alice", "judged", "1.0.0", tested.registry.env);
    expect((await readdir(dir, { recursive: true })).sort()).toEqual(["judge.mjs", "judged.recipe", "lib", "lib/helper.js", "lib/trim.js"]);
    const batch = path.join(tested.registry.dir, "judged-batch.json");
    await writeFile(batch, JSON.stringify({ groups: [{ prompt: "2+3", answer: "5", responses: [{ text: " 5 " }, { text: "13" }] }] }));
    const scored = await roux("rewards", "--stage", "rl", "--batch", batch, path.join(dir, "judged.recipe"));
    expect(scored.status, scored.stderr).toBe(0);
    expect(scored.stdout).toMatch(/"judge":\s*\[?\s*1\b[\s\S]*"judge":\s*\[?\s*0\b/);
  });

  it("refuses to publish a reward module that imports a file outside the recipe's folder", async () => {
    const folder = path.join(tested.registry.dir, "leaky");
    await mkdir(folder);
    await writeFile(path.join(tested.registry.dir, "outside.js"), "export const exact = () => 1;\n");
    await writeFile(path.join(folder, "judge.mjs"), 'import { exact } from "../outside.js";\nexport const score = exact;\n');
    await writeFile(path.join(folder, "judged.recipe"), JUDGED);
    const refused = await roux("publish", path.join(folder, "judged.recipe"), "--name", "alice/leaky", "--version", "1.0.0");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `error: judge.mjs imports \`../outside.js\`, which is outside the recipe's folder ${folder}: a package holds only files inside it (no \`../\`)\n`,
    );
    expect((await roux("info", "alice/leaky")).status).toBe(1);
  });

  it("refuses a pull whose file arrives with other bytes than its manifest lists, and caches no package", async () => {
    const folder = path.join(tested.registry.dir, "small");
    await mkdir(folder);
    await writeFile(path.join(folder, "data.jsonl"), '{"prompt": "1+1=", "answer": "2"}\n');
    await writeFile(
      path.join(folder, "small.recipe"),
      'data train = jsonl("data.jsonl") { prompt = "prompt", answer = "answer" }\nreward correct : outcome = exact_match(extract = r"(\\d+)")\n',
    );
    const published = await roux("publish", path.join(folder, "small.recipe"), "--name", "alice/small", "--version", "1.0.0");
    expect(published.status, published.stderr).toBe(0);
    const blob = new BlobStore(`${tested.registry.db}.blobs`).path(sha256Hex('{"prompt": "1+1=", "answer": "2"}\n'));
    await writeFile(blob, '{"prompt": "1+1=", "answer": "3"}\n');
    const pulled = await roux("pull", "--lock", path.join(folder, "roux.lock"), "alice/small@1.0.0");
    expect(pulled.status).toBe(1);
    expect(pulled.stderr).toContain("alice/small@1.0.0's `data.jsonl` arrived with sha256");
    await expect(readFile(cachedPackage("alice", "small", "1.0.0", tested.registry.env).manifest)).rejects.toThrow();
  });
});

describe("a package is refused whole, with nothing of it visible", () => {
  const recipe = 'reward correct : outcome = exact_match(extract = r"(\\d+)")\n';

  it("shows a refused package's diagnostics at the package's paths, and publishes nothing", async () => {
    const folder = path.join(tested.registry.dir, "wrong");
    await mkdir(folder);
    await writeFile(path.join(folder, "d.jsonl"), '{"prompt": "1+1=", "answer": "2"}\n');
    await writeFile(path.join(folder, "x.recipe"), 'data train = jsonl("d.jsonl") { prompt = "prompt", answer = "nope" }\n');
    const refused = await roux("publish", path.join(folder, "x.recipe"), "--name", "alice/wrong", "--version", "1.0.0");
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain("error[E3201]: dataset file d.jsonl: no key `nope`\n --> registry:alice/wrong@1.0.0/x.recipe:1:61\n");
    expect((await roux("info", "alice/wrong")).status).toBe(1);
  });

  it("refuses a file over the registry's --max-file-mb, and a package over --max-package-mb", async () => {
    const folder = path.join(tested.registry.dir, "large");
    await mkdir(folder);
    await writeFile(path.join(folder, "a.jsonl"), `{"prompt": "${"x".repeat(700 * 1024)}", "answer": "2"}\n`);
    await writeFile(path.join(folder, "b.jsonl"), `{"prompt": "${"y".repeat(700 * 1024)}", "answer": "2"}\n`);
    const data = (name: string) => `data ${name} = jsonl("${name}.jsonl") { prompt = "prompt", answer = "answer" }\n`;
    await writeFile(path.join(folder, "one.recipe"), data("a"));
    await writeFile(path.join(folder, "two.recipe"), data("a") + data("b"));
    try {
      await tested.registry.restart(["--max-file-mb", "0.5", "--max-package-mb", "1"]);
      const file = await roux("publish", path.join(folder, "one.recipe"), "--name", "alice/large", "--version", "1.0.0");
      expect(file.stderr).toContain("error: a file may be at most 524288 bytes\n");
      await tested.registry.restart(["--max-package-mb", "1"]);
      const all = await roux("publish", path.join(folder, "two.recipe"), "--name", "alice/large", "--version", "1.0.0");
      expect(all.stderr).toMatch(/error: the package is \d+ bytes; a package may be at most 1048576 bytes \(1 MiB\) on this registry\n$/);
    } finally {
      await tested.registry.restart([]);
    }
    expect((await roux("info", "alice/large")).status).toBe(1);
  });

  it("refuses a blob whose bytes do not hash to its name", async () => {
    const named = sha256Hex("what was meant");
    const refused = await api("PUT", `/api/v1/blobs/${named}`, "what arrived", "application/octet-stream");
    expect(refused.status).toBe(422);
    expect(refused.error).toBe(`the upload's sha256 is ${sha256Hex("what arrived")}, not ${named}: it changed on the way, or was named wrong`);
    expect(new BlobStore(`${tested.registry.db}.blobs`).has(named)).toBe(false);
  });

  it("refuses a manifest naming a file the registry lacks, and publishes nothing", async () => {
    expect((await api("PUT", `/api/v1/blobs/${sha256Hex(recipe)}`, recipe, "application/octet-stream")).status).toBe(201);
    const missing = sha256Hex("never uploaded");
    const manifest = {
      recipe: { path: "r.recipe", size: Buffer.byteLength(recipe), sha256: sha256Hex(recipe) },
      files: [{ path: "m.onnx", size: 14, sha256: missing }],
    };
    const refused = await api("PUT", "/api/v1/recipes/alice/lacking/1.0.0", JSON.stringify(manifest), "application/json");
    expect(refused.status).toBe(422);
    expect(refused.error).toBe(`the registry has no file with sha256 ${missing} for \`m.onnx\`: upload it first (PUT /api/v1/blobs/${missing})`);
    expect((await roux("info", "alice/lacking")).stderr).toBe("error: alice/lacking is not published\n");
  });

  it("refuses a manifest path that leaves the package", async () => {
    const manifest = {
      recipe: { path: "r.recipe", size: Buffer.byteLength(recipe), sha256: sha256Hex(recipe) },
      files: [{ path: "../r.recipe", size: 1, sha256: sha256Hex(recipe) }],
    };
    expect(parseManifest(manifest)).toEqual({ ok: false, reason: "the path `../r.recipe` leaves the package (`..`)" });
    const refused = await api("PUT", "/api/v1/recipes/alice/escaping/1.0.0", JSON.stringify(manifest), "application/json");
    expect(refused).toEqual({ status: 400, error: "the path `../r.recipe` leaves the package (`..`)" });
    expect((await roux("info", "alice/escaping")).status).toBe(1);
  });

  it("refuses to publish a recipe naming a file outside its folder, by `../` or by a symlink", async () => {
    const outside = path.join(tested.registry.dir, "secret.jsonl");
    await writeFile(outside, '{"prompt": "p", "answer": "a"}\n');
    const folder = path.join(tested.registry.dir, "publisher");
    await mkdir(folder);
    await symlink(outside, path.join(folder, "linked.jsonl"));
    const reads = (file: string) => `data train = jsonl("${file}") { prompt = "prompt", answer = "answer" }\n${recipe}`;
    await writeFile(path.join(folder, "up.recipe"), reads("../secret.jsonl"));
    await writeFile(path.join(folder, "link.recipe"), reads("linked.jsonl"));

    const up = await roux("publish", path.join(folder, "up.recipe"), "--name", "alice/up", "--version", "1.0.0");
    expect(up.status).toBe(1);
    expect(up.stderr).toBe(`error: ${outside} is outside the recipe's folder ${folder}: a package holds only files inside it (no \`../\`)\n`);
    const link = await roux("publish", path.join(folder, "link.recipe"), "--name", "alice/link", "--version", "1.0.0");
    expect(link.status).toBe(1);
    expect(link.stderr).toBe(
      `error: ${path.join(folder, "linked.jsonl")} is a symlink to ${outside}, outside the recipe's folder: a package holds only files inside it\n`,
    );
    for (const name of ["up", "link"]) expect((await roux("info", `alice/${name}`)).status).toBe(1);
  });
});
