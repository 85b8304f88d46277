/** What a `use` brings in: the module of a checked program it loaded, its members, and which of the root's imports reaches a file. */
import path from "node:path";
import type { Builtin } from "../compiler/builtins/shape.js";
import { TASK_MEMBERS } from "../compiler/builtins/tasks.js";
import { type CheckedModule, PRELUDE, type ProgramResult } from "../compiler/program.js";
import type { UseItem } from "../grammar/ast.js";

/**
 * The module `use` in `from` loaded. The program keys modules by file and keeps the specifier of
 * the first import of each; a relative specifier can name different files from different
 * folders, so among several it is the one beside `from`.
 */
export function importedModule(program: ProgramResult, from: CheckedModule, use: UseItem): CheckedModule | undefined {
  const specifier = use.path.value;
  const candidates = [...program.modules.values()].filter((m) => m !== program.root && m.specifier === specifier);
  if (candidates.length <= 1) return candidates[0];
  const beside = path.resolve(path.dirname(from.file), specifier);
  return candidates.find((m) => path.resolve(m.file) === beside) ?? candidates[0];
}

/** The prelude (std/presets) as the program loaded it. */
export function preludeModule(program: ProgramResult): CheckedModule | undefined {
  return [...program.modules.values()].find((m) => m.specifier === PRELUDE);
}

/** The `use` that binds `alias` in `module`. */
export function aliasUse(module: CheckedModule, alias: string): UseItem | undefined {
  return usesOf(module).find((use) => use.alias.name === alias);
}

/** The members a standard task module has beside its declarations: generators and verifiers the runtime implements. */
export function taskMembers(use: UseItem): readonly Builtin[] {
  return use.path.value.startsWith("std/") ? (TASK_MEMBERS[use.path.value.slice(4)] ?? []) : [];
}

function usesOf(module: CheckedModule): UseItem[] {
  return module.ast.items.filter((item): item is UseItem => item.kind === "use");
}

/** The root's `use` through which `file` was loaded, directly or through the modules it imports. */
export function useReaching(program: ProgramResult, file: string): UseItem | undefined {
  for (const use of usesOf(program.root)) {
    const first = importedModule(program, program.root, use);
    const seen = new Set<CheckedModule>();
    const queue = first ? [first] : [];
    while (queue.length > 0) {
      const module = queue.shift()!;
      if (module.file === file) return use;
      if (seen.has(module)) continue;
      seen.add(module);
      for (const next of usesOf(module)) {
        const loaded = importedModule(program, module, next);
        if (loaded) queue.push(loaded);
      }
    }
  }
  return undefined;
}
