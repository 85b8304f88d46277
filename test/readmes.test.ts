/**
 * Every folder's README maps its files (the root README's "Layout"), so a reader can find what a
 * file is for without opening it. This test holds the part of that a machine can check, for each
 * git-tracked folder that holds `.ts`/`.tsx` files, golden folders (generated expectations) left out:
 *
 * - the folder has a README.md;
 * - the README names each of the folder's source files that is not a test (`*.test.ts(x)` sit
 *   beside what they test, and a README says so once instead of listing them);
 * - every `.ts`/`.tsx` file the README names as its own exists in the folder.
 *
 * A README names a file as its own when it writes the bare name (`lexer.ts`) or `./lexer.ts`. A
 * name right after `/`, `.`, `-` or a word character is part of a path (`runtime/record/layout.ts`)
 * or of a pattern (`*.test.ts`) and is not checked: a README that means another folder's file
 * writes it with that folder's path, never bare.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "./recipes.js";

/** A `.ts`/`.tsx` file name written bare or after `./`, not inside a path or a longer name. */
const LOCAL_NAME = /(?<![\w./-])(?:\.\/)?([\w-]+(?:\.[\w-]+)*\.tsx?)(?![\w-])/g;

const isSource = (name: string) => /\.tsx?$/.test(name);
const isTest = (name: string) => /\.test\.tsx?$/.test(name);

/** Each tracked folder (relative to the root, `.` for the root) with the tracked files directly in it. */
function trackedFolders(): Map<string, string[]> {
  const folders = new Map<string, string[]>();
  for (const file of execFileSync("git", ["ls-files"], { cwd: REPO_ROOT, encoding: "utf8" }).split("\n")) {
    if (file === "" || !existsSync(path.join(REPO_ROOT, file))) continue;
    const folder = path.posix.dirname(file);
    folders.set(folder, [...(folders.get(folder) ?? []), path.posix.basename(file)]);
  }
  return folders;
}

describe("the folders' READMEs", () => {
  it("exist where there is source, name every non-test source file, and name no source file the folder lacks", () => {
    const problems: string[] = [];
    for (const [folder, files] of trackedFolders()) {
      if (folder.split("/").includes("golden") || !files.some(isSource)) continue;
      const readme = path.posix.join(folder, "README.md");
      if (!existsSync(path.join(REPO_ROOT, readme))) {
        problems.push(`${folder}/ has no README.md`);
        continue;
      }
      const named = new Set([...readFileSync(path.join(REPO_ROOT, readme), "utf8").matchAll(LOCAL_NAME)].flatMap((m) => m[1] ?? []));
      for (const file of files.filter((f) => isSource(f) && !isTest(f))) {
        if (!named.has(file)) problems.push(`${readme} does not name ${file}`);
      }
      for (const name of named) {
        if (!existsSync(path.join(REPO_ROOT, folder, name))) problems.push(`${readme} names ${name}, which is not in ${folder}/`);
      }
    }
    expect(problems).toEqual([]);
  });
});
