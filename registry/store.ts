/**
 * The registry's database: one SQLite file in WAL mode (readers never wait for the one writer),
 * holding the accounts, the recipes and their versions, and the sources themselves,
 * content-addressed: a source is stored once under its sha256, however many versions have that
 * text, and a version row points at it. Versions are immutable: the primary key refuses a
 * second row for the same version, and nothing updates a row but its `yanked` flag. So a
 * version's rendered page is stored too (`pages`), once, and served from then on. A package's
 * files are not in the database but on disk beside it (blobs.ts); its version row holds the
 * manifest naming them, and is written only once every one of them is stored.
 */
import { manifestText, type PackageManifest, packageHash } from "../compiler/modules/package-manifest.js";
import { sourceHash } from "../compiler/modules/registry-cache.js";
import { compareVersionsDescending, type RecipeRef, type VersionRef } from "./names.js";
import { loadSqlite, type SqliteDatabase, type SqliteDriver } from "./sqlite.js";
import { TOKEN_ID_LENGTH } from "./tokens.js";

const SCHEMA = `
CREATE TABLE IF NOT EXISTS users (
  name TEXT PRIMARY KEY,
  created_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
  user TEXT NOT NULL REFERENCES users(name),
  sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS tokens_by_user ON tokens(user);
CREATE TABLE IF NOT EXISTS blobs (
  sha256 TEXT PRIMARY KEY,
  content BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS recipes (
  owner TEXT NOT NULL REFERENCES users(name),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (owner, name)
);
CREATE TABLE IF NOT EXISTS versions (
  owner TEXT NOT NULL,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  sha256 TEXT NOT NULL REFERENCES blobs(sha256),
  recipe_hash TEXT NOT NULL,
  size INTEGER NOT NULL,
  yanked INTEGER NOT NULL DEFAULT 0,
  published_at TEXT NOT NULL,
  PRIMARY KEY (owner, name, version),
  FOREIGN KEY (owner, name) REFERENCES recipes(owner, name)
);
CREATE TABLE IF NOT EXISTS pages (
  owner TEXT NOT NULL,
  name TEXT NOT NULL,
  version TEXT NOT NULL,
  graph TEXT NOT NULL,
  source TEXT NOT NULL,
  rendered_at TEXT NOT NULL,
  PRIMARY KEY (owner, name, version),
  FOREIGN KEY (owner, name, version) REFERENCES versions(owner, name, version)
);
`;

/** Columns added after a table was first made, added to a database that lacks them when opened. */
const ADDED_COLUMNS = [
  { table: "tokens", column: "last_used_at", type: "TEXT" },
  // A package's canonical manifest (compiler/modules/package-manifest.ts) and its sha256; NULL for a recipe alone.
  { table: "versions", column: "manifest", type: "TEXT" },
  { table: "versions", column: "package_hash", type: "TEXT" },
];

export interface TokenRow {
  id: string;
  createdAt: string;
  /** When a request last authenticated with it; absent when never. */
  lastUsedAt?: string;
}

export interface VersionRow {
  version: string;
  sha256: string;
  recipeHash: string;
  size: number;
  yanked: boolean;
  publishedAt: string;
  /** A package's hash, its pin; absent for a recipe published alone, pinned by its sha256. */
  packageHash?: string;
  /** A package's manifest: the recipe's path and size, and its files. */
  manifest?: PackageManifest;
}

export interface RecipeSummary extends RecipeRef {
  description: string;
  /** The newest version not yanked, if any. */
  latest?: string;
}

export interface RecipeInfo extends RecipeSummary {
  versions: VersionRow[];
}

/** A version page's costly parts, as HTML fragments rendered once (web/page-parts.ts). */
export interface PageParts {
  graph: string;
  source: string;
}

/** The same as stored, in UTF-8: a view writes them out without decoding or encoding them. */
export interface StoredPage {
  graph: Buffer;
  source: Buffer;
}

export interface NewVersion extends VersionRef {
  content: Buffer;
  recipeHash: string;
  description: string;
  /** The package's manifest, every blob of which is stored (blobs.ts); absent for a recipe alone. */
  manifest?: PackageManifest;
}

interface RawVersion {
  version: string;
  sha256: string;
  recipe_hash: string;
  size: number;
  yanked: number;
  published_at: string;
  manifest: string | null;
  package_hash: string | null;
}

const toVersion = (row: RawVersion): VersionRow => ({
  version: row.version,
  sha256: row.sha256,
  recipeHash: row.recipe_hash,
  size: row.size,
  yanked: row.yanked !== 0,
  publishedAt: row.published_at,
  ...(row.manifest === null || row.package_hash === null ? {} : { packageHash: row.package_hash, manifest: JSON.parse(row.manifest) as PackageManifest }),
});

/** `%`, `_` and `\` match themselves in a search, not as LIKE's wildcards. */
const likePattern = (text: string): string => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

export class Store {
  private readonly db: SqliteDatabase;

  /** Opens (creating when missing) the database file, loading the optional driver first. */
  static async open(file: string): Promise<Store> {
    return new Store(await loadSqlite(), file);
  }

  private constructor(Database: SqliteDriver, file: string) {
    this.db = new Database(file);
    this.db.pragma("journal_mode = WAL");
    // `roux registry add-user` may write while the server runs: wait for its lock, not fail.
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("foreign_keys = ON");
    this.db.exec(SCHEMA);
    for (const { table, column, type } of ADDED_COLUMNS) {
      const columns = this.db.pragma(`table_info(${table})`) as { name: string }[];
      if (!columns.some((c) => c.name === column)) this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
    }
  }

  close(): void {
    this.db.close();
  }

  hasUser(name: string): boolean {
    return this.db.prepare("SELECT 1 FROM users WHERE name = ?").get(name) !== undefined;
  }

  /** Creates the user if new and adds a token (given as its sha256; the token itself is never stored). */
  addToken(user: string, tokenSha256: string): void {
    const now = new Date().toISOString();
    this.db.transaction(() => {
      this.db.prepare("INSERT OR IGNORE INTO users (name, created_at) VALUES (?, ?)").run(user, now);
      this.db.prepare("INSERT INTO tokens (user, sha256, created_at) VALUES (?, ?, ?)").run(user, tokenSha256, now);
    })();
  }

  tokenHashes(user: string): string[] {
    return (this.db.prepare("SELECT sha256 FROM tokens WHERE user = ?").all(user) as { sha256: string }[]).map((r) => r.sha256);
  }

  /** The user's tokens, oldest first. */
  tokens(user: string): TokenRow[] {
    const rows = this.db
      .prepare("SELECT substr(sha256, 1, ?) AS id, created_at, last_used_at FROM tokens WHERE user = ? ORDER BY created_at, rowid")
      .all(TOKEN_ID_LENGTH, user) as { id: string; created_at: string; last_used_at: string | null }[];
    return rows.map((r) => ({ id: r.id, createdAt: r.created_at, ...(r.last_used_at === null ? {} : { lastUsedAt: r.last_used_at }) }));
  }

  /** Records that a request authenticated with the token whose sha256 this is. */
  tokenUsed(tokenSha256: string): void {
    this.db.prepare("UPDATE tokens SET last_used_at = ? WHERE sha256 = ?").run(new Date().toISOString(), tokenSha256);
  }

  /** Removes the user's token with this id; false when they have none. */
  revokeToken(user: string, id: string): boolean {
    if (id.length !== TOKEN_ID_LENGTH) return false;
    return this.db.prepare("DELETE FROM tokens WHERE user = ? AND substr(sha256, 1, ?) = ?").run(user, TOKEN_ID_LENGTH, id).changes > 0;
  }

  versionRow(ref: VersionRef): VersionRow | undefined {
    const row = this.db.prepare("SELECT * FROM versions WHERE owner = ? AND name = ? AND version = ?").get(ref.owner, ref.name, ref.version) as
      | RawVersion
      | undefined;
    return row === undefined ? undefined : toVersion(row);
  }

  blob(sha256: string): Buffer | undefined {
    return (this.db.prepare("SELECT content FROM blobs WHERE sha256 = ?").get(sha256) as { content: Buffer } | undefined)?.content;
  }

  /** Adds a version; false when it exists (a concurrent publish of the same version won). */
  publish(entry: NewVersion): boolean {
    const sha256 = sourceHash(entry.content);
    const now = new Date().toISOString();
    return this.db.transaction(() => {
      if (this.versionRow(entry) !== undefined) return false;
      this.db.prepare("INSERT OR IGNORE INTO blobs (sha256, content) VALUES (?, ?)").run(sha256, entry.content);
      this.db
        .prepare(
          `INSERT INTO recipes (owner, name, description, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (owner, name) DO UPDATE SET description = excluded.description, updated_at = excluded.updated_at`,
        )
        .run(entry.owner, entry.name, entry.description, now);
      this.db
        .prepare(
          "INSERT INTO versions (owner, name, version, sha256, recipe_hash, size, published_at, manifest, package_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .run(
          entry.owner,
          entry.name,
          entry.version,
          sha256,
          entry.recipeHash,
          entry.content.length,
          now,
          entry.manifest === undefined ? null : manifestText(entry.manifest),
          entry.manifest === undefined ? null : packageHash(entry.manifest),
        );
      return true;
    })();
  }

  /** The sha256 of every package file any version names, yanked versions included (they stay pullable). */
  referencedBlobs(): Set<string> {
    const rows = this.db.prepare("SELECT manifest FROM versions WHERE manifest IS NOT NULL").all() as { manifest: string }[];
    const named = new Set<string>();
    for (const { manifest } of rows) {
      const { recipe, files } = JSON.parse(manifest) as PackageManifest;
      for (const file of [recipe, ...files]) named.add(file.sha256);
    }
    return named;
  }

  /** The stored parts of a version's page, if they were rendered. */
  page(ref: VersionRef): StoredPage | undefined {
    return this.db
      .prepare("SELECT CAST(graph AS BLOB) AS graph, CAST(source AS BLOB) AS source FROM pages WHERE owner = ? AND name = ? AND version = ?")
      .get(ref.owner, ref.name, ref.version) as StoredPage | undefined;
  }

  /** Keeps a version's page parts; the first stored stays, as the version they show cannot change. */
  savePage(ref: VersionRef, parts: PageParts): void {
    this.db
      .prepare("INSERT OR IGNORE INTO pages (owner, name, version, graph, source, rendered_at) VALUES (?, ?, ?, ?, ?, ?)")
      .run(ref.owner, ref.name, ref.version, parts.graph, parts.source, new Date().toISOString());
  }

  /** Marks a version yanked (or not); false when there is no such version. */
  setYanked(ref: VersionRef, yanked: boolean): boolean {
    const result = this.db
      .prepare("UPDATE versions SET yanked = ? WHERE owner = ? AND name = ? AND version = ?")
      .run(yanked ? 1 : 0, ref.owner, ref.name, ref.version);
    return result.changes === 1;
  }

  recipe(ref: RecipeRef): RecipeInfo | undefined {
    const row = this.db.prepare("SELECT owner, name, description FROM recipes WHERE owner = ? AND name = ?").get(ref.owner, ref.name) as
      | RecipeSummary
      | undefined;
    if (row === undefined) return undefined;
    const versions = (this.db.prepare("SELECT * FROM versions WHERE owner = ? AND name = ?").all(ref.owner, ref.name) as RawVersion[]).map(toVersion);
    versions.sort((a, b) => compareVersionsDescending(a.version, b.version));
    return { ...row, latest: versions.find((v) => !v.yanked)?.version, versions };
  }

  /** Recipes whose full name or description contains the text, most recently published first. */
  search(text: string, limit = 50): RecipeSummary[] {
    const pattern = likePattern(text);
    const rows = this.db
      .prepare(
        `SELECT owner, name, description FROM recipes
         WHERE owner || '/' || name LIKE ? ESCAPE '\\' OR description LIKE ? ESCAPE '\\'
         ORDER BY updated_at DESC LIMIT ?`,
      )
      .all(pattern, pattern, limit) as RecipeSummary[];
    return rows.map((row) => ({ ...row, latest: this.recipe(row)?.latest }));
  }
}
