/**
 * The files of packages, on disk beside the database (`DB.blobs/ab/abcdef...`), each stored once
 * under its sha256. An upload streams into a temporary file while it is hashed, never held whole
 * in memory; only when every byte has arrived, the size is within the limit and the hash is the
 * one the upload named is the file synced and renamed into place. So a blob that exists is
 * complete and correct, and two uploads of the same blob race harmlessly (the rename of equal
 * bytes over equal bytes).
 */
import { randomBytes } from "node:crypto";
import { createReadStream, existsSync, type ReadStream } from "node:fs";
import { mkdir, rename, rm, utimes } from "node:fs/promises";
import path from "node:path";
import { writeHashed } from "./hashed-write.js";
import { HttpError } from "./http-error.js";

export class BlobStore {
  constructor(readonly dir: string) {}

  /** The blobs' folder of the database `db`. */
  static beside(db: string): BlobStore {
    return new BlobStore(`${db}.blobs`);
  }

  path(sha256: string): string {
    return path.join(this.dir, sha256.slice(0, 2), sha256);
  }

  has(sha256: string): boolean {
    return existsSync(this.path(sha256));
  }

  /**
   * Marks a stored blob as just used: a blob sent again, or named by a manifest being published,
   * is then within `roux registry gc`'s grace period (gc.ts) until its version row is written.
   */
  async touch(sha256: string): Promise<void> {
    const now = new Date();
    await utimes(this.path(sha256), now, now);
  }

  read(sha256: string): ReadStream {
    return createReadStream(this.path(sha256));
  }

  /** Stores the body (held to its size limit by body.ts) as the blob `sha256`; 422 when its bytes hash to something else. */
  async put(body: AsyncIterable<Buffer>, sha256: string): Promise<void> {
    const staging = path.join(this.dir, "incoming");
    await mkdir(staging, { recursive: true });
    const temp = path.join(staging, `${sha256}.${randomBytes(6).toString("hex")}`);
    try {
      const { sha256: actual } = await writeHashed(body, temp);
      if (actual !== sha256) throw new HttpError(422, `the upload's sha256 is ${actual}, not ${sha256}: it changed on the way, or was named wrong`);
      await mkdir(path.dirname(this.path(sha256)), { recursive: true });
      await rename(temp, this.path(sha256));
    } finally {
      // Gone after the rename; what a refused or broken upload left is removed.
      await rm(temp, { force: true });
    }
  }
}
