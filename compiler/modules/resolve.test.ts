import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkProgram } from "../program.js";
import { fileResolver, fileResolverReading, recipeResolvers, stdResolverReading } from "./resolve.js";

describe("reading modules from open text", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "roux-resolve-"));
  const lib = path.join(dir, "lib.recipe");
  writeFileSync(lib, "let batch = 32\n");
  const main = path.join(dir, "main.recipe");

  it("takes the open text of a file over the disk, and the disk where none is open", () => {
    const open = (file: string) => (path.resolve(file) === lib ? 'let batch = "unsaved"\n' : undefined);
    expect(fileResolverReading(open).resolve("./lib.recipe", main)).toEqual({ ok: true, file: lib, source: 'let batch = "unsaved"\n' });
    expect(fileResolver.resolve("./lib.recipe", main)).toMatchObject({ ok: true, file: lib, source: "let batch = 32\n" });
    const std = stdResolverReading((file) => (file.endsWith(path.join("std", "arith.recipe")) ? "let edited = 1\n" : undefined));
    expect(std.resolve("std/arith", main)).toMatchObject({ ok: true, source: "let edited = 1\n" });
  });

  it("checks an importer against the open text: a program sees the unsaved module", () => {
    const source = 'use "./lib.recipe" as lib\nlet n: Int = lib.batch\n';
    expect(checkProgram(main, source, { resolvers: recipeResolvers(main, {}) }).diagnostics).toEqual([]);
    const unsaved = recipeResolvers(main, {}, (file) => (path.resolve(file) === lib ? 'let batch = "many"\n' : undefined));
    expect(checkProgram(main, source, { resolvers: unsaved }).diagnostics.map((d) => d.code)).toEqual(["E2101"]);
  });
});
