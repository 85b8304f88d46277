/**
 * The code cites the repository's own docs by section (`docs/algorithms.md §1.5`) or by heading
 * (`docs/architecture.md "The Plan"`). A citation of a section that does not exist, after a doc
 * is renumbered or a heading renamed, sends a reader nowhere; this test finds every one.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const DOCS = ["docs/algorithms.md", "docs/architecture.md", "docs/language.md"] as const;

/** A doc's headings: the `§N` or `§N.M` each opens with, and each heading's text. */
function headingsOf(doc: string): { sections: Set<string>; titles: Set<string> } {
  const sections = new Set<string>();
  const titles = new Set<string>();
  for (const line of readFileSync(path.join(ROOT, doc), "utf8").split("\n")) {
    const heading = /^#{1,4} (.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const numbered = /^§(\d+(?:\.\d+)?) (.*)$/.exec(heading);
    if (numbered?.[1] !== undefined && numbered[2] !== undefined) {
      sections.add(numbered[1]);
      titles.add(numbered[2]);
    } else {
      titles.add(heading);
    }
  }
  return { sections, titles };
}

const CITATION = /docs\/(algorithms|architecture|language)\.md(?: §(\d+(?:\.\d+)?))?(?:,? "([^"]+)")?/g;

function trackedFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "*.ts", "*.tsx", "*.md", "*.recipe", "*.json"], { cwd: ROOT, encoding: "utf8" });
  return out.split("\n").filter((file) => file !== "" && !file.includes("/golden/"));
}

describe("citations of docs/", () => {
  it("name sections and headings the docs have", () => {
    const headings = new Map(DOCS.map((doc) => [doc, headingsOf(doc)]));
    const broken: string[] = [];
    for (const file of trackedFiles()) {
      const lines = readFileSync(path.join(ROOT, file), "utf8").split("\n");
      lines.forEach((line, i) => {
        for (const [text, name, section, title] of line.matchAll(CITATION)) {
          const doc = headings.get(`docs/${name}.md` as (typeof DOCS)[number]);
          const missing = (section !== undefined && !doc?.sections.has(section)) || (title !== undefined && !doc?.titles.has(title));
          if (missing) broken.push(`${file}:${i + 1}: ${text}`);
        }
      });
    }
    expect(broken).toEqual([]);
  });
});
