/** The registry's database driver loads on demand, and its absence is one sentence saying what to install. */
import { describe, expect, it } from "vitest";
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
    await expect(missing).rejects.toThrow("roux registry needs the optional package roux-no-such-sqlite-driver: npm install roux-no-such-sqlite-driver");
  });
});
