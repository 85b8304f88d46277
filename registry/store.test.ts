/** The registry's database on its own: a database made before tokens recorded their last use opens and keeps its tokens. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadSqlite } from "./sqlite.js";
import { Store } from "./store.js";
import { tokenId, tokenSha256 } from "./tokens.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "roux-store-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

describe("Store", () => {
  it("opens a database whose tokens table predates last use, keeping its tokens", async () => {
    const file = path.join(dir, "old.db");
    const Database = await loadSqlite();
    const old = new Database(file);
    old.exec(`CREATE TABLE users (name TEXT PRIMARY KEY, created_at TEXT NOT NULL);
      CREATE TABLE tokens (user TEXT NOT NULL REFERENCES users(name), sha256 TEXT NOT NULL, created_at TEXT NOT NULL);`);
    const token = "roux_alice_old";
    old.prepare("INSERT INTO users VALUES ('alice', '2026-01-01T00:00:00.000Z')").run();
    old.prepare("INSERT INTO tokens VALUES ('alice', ?, '2026-01-01T00:00:00.000Z')").run(tokenSha256(token));
    old.close();
    const store = await Store.open(file);
    try {
      expect(store.tokens("alice")).toEqual([{ id: tokenId(token), createdAt: "2026-01-01T00:00:00.000Z" }]);
      store.tokenUsed(tokenSha256(token));
      expect(store.tokens("alice")[0]!.lastUsedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    } finally {
      store.close();
    }
  });
});
