/**
 * The registry's database driver, better-sqlite3, is an optional package: installing it builds a
 * native module (a C++ compiler, python3 and minutes where no prebuilt binary can be fetched),
 * and only the registry's server and its account commands (`roux registry ...`) use it, so it is
 * in no dependency list of package.json and `npm ci` leaves it out; `npm run registry:install`
 * (package.json, the home of its pinned version) installs it without touching package.json or
 * package-lock.json. It is not an optional peer dependency: npm (11) does not install the root
 * project's optional peers, not even when named on its command line. This is the one place that loads it, when a
 * registry command first opens its database; a missing package is one sentence saying what to run.
 */
import type BetterSqlite3 from "better-sqlite3";

export type SqliteDriver = typeof BetterSqlite3;
export type SqliteDatabase = BetterSqlite3.Database;

export const SQLITE_PACKAGE = "better-sqlite3";

/** An optional package a command needs is not installed; the message says how to install it. */
export class MissingPackage extends Error {}

/** The driver; `packageName` is only ever another name in the loader's own test. */
export async function loadSqlite(packageName = SQLITE_PACKAGE): Promise<SqliteDriver> {
  try {
    return ((await import(packageName)) as { default: SqliteDriver }).default;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ERR_MODULE_NOT_FOUND") throw error;
    throw new MissingPackage(`roux registry needs the optional package ${packageName}: run \`npm run registry:install\` in roux's folder`);
  }
}
