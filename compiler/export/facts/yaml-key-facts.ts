/**
 * The keys of an engine's published YAML config with their defaults: every dotted path in it,
 * maps and leaves alike, in file order (`a`, `a.b`, `a.b.c`), each with the kind of its value
 * and the value itself for a leaf. Lists of maps give `a[].b`, the form an export's keys are
 * checked in. verl's flattened reference config is read this way.
 */
import { parse } from "yaml";
import type { KeyFact } from "./facts.js";
import type { Json } from "./python-literal.js";

const isMapValue = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);

function kind(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "object") return "map";
  // An OmegaConf interpolation is resolved when the config is composed: its default is another key's.
  if (typeof value === "string" && value.startsWith("${")) return "interpolation";
  return typeof value;
}

export function yamlKeyFacts(text: string): Record<string, KeyFact> {
  const keys: Record<string, KeyFact> = {};
  const walk = (value: unknown, prefix: string) => {
    if (Array.isArray(value) && value.some(isMapValue)) {
      for (const item of value) walk(item, `${prefix}[]`);
      return;
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) return;
    for (const [key, inner] of Object.entries(value)) {
      const at = prefix === "" ? key : `${prefix}.${key}`;
      const leaf = !isMapValue(inner) && !(Array.isArray(inner) && inner.some(isMapValue));
      keys[at] ??= { type: kind(inner), ...(leaf ? { default: inner as Json } : {}) };
      walk(inner, at);
    }
  };
  walk(parse(text), "");
  return keys;
}
