/**
 * An engine's files at one commit, read from a clone (a bare mirror or a checkout; git reads the
 * commit's tree either way, so the work tree's state does not matter). The generators read only
 * through this, so their tests give them a handful of files instead of a clone.
 */
import { execFileSync } from "node:child_process";

export interface EngineFiles {
  commit: string;
  /** The text of `file` at the commit, or undefined when the commit has no such file. */
  read(file: string): string | undefined;
  /** The files under `folder` whose text contains `text` (exactly), in path order. */
  filesContaining(text: string, folder: string): string[];
}

/** `commit` of the git repository at `dir` (checked to be there; a short hash is expanded). */
export function gitFiles(dir: string, commit: string): EngineFiles {
  const git = (...args: string[]) => execFileSync("git", ["-C", dir, ...args], { encoding: "utf8", maxBuffer: 1 << 28, stdio: ["ignore", "pipe", "pipe"] });
  let full: string;
  try {
    full = git("rev-parse", "--verify", `${commit}^{commit}`).trim();
  } catch {
    throw new Error(`${dir} is not a git clone holding commit ${commit}: fetch it (e.g. git -C ${dir} fetch origin ${commit})`);
  }
  return {
    commit: full,
    read(file) {
      try {
        return git("show", `${full}:${file}`);
      } catch {
        return undefined;
      }
    },
    filesContaining(text, folder) {
      try {
        return git("grep", "-l", "-F", text, full, "--", folder)
          .split("\n")
          .filter((l) => l !== "")
          .map((l) => l.slice(full.length + 1))
          .sort();
      } catch {
        // git grep exits 1 when nothing matches.
        return [];
      }
    },
  };
}
