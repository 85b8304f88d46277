/**
 * Trinity-RFT's config keys from the dataclasses of its config module: each `field: Type =
 * default` of the root `Config` is a key, and a field whose type is another dataclass gives the
 * keys under it (`Optional[X]` as X, `List[X]` as `key[].…`, `Dict[str, X]` as `key.*.…`, the
 * forms an export's written paths are matched in). Defaults are kept where they are literals,
 * enum members or module constants; a default built by code is left out, not guessed.
 */
import type { KeyFact } from "./facts.js";
import { type Json, type NameResolver, pythonLiteral } from "./python-literal.js";
import { binding, callArguments, classesOf, type PyBlock, type PyClass, pythonBlocks } from "./python-source.js";

export const TRINITY_CONFIG_ROOT = "Config";

const isDataclass = (cls: PyClass) => cls.decorators.some((d) => /^(?:dataclasses\.)?dataclass\b/.test(d));

/** The dataclass a field's type holds, and how the keys under it are written. */
function nested(annotation: string, dataclasses: ReadonlyMap<string, PyClass>): { cls: PyClass; suffix: string } | undefined {
  let type = annotation.replace(/["']/g, "").trim();
  const optional = /^Optional\[(.*)\]$/.exec(type);
  if (optional) type = optional[1]!.trim();
  const list = /^(?:List|list)\[(.*)\]$/.exec(type);
  const dict = /^(?:Dict|dict)\[\s*str\s*,(.*)\]$/.exec(type);
  const inner = (list?.[1] ?? dict?.[1] ?? type).trim();
  const cls = dataclasses.get(inner);
  return cls ? { cls, suffix: list ? "[]" : dict ? ".*" : "" } : undefined;
}

/** A field's default as a value, when the source states one (`field(default_factory=...)` included). */
function defaultOf(value: string | undefined, resolve: NameResolver): Json | undefined {
  if (value === undefined) return undefined;
  const call = /^(?:dataclasses\.)?field\s*\(/.test(value) ? callArguments(value) : undefined;
  if (call === undefined) return pythonLiteral(value, resolve);
  const given = call.keywords.get("default");
  if (given !== undefined) return pythonLiteral(given, resolve);
  const factory = call.keywords.get("default_factory");
  if (factory === "dict") return {};
  if (factory === "list") return [];
  const lambda = factory === undefined ? undefined : /^lambda\s*:(.*)$/.exec(factory);
  return lambda ? pythonLiteral(lambda[1]!, resolve) : undefined;
}

/** Every key of the config module's root dataclass, in declaration order. */
export function dataclassKeys(source: string, resolve: NameResolver, root = TRINITY_CONFIG_ROOT): Record<string, KeyFact> {
  const dataclasses = new Map([...classesOf(pythonBlocks(source))].filter(([, cls]) => isDataclass(cls)));
  const start = dataclasses.get(root);
  if (start === undefined) throw new Error(`no dataclass ${root} in the config module`);
  const keys: Record<string, KeyFact> = {};
  const walk = (cls: PyClass, prefix: string, path: readonly string[]) => {
    for (const statement of cls.body as PyBlock[]) {
      const field = binding(statement.text);
      if (field?.annotation === undefined || field.annotation.startsWith("ClassVar")) continue;
      const key = prefix === "" ? field.name : `${prefix}.${field.name}`;
      const inner = nested(field.annotation, dataclasses);
      const value = inner?.suffix === "" ? undefined : defaultOf(field.value, resolve);
      keys[key] = { type: field.annotation, ...(value !== undefined ? { default: value } : {}) };
      // A dataclass that holds itself (directly or not) would nest forever: its keys stop there.
      // A map of configs by name has a key per entry (`auxiliary_buffers.sft_dataset`).
      if (inner?.suffix === ".*") keys[`${key}.*`] = { type: inner.cls.name };
      if (inner && !path.includes(inner.cls.name)) walk(inner.cls, `${key}${inner.suffix}`, [...path, inner.cls.name]);
    }
  };
  walk(start, "", [root]);
  return keys;
}
