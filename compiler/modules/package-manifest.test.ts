/**
 * A package's manifest and its pin: one hash whatever the order files are listed in, another for
 * any change to any file; paths that stay inside the package; and a pulled package's modules
 * reading their own files, and nothing outside the package (E1103).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkRecipe } from "../check-recipe.js";
import { type PackageManifest, packageHash, parseManifest } from "./package-manifest.js";
import { cachedPackage, sourceHash } from "./registry-cache.js";
import { recipeResolvers } from "./resolve.js";

const entry = (path: string, bytes: string) => ({ path, size: Buffer.byteLength(bytes), sha256: sourceHash(bytes) });

describe("a package manifest", () => {
  const recipe = entry("main.recipe", "let n = 1\n");
  const a = entry("a.jsonl", "{}\n");
  const b = entry("data/b.jsonl", "[]\n");

  it("hashes the same whatever the order of its files, and differently for any byte of any file", () => {
    const one = packageHash({ recipe, files: [a, b] });
    expect(packageHash({ recipe, files: [b, a] })).toBe(one);
    expect(packageHash({ recipe, files: [a, { ...b, sha256: sourceHash("[ ]\n") }] })).not.toBe(one);
    expect(packageHash({ recipe, files: [a, { ...b, path: "data/c.jsonl" }] })).not.toBe(one);
    expect(packageHash({ recipe: entry("main.recipe", "let n = 2\n"), files: [a, b] })).not.toBe(one);
  });

  it("refuses a path that leaves the package, is hidden, is listed twice, or is a file and a folder at once", () => {
    const refused = (files: unknown[]) => {
      const parsed = parseManifest({ recipe, files });
      return parsed.ok ? "accepted" : parsed.reason;
    };
    expect(refused([a, b])).toBe("accepted");
    expect(refused([{ ...a, path: "../a.jsonl" }])).toBe("the path `../a.jsonl` leaves the package (`..`)");
    expect(refused([{ ...a, path: "/etc/passwd" }])).toContain("is not a plain relative path");
    expect(refused([{ ...a, path: ".hidden" }])).toContain("is not a plain relative path");
    expect(refused([{ ...a, path: "data\\b.jsonl" }])).toContain("is not a plain relative path");
    expect(refused([a, a])).toBe("the path `a.jsonl` is listed twice");
    expect(refused([{ ...a, path: "main.recipe" }])).toBe("the path `main.recipe` is listed twice");
    expect(refused([{ ...a, path: "data" }, b])).toBe("the path `data/b.jsonl` is inside another listed file");
    expect(refused([{ path: "a.jsonl", size: -1, sha256: a.sha256 }])).toContain("is not {path, size, sha256");
  });
});

describe("a pulled package's modules read inside the package only", () => {
  const cache = mkdtempSync(path.join(tmpdir(), "roux-package-"));
  const env = { ROUX_CACHE: cache };
  const data = '{"prompt": "1+1=", "answer": "2"}\n';

  /** Puts a package into the cache as `roux pull` leaves it, and returns its pin. */
  function cachePackage(version: string, recipeText: string, more: Record<string, string> = {}): string {
    const { dir, manifest: manifestFile } = cachedPackage("lab", "shared", version, env);
    const files = { "data/train.jsonl": data, ...more };
    mkdirSync(path.join(dir, "data"), { recursive: true });
    writeFileSync(path.join(dir, "shared.recipe"), recipeText);
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    writeFileSync(path.join(cache, "outside.jsonl"), data);
    const manifest: PackageManifest = { recipe: entry("shared.recipe", recipeText), files: Object.entries(files).map(([name, text]) => entry(name, text)) };
    writeFileSync(manifestFile, JSON.stringify(manifest));
    return packageHash(manifest);
  }

  async function errorsOf(version: string, pin: string): Promise<string[]> {
    const file = path.join(cache, "main.recipe");
    const source = `use "registry:lab/shared@${version}" sha256 "${pin}" as shared\n\nlet d = shared.train\n`;
    const program = await checkRecipe(file, source, { resolvers: recipeResolvers(file, env) });
    return program.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`);
  }

  const reading = (file: string) => `data train = jsonl("${file}") { prompt = "prompt", answer = "answer" }\n`;

  it("reads a file inside the package, and refuses one outside it", async () => {
    expect(await errorsOf("1.0.0", cachePackage("1.0.0", reading("data/train.jsonl")))).toEqual([]);
    expect(await errorsOf("2.0.0", cachePackage("2.0.0", reading("../../../../outside.jsonl")))).toEqual([
      "E1103 registry module `registry:lab/shared@2.0.0`: a registry package reads only its own files, and this names `../../../../outside.jsonl`, outside the package",
    ]);
  });

  it("imports a `./` module inside the package, and refuses one outside it", async () => {
    writeFileSync(path.join(cache, "lib.recipe"), "let n = 1\n");
    const inside = cachePackage("4.0.0", `use "./lib.recipe" as lib\n${reading("data/train.jsonl")}`, { "lib.recipe": "let n = 1\n" });
    expect(await errorsOf("4.0.0", inside)).toEqual([]);
    const outside = cachePackage("5.0.0", `use "../../../../lib.recipe" as lib\n${reading("data/train.jsonl")}`);
    expect(await errorsOf("5.0.0", outside)).toEqual([
      "E1103 registry module `registry:lab/shared@5.0.0`: a registry package reads only its own files, and this names `../../../../lib.recipe`, outside the package",
    ]);
  });

  it("refuses a package whose manifest does not hash to the pin, or whose recipe was changed", async () => {
    const pin = cachePackage("3.0.0", reading("data/train.jsonl"));
    const [wrongPin] = await errorsOf("3.0.0", "0".repeat(64));
    expect(wrongPin).toContain(`E1103 registry module \`registry:lab/shared@3.0.0\`: the cached package's hash is ${pin.slice(0, 12)}…`);
    writeFileSync(path.join(cachedPackage("lab", "shared", "3.0.0", env).dir, "shared.recipe"), reading("../../../../outside.jsonl"));
    expect(await errorsOf("3.0.0", pin)).toEqual([
      "E1103 registry module `registry:lab/shared@3.0.0`: the cached package's recipe was changed after it was pulled",
    ]);
  });
});
