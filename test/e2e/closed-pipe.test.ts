/**
 * `roux fmt big.recipe | head -1`: the reader goes away after one chunk. roux must finish as if
 * nothing happened (exit 0, no stack trace on stderr) instead of dying of an unhandled EPIPE.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { REPO_ROOT } from "../recipes.js";

it("a closed stdout pipe ends neither the command nor its exit status", async () => {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "roux-pipe-")), "many.recipe");
  // Far more than a pipe buffer (64 KiB) of formatted output, so writes happen after the close.
  writeFileSync(file, Array.from({ length: 50_000 }, (_, i) => `let a${i} = ${i}\n`).join(""));
  const child = spawn(process.execPath, [path.join(REPO_ROOT, "bin/roux.js"), "fmt", file], { stdio: ["ignore", "pipe", "pipe"] });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout.once("data", () => child.stdout.destroy());
  const status = await new Promise<number | null>((resolve) => child.on("close", resolve));
  expect(stderr).toBe("");
  expect(status).toBe(0);
});
