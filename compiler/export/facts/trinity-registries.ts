/**
 * Trinity-RFT's registries from its files at a commit: for each registry, the names it maps
 * (`Registry("...", default_mapping={name: "module.Class"})`, or `@REGISTRY.register_module(name)`
 * on a class in releases that register that way), and for each name the class's constructor
 * arguments and `default_args()`, found through its bases. Advantage functions also say whether
 * they can only be computed in the trainer (`compute_in_trainer()`), which the experience
 * pipeline asserts against the algorithm type; algorithm types give their class attributes and
 * `default_config()`, the defaults a config's `algorithm` block starts from.
 */
import type { EngineFiles } from "./engine-files.js";
import type { Registry, RegistryEntry } from "./facts.js";
import { type Json, pythonLiteral } from "./python-literal.js";
import { type FoundClass, PythonPackage } from "./python-modules.js";
import { argFacts, assignedValue, binding, callArguments, classOf, findFunction, functionOf, pythonBlocks, returned } from "./python-source.js";

export const TRINITY_REGISTRIES = ["ALGORITHM_TYPE", "ADVANTAGE_FN", "POLICY_LOSS_FN", "KL_FN", "ENTROPY_LOSS_FN", "SAMPLE_STRATEGY"] as const;

const PACKAGE = "trinity";

/** Where the validator fills in the algorithm fields an algorithm type leaves unset, newest first. */
const VALIDATOR_FILES = ["trinity/common/config_validator.py", "trinity/common/config.py"];

export function trinityRegistries(files: EngineFiles): Record<string, Registry> {
  const python = new PythonPackage(files);
  const registries: Record<string, Registry> = {};
  for (const name of TRINITY_REGISTRIES) {
    const registry = readRegistry(files, python, name);
    if (name === "ALGORITHM_TYPE") {
      const defaults = validatorDefaults(files);
      if (defaults) registry.defaults = defaults;
    }
    registries[name] = registry;
  }
  return registries;
}

function readRegistry(files: EngineFiles, python: PythonPackage, registry: string): Registry {
  const names: Record<string, RegistryEntry> = {};
  let source: string | undefined;
  for (const file of files.filesContaining(registry, PACKAGE)) {
    const blocks = pythonBlocks(files.read(file) ?? "");
    const module = file.replace(/(?:\/__init__)?\.py$/, "").replace(/\//g, ".");
    const created = assignedValue(blocks, registry);
    const call = created === undefined ? undefined : callArguments(created);
    if (call && /(?:^|\.)Registry$/.test(call.callee)) {
      source = file;
      const mapping = pythonLiteral(call.keywords.get("default_mapping") ?? "{}");
      if (typeof mapping !== "object" || mapping === null || Array.isArray(mapping))
        throw new Error(`${file}: ${registry}'s default_mapping is not a literal dict`);
      for (const [name, target] of Object.entries(mapping)) {
        if (typeof target !== "string") continue;
        const dot = target.lastIndexOf(".");
        names[name] = entryOf(python, registry, python.resolve(target.slice(0, dot), target.slice(dot + 1)), target);
      }
    }
    for (const block of blocks) {
      const cls = classOf(block);
      if (!cls) continue;
      for (const decorator of cls.decorators) {
        const match = new RegExp(`^${registry}\\.register_module\\((.*)\\)$`).exec(decorator);
        const args = match ? callArguments(`register_module(${match[1]})`) : undefined;
        const name = args ? pythonLiteral(args.keywords.get("module_name") ?? args.keywords.get("name") ?? args.positional[0] ?? "") : undefined;
        if (typeof name === "string") names[name] = entryOf(python, registry, python.resolve(module, cls.name), `${module}.${cls.name}`);
      }
    }
  }
  if (source === undefined && Object.keys(names).length === 0) throw new Error(`Trinity-RFT at ${files.commit}: no registry ${registry}`);
  return { source: source ?? `@${registry}.register_module`, names };
}

function entryOf(python: PythonPackage, registry: string, found: FoundClass | undefined, target: string): RegistryEntry {
  if (found === undefined) throw new Error(`${registry}: cannot find the class ${target}`);
  const lineage = python.lineage(found);
  const entry: RegistryEntry = { source: `${found.file}:${found.cls.name}` };
  const init = lineage.map((c) => findFunction(c.cls.body, "__init__")).find((f) => f !== undefined);
  const signature = init ? functionOf(init) : undefined;
  if (signature) {
    entry.args = argFacts(signature.params);
    if (signature.params.some((p) => p.star === "**")) entry.anyArgs = true;
  }
  const defaultArgs = classMethodValue(lineage, "default_args");
  if (isRecord(defaultArgs)) entry.defaultArgs = defaultArgs;
  if (registry === "ADVANTAGE_FN") {
    const inTrainer = classMethodValue(lineage, "compute_in_trainer");
    if (typeof inTrainer === "boolean") entry.computeInTrainer = inTrainer;
  }
  if (registry === "ALGORITHM_TYPE") {
    entry.attributes = classAttributes(lineage);
    const defaults = classMethodValue(lineage, "default_config");
    if (isRecord(defaults)) entry.defaults = defaults;
  }
  return entry;
}

/** The literal a method returns, from the nearest class in the lineage that declares it. */
function classMethodValue(lineage: readonly FoundClass[], method: string): Json | undefined {
  for (const c of lineage) {
    const fn = findFunction(c.cls.body, method);
    if (fn === undefined) continue;
    const expression = returned(fn);
    return expression === undefined ? undefined : pythonLiteral(expression);
  }
  return undefined;
}

/** Class-level `name: T = literal` and `name = literal`, nearest class first. */
function classAttributes(lineage: readonly FoundClass[]): Record<string, Json> {
  const attributes: Record<string, Json> = {};
  for (const c of [...lineage].reverse()) {
    for (const statement of c.cls.body) {
      const bound = binding(statement.text);
      const value = bound?.value === undefined ? undefined : pythonLiteral(bound.value);
      if (bound && value !== undefined) attributes[bound.name] = value;
    }
  }
  return attributes;
}

/** The validator's `default_config` dict: what every algorithm type starts from. */
function validatorDefaults(files: EngineFiles): Record<string, Json> | undefined {
  for (const file of VALIDATOR_FILES) {
    const value = assignedValue(pythonBlocks(files.read(file) ?? ""), "default_config");
    const parsed = value === undefined ? undefined : pythonLiteral(value);
    if (isRecord(parsed)) return parsed;
  }
  return undefined;
}

function isRecord(value: Json | undefined): value is Record<string, Json> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
