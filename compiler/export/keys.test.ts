/**
 * Every key an export writes exists in the pinned engine version's config schema: the key lists
 * under keys/ were transcribed from the file and commit that engines.ts names (each list's
 * header says which), and every export of the hub recipes is walked against them.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { recipeFiles, REPO_ROOT } from "../../test/recipes.js";
import { ENGINES, EXPORT_TARGETS, type ExportTarget } from "./engines.js";
import { exportPlan } from "./export.js";
import { checkForTarget } from "./testing.js";
import { VERL_DIRECTIVES } from "./verl.js";

interface KeyList {
  keys: Set<string>;
  /** `A => B`: the keys under A are those under B (`*` matches one segment of A). */
  aliases: [RegExp, string][];
  header: string;
}

function keyList(target: ExportTarget): KeyList {
  const text = readFileSync(path.join(REPO_ROOT, "compiler/export/keys", `${target}.txt`), "utf8");
  const lines = text.split("\n").filter((l) => l.trim() !== "");
  const entries = lines.filter((l) => !l.startsWith("#"));
  const aliases = entries.filter((l) => l.includes(" => ")).map((l) => l.split(" => ") as [string, string]);
  const keys = new Set(entries.map((l) => l.split(" => ")[0]));
  const pattern = (from: string) => new RegExp(`^${from.replace(/[.[\]]/g, (c) => `\\${c}`).replace(/\*/g, "[^.]+")}(?=\\.|$)`);
  return { keys, aliases: aliases.map(([from, to]) => [pattern(from), to]), header: lines.filter((l) => l.startsWith("#")).join("\n") };
}

/** Every path the config writes, maps and leaves: `a.b`, and `a[].b` inside a list of maps. */
function writtenPaths(value: unknown, prefix = ""): string[] {
  if (Array.isArray(value)) return value.some((v) => typeof v === "object" && v !== null) ? value.flatMap((v) => writtenPaths(v, `${prefix}[]`)) : [];
  if (typeof value !== "object" || value === null) return [];
  return Object.entries(value).flatMap(([key, inner]) => {
    const at = prefix === "" ? key : `${prefix}.${key}`;
    return [at, ...writtenPaths(inner, at)];
  });
}

function known(list: KeyList, key: string): boolean {
  if (list.keys.has(key)) return true;
  return list.aliases.some(([from, to]) => from.test(key) && known(list, key.replace(from, to)));
}

function unknownKeys(target: ExportTarget, config: Record<string, unknown>): string[] {
  const list = keyList(target);
  const directives: readonly string[] = target === "verl" ? VERL_DIRECTIVES : [];
  return [...new Set(writtenPaths(config))].filter((key) => !directives.includes(key.split(".")[0]) && !known(list, key));
}

describe("the exported keys", () => {
  for (const target of EXPORT_TARGETS) {
    it(`names ${target}'s pinned file and commit in its key list`, () => {
      const { header } = keyList(target);
      expect(header).toContain(ENGINES[target].schemaFile);
      expect(header).toContain(ENGINES[target].commit);
    });

    it(`writes only keys of ${target} at the pinned version`, () => {
      let exports = 0;
      for (const { file } of recipeFiles(path.join(REPO_ROOT, "recipes/hub"))) {
        const { plan, diagnostics } = checkForTarget(file, target);
        if (plan === undefined || diagnostics.some((d) => d.severity === "error")) continue;
        exports++;
        expect(unknownKeys(target, exportPlan(plan, target, 8).config), file).toEqual([]);
      }
      expect(exports).toBeGreaterThanOrEqual(3);
    });
  }

  it("catches a key the pinned version does not have, and resolves aliases", () => {
    expect(unknownKeys("verl", { actor_rollout_ref: { actor: { clip_ratio_low: 0.2, clip_low: 0.2 } } })).toEqual(["actor_rollout_ref.actor.clip_low"]);
    expect(unknownKeys("trinity", { stages: [{ algorithm: { repeat_times: 8, n: 8 } }], buffer: { trainer_input: { auxiliary_buffers: { sft_dataset: { path: "x", paths: "y" } } } } })).toEqual([
      "stages[].algorithm.n",
      "buffer.trainer_input.auxiliary_buffers.sft_dataset.paths",
    ]);
  });
});
