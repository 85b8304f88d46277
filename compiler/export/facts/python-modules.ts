/**
 * The classes of a Python package read across its files: a dotted module path to its file, a
 * name to the class it is (declared in the module or imported into it with `from X import Y`),
 * and a class's bases in method-resolution order, so a registered class's constructor or class
 * method is found where it is declared, which may be a base class in another file.
 */
import type { EngineFiles } from "./engine-files.js";
import { classesOf, type PyBlock, type PyClass, pythonBlocks } from "./python-source.js";

export interface FoundClass {
  module: string;
  file: string;
  cls: PyClass;
}

export class PythonPackage {
  private readonly modules = new Map<string, { file: string; blocks: PyBlock[] } | undefined>();

  constructor(private readonly files: EngineFiles) {}

  /** The file and statements of a dotted module (`a.b.c` is a/b/c.py or a/b/c/__init__.py). */
  module(dotted: string): { file: string; blocks: PyBlock[] } | undefined {
    if (!this.modules.has(dotted)) {
      const base = dotted.replace(/\./g, "/");
      const file = [`${base}.py`, `${base}/__init__.py`].find((f) => this.files.read(f) !== undefined);
      this.modules.set(dotted, file === undefined ? undefined : { file, blocks: pythonBlocks(this.files.read(file)!) });
    }
    return this.modules.get(dotted);
  }

  /** The class `name` means inside `module`: declared there, or imported from another module. */
  resolve(module: string, name: string, seen = new Set<string>()): FoundClass | undefined {
    const key = `${module}:${name}`;
    if (seen.has(key)) return undefined;
    seen.add(key);
    const found = this.module(module);
    if (!found) return undefined;
    if (name.includes(".")) {
      const dot = name.lastIndexOf(".");
      return this.resolve(`${module}.${name.slice(0, dot)}`, name.slice(dot + 1), seen) ?? this.resolve(name.slice(0, dot), name.slice(dot + 1), seen);
    }
    const cls = classesOf(found.blocks).get(name);
    if (cls) return { module, file: found.file, cls };
    for (const block of found.blocks) {
      const match = /^from\s+([\w.]+)\s+import\s+\(?([^)]*)\)?$/.exec(block.text);
      if (!match) continue;
      const from = match[1]!.startsWith(".") ? relative(module, found.file, match[1]!) : match[1]!;
      for (const item of match[2]!.split(",")) {
        const [original, alias] = item.trim().split(/\s+as\s+/);
        if ((alias ?? original) === name && original) return this.resolve(from, original, seen);
      }
    }
    return undefined;
  }

  /** The class and its bases, nearest first (left to right, depth first, each once). */
  lineage(start: FoundClass): FoundClass[] {
    const order: FoundClass[] = [];
    const visit = (c: FoundClass) => {
      if (order.some((o) => o.module === c.module && o.cls.name === c.cls.name)) return;
      order.push(c);
      for (const base of c.cls.bases) {
        const found = this.resolve(c.module, base.replace(/\[.*$/, ""));
        if (found) visit(found);
      }
    };
    visit(start);
    return order;
  }
}

/** The absolute module a relative import (`.x`, `..x`) names from `module`. */
function relative(module: string, file: string, from: string): string {
  const dots = /^\.+/.exec(from)![0].length;
  const packageParts = module.split(".");
  // A package's __init__ is the package itself; a module's package is its parent.
  const base = file.endsWith("__init__.py") ? packageParts : packageParts.slice(0, -1);
  const up = base.slice(0, base.length - (dots - 1));
  const rest = from.slice(dots);
  return [...up, ...(rest ? [rest] : [])].join(".");
}
