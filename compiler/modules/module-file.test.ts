import { execFileSync } from "node:child_process";
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runCli } from "../../test/run-cli.js";
import { readModuleFile } from "./module-file.js";

// What a path can hold instead of a module: a FIFO (opening it would wait for a writer), a
// symlink to a device without end, a directory; and a plain module, directly and through a link.
const dir = mkdtempSync(path.join(tmpdir(), "roux-module-file-"));
execFileSync("mkfifo", [path.join(dir, "pipe.recipe")]);
symlinkSync("/dev/zero", path.join(dir, "zero.recipe"));
mkdirSync(path.join(dir, "folder.recipe"));
writeFileSync(path.join(dir, "plain.recipe"), "let y = 1\n");
symlinkSync(path.join(dir, "plain.recipe"), path.join(dir, "link.recipe"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A recipe beside `dir` that imports `name` from it. */
function importer(name: string): string {
  const file = path.join(dir, `uses-${name.replace(/\W/g, "_")}.recipe`);
  writeFileSync(file, `use "./${name}" as m\n\nlet x = m.y\n`);
  return file;
}

describe("readModuleFile", () => {
  it("reads a regular file, and one through a symlink", () => {
    for (const name of ["plain.recipe", "link.recipe"]) {
      const read = readModuleFile(path.join(dir, name));
      expect(read.ok && Buffer.from(read.bytes).toString("utf8")).toBe("let y = 1\n");
    }
  });

  it("refuses a FIFO without waiting for a writer", () => {
    expect(readModuleFile(path.join(dir, "pipe.recipe"))).toMatchObject({
      ok: false,
      missing: false,
      reason: expect.stringContaining("is a FIFO, not a regular file"),
    });
  });

  it("refuses a symlink to /dev/zero and a directory", () => {
    expect(readModuleFile(path.join(dir, "zero.recipe"))).toMatchObject({ ok: false, reason: expect.stringContaining("is a device") });
    expect(readModuleFile(path.join(dir, "folder.recipe"))).toMatchObject({ ok: false, reason: expect.stringContaining("is a directory") });
  });

  it("reads a file of exactly the cap and refuses one byte more", () => {
    const file = path.join(dir, "sized.recipe");
    writeFileSync(file, "x".repeat(100));
    expect(readModuleFile(file, 100)).toMatchObject({ ok: true });
    appendFileSync(file, "x");
    expect(readModuleFile(file, 100)).toMatchObject({ ok: false, reason: expect.stringContaining("larger than the 100-byte limit") });
  });

  it("says a missing file is missing", () => {
    expect(readModuleFile(path.join(dir, "absent.recipe"))).toMatchObject({ ok: false, missing: true });
  });
});

describe("`use` of a file that is not a regular file", () => {
  it.each([
    ["pipe.recipe", "is a FIFO"],
    ["zero.recipe", "is a device"],
    ["folder.recipe", "is a directory"],
  ])("%s is E1105 at the `use`, saying what it is", async (name, what) => {
    const result = await runCli(["check", importer(name)]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(`error[E1105]: module \`./${name}\` not found`);
    expect(result.stderr).toMatch(new RegExp(`1 \\| use "\\./${name.replace(".", "\\.")}" as m\\n  \\|     \\^+ .*${what}, not a regular file`));
  });
});
