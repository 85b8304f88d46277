/**
 * Writes the facts files (verl.json, trinity.json) from clones of the engines at the commits
 * engines.ts pins:
 *
 *   npm run facts -- --verl PATH/TO/verl --trinity PATH/TO/Trinity-RFT
 *
 * Each PATH is a git clone (bare or not) that holds the pinned commit; one engine alone may be
 * given. For a new engine release, set its commit and version in engines.ts, run this, and let
 * the tests say what the exports must change (compiler/export/facts/README.md).
 */
import { writeFileSync } from "node:fs";
import { ENGINES, EXPORT_TARGETS, type ExportTarget } from "../engines.js";
import { gitFiles } from "./engine-files.js";
import { type EngineFacts, factsFile } from "./facts.js";
import { trinityFacts } from "./trinity-facts.js";
import { verlFacts } from "./verl-facts.js";

export const REGENERATE = "npm run facts -- --verl PATH/TO/verl --trinity PATH/TO/Trinity-RFT";

const READERS = { verl: verlFacts, trinity: trinityFacts } as const;

export function generateFacts(target: ExportTarget, clone: string): EngineFacts {
  const engine = ENGINES[target];
  const files = gitFiles(clone, engine.commit);
  return {
    engine: engine.name,
    repository: engine.repository,
    commit: files.commit,
    release: engine.version,
    regenerate: `${REGENERATE} (clones holding the commits pinned in compiler/export/engines.ts)`,
    ...READERS[target](files),
  };
}

/**
 * The facts as JSON with one key or registered name a line, so a new release's diff reads as
 * the keys and names it added, removed or changed.
 */
export function factsJson(facts: EngineFacts): string {
  const lines = (record: Record<string, unknown>, indent: string) =>
    Object.entries(record)
      .map(([k, v]) => `${indent}${JSON.stringify(k)}: ${JSON.stringify(v)}`)
      .join(",\n");
  const registries = Object.entries(facts.registries).map(([name, registry]) => {
    const { names, ...rest } = registry;
    const head = Object.entries(rest).map(([k, v]) => `      ${JSON.stringify(k)}: ${JSON.stringify(v)},\n`);
    return `    ${JSON.stringify(name)}: {\n${head.join("")}      "names": {\n${lines(names, "        ")}\n      }\n    }`;
  });
  const identity = { engine: facts.engine, repository: facts.repository, commit: facts.commit, release: facts.release, regenerate: facts.regenerate };
  return [
    "{",
    `${lines(identity, "  ")},`,
    `  "keys": {\n${lines(facts.keys, "    ")}\n  },`,
    `  "registries": {\n${registries.join(",\n")}\n  }`,
    "}",
    "",
  ].join("\n");
}

// Run as a script: --verl DIR and/or --trinity DIR.
if (process.argv[1]?.endsWith("/facts/generate.js")) {
  const args = process.argv.slice(2);
  const clones = new Map<ExportTarget, string>();
  for (let i = 0; i < args.length; i += 2) {
    const target = args[i]?.replace(/^--/, "") as ExportTarget;
    const dir = args[i + 1];
    if (!EXPORT_TARGETS.includes(target) || dir === undefined) {
      clones.clear();
      break;
    }
    clones.set(target, dir);
  }
  if (clones.size === 0) {
    process.stderr.write(`usage: ${REGENERATE}\n`);
    process.exitCode = 2;
  } else {
    for (const [target, dir] of clones) {
      const facts = generateFacts(target, dir);
      writeFileSync(factsFile(target), factsJson(facts));
      process.stderr.write(`wrote ${factsFile(target)}: ${facts.engine} ${facts.release} at ${facts.commit}\n`);
    }
  }
}
