/**
 * What the exporters and importers know about an engine release, as generated from its files
 * (generate.ts) and checked in beside this file (verl.json, trinity.json): its config keys with
 * their types and defaults, and the names in its registries with the arguments each accepts.
 * The mapping code asks these facts which name or key exists at the pin instead of assuming it,
 * so a release that lacks one makes `roux check --target` report E3401, not the engine crash.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { packageRoot } from "../../modules/resolve.js";
import type { ExportTarget } from "../engines.js";
import type { Json } from "./python-literal.js";

export type { Json } from "./python-literal.js";

/** A config key: its type as the engine states it (an annotation, or the YAML value's kind) and its default. */
export interface KeyFact {
  type: string;
  default?: Json;
}

/** A parameter of a registered class or function. */
export interface ArgFact {
  type?: string;
  default?: Json;
}

/** One registered name: where it is implemented and what it accepts. */
export interface RegistryEntry {
  /** `path/to/file.py:ClassOrFunction`. */
  source: string;
  /** Its constructor's (or function's) parameters, by name. */
  args?: Record<string, ArgFact>;
  /** Whether it also takes any other keyword (`**kwargs`). */
  anyArgs?: boolean;
  /** The arguments the engine passes when the config gives none (Trinity-RFT's `default_args()`). */
  defaultArgs?: Record<string, Json>;
  /** Trinity-RFT advantage functions: whether it can only be computed in the trainer (`compute_in_trainer()`). */
  computeInTrainer?: boolean;
  /** Trinity-RFT algorithm types: their class attributes (`use_critic`, `compute_advantage_in_trainer`, ...). */
  attributes?: Record<string, Json>;
  /** Trinity-RFT algorithm types: the algorithm fields they set when the config leaves them out (`default_config()`). */
  defaults?: Record<string, Json>;
}

export interface Registry {
  /** The file (and function or variable) that defines the registry's names. */
  source: string;
  /** Defaults every entry starts from (Trinity-RFT's validator defaults for the algorithm fields). */
  defaults?: Record<string, Json>;
  names: Record<string, RegistryEntry>;
}

export interface EngineFacts {
  engine: string;
  repository: string;
  commit: string;
  release: string;
  /** How to write this file again from a clone of the engine. */
  regenerate: string;
  keys: Record<string, KeyFact>;
  registries: Record<string, Registry>;
}

export type Facts = Readonly<Record<ExportTarget, EngineFacts>>;

/** The checked-in facts file of a target. */
export function factsFile(target: ExportTarget): string {
  return path.join(packageRoot(), "compiler", "export", "facts", `${target}.json`);
}

let pinned: Facts | undefined;

/** The facts of both engines at their pins, read once. */
export function pinnedFacts(): Facts {
  pinned ??= {
    verl: JSON.parse(readFileSync(factsFile("verl"), "utf8")) as EngineFacts,
    trinity: JSON.parse(readFileSync(factsFile("trinity"), "utf8")) as EngineFacts,
  };
  return pinned;
}

/** A registered name's entry, or undefined when the registry (or the name) is missing at the pin. */
export function registered(facts: EngineFacts, registry: string, name: string): RegistryEntry | undefined {
  return facts.registries[registry]?.names[name];
}

/** The first of `candidates` registered at the pin. */
export function firstRegistered(facts: EngineFacts, registry: string, candidates: readonly string[]): string | undefined {
  return candidates.find((name) => registered(facts, registry, name) !== undefined);
}

/**
 * Whether a registered name accepts the argument `arg`: a named parameter, or one its `**kwargs`
 * is known to read (a name its `default_args()` gives; any other would be silently ignored).
 */
export function acceptsArg(entry: RegistryEntry | undefined, arg: string): boolean {
  return entry?.args?.[arg] !== undefined || (entry?.anyArgs === true && entry.defaultArgs?.[arg] !== undefined);
}

/** Types of keys that hold free-form maps: any key under them is the engine's to read. */
const FREE_FORM = /^(?:Optional\[)?(?:dict|Dict(?:\[.*\])?|Any|map)\]?$/;

/**
 * The fact for a written key path (`a.b`, `a[].b`), or undefined when the engine has no such
 * key. `*` in a fact's key matches any one segment (a map of configs keyed by name); a key under
 * a free-form map is that map's.
 */
export function keyFact(facts: EngineFacts, written: string): { key: string; fact: KeyFact } | undefined {
  const exact = facts.keys[written];
  if (exact) return { key: written, fact: exact };
  const segments = written.split(".");
  for (let n = segments.length; n > 0; n--) {
    const prefix = segments.slice(0, n);
    for (const [key, fact] of Object.entries(facts.keys)) {
      if (!key.includes("*") && n === segments.length) continue;
      const parts = key.split(".");
      if (parts.length !== n || !parts.every((p, i) => p === "*" || p === prefix[i])) continue;
      if (n === segments.length || (FREE_FORM.test(fact.type) && !hasChildren(facts, key))) return { key, fact };
    }
  }
  return undefined;
}

function hasChildren(facts: EngineFacts, key: string): boolean {
  return Object.keys(facts.keys).some((k) => k.startsWith(`${key}.`));
}

/** A key's default at the pin, when the engine's file states one. */
export function keyDefault(facts: EngineFacts, key: string): Json | undefined {
  return facts.keys[key]?.default;
}
