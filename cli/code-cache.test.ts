import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cachePath, runCached } from "./code-cache.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), "roux-code-cache-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A CommonJS bundle whose export reports what it was given, with functions worth caching. */
function writeBundle(name: string, answer: number): string {
  const file = path.join(dir, name);
  const body = Array.from({ length: 50 }, (_, i) => `function f${i}(x) { return x * ${i} + ${answer}; }`).join("\n");
  writeFileSync(
    file,
    `${body}\nconst { Marker } = require("./provided.js");\nmodule.exports = { answer: f1(0), marker: Marker, sep: require("node:path").sep, file: __filename };\n`,
  );
  return file;
}

class Marker {}
const provided = new Map([["./provided.js", { Marker }]]);

describe("runCached", () => {
  it("runs a CommonJS bundle, answering its require of a provided specifier with the caller's own module", () => {
    const file = writeBundle("a.cjs", 7);
    const { exports } = runCached(file, provided);
    expect(exports).toEqual({ answer: 7, marker: Marker, sep: path.sep, file });
    expect((exports as { marker: unknown }).marker).toBe(Marker);
  });

  it("saves a cache that a later load takes, and runs the same code from it", () => {
    const file = writeBundle("b.cjs", 3);
    const first = runCached(file, provided);
    expect(first.fromCache).toBe(false);
    first.saveCache();
    const second = runCached(file, provided);
    expect(second.fromCache).toBe(true);
    expect((second.exports as { answer: number }).answer).toBe(3);
  });

  it("does not take a cache saved for other source of the same length, and runs the new source", () => {
    const file = writeBundle("c.cjs", 4);
    runCached(file, provided).saveCache();
    writeBundle("c.cjs", 5);
    const reloaded = runCached(file, provided);
    expect(reloaded.fromCache).toBe(false);
    expect((reloaded.exports as { answer: number }).answer).toBe(5);
  });

  it("ignores a cache file that is not one, and replaces it when saving", () => {
    const file = writeBundle("d.cjs", 6);
    writeFileSync(cachePath(file), "not a cache");
    const loaded = runCached(file, provided);
    expect(loaded.fromCache).toBe(false);
    expect((loaded.exports as { answer: number }).answer).toBe(6);
    loaded.saveCache();
    expect(readFileSync(cachePath(file)).length).toBeGreaterThan("not a cache".length);
  });

  it("treats a cache it cannot write as a slower start, not an error", () => {
    const loaded = runCached(writeBundle("e.cjs", 8), provided);
    rmSync(dir, { recursive: true, force: true });
    expect(() => loaded.saveCache()).not.toThrow();
  });
});
