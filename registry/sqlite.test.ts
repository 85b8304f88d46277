/** The registry's database driver loads on demand, and its absence is one sentence saying what to install. */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../test/recipes.js";
import { loadSqlite, MissingPackage } from "./sqlite.js";

describe("loadSqlite", () => {
  it("loads better-sqlite3, which the registry's tests install", async () => {
    const Database = await loadSqlite();
    const db = new Database(":memory:");
    expect(db.prepare("SELECT 1 + 1 AS two").get()).toEqual({ two: 2 });
    db.close();
  });

  it("says which package to install when it is missing", async () => {
    const missing = loadSqlite("roux-no-such-sqlite-driver");
    await expect(missing).rejects.toBeInstanceOf(MissingPackage);
    await expect(missing).rejects.toThrow(
      "roux registry needs the optional package roux-no-such-sqlite-driver: run `npm run registry:install` in roux's folder",
    );
  });

  it("is left out of a default install, and registry:install adds it without saving", async () => {
    const json = async (file: string) => JSON.parse(await readFile(path.join(REPO_ROOT, file), "utf8"));
    const manifest = await json("package.json");
    // Listed anywhere, npm ci would build it (or, as an optional peer, refuse ever to install it).
    for (const list of ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"])
      expect(Object.keys(manifest[list] ?? {}), list).not.toContain("better-sqlite3");
    expect(Object.keys((await json("package-lock.json")).packages)).not.toContain("node_modules/better-sqlite3");
    expect(manifest.scripts["registry:install"]).toMatch(/^npm install --no-save better-sqlite3@\d+\.\d+\.\d+$/);
  });
});
