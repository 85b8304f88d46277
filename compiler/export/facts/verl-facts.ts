/**
 * verl's facts from its files at a commit: the keys of its flattened PPO trainer config with
 * their defaults, the values `kl_loss_type` and `loss_agg_mode` accept (the strings its
 * `kl_penalty` functions and `agg_loss` tell apart), and the names registered as advantage
 * estimators (`@register_adv_est`) and policy losses (`@register_policy_loss`) with each
 * function's parameters.
 */
import type { EngineFacts, Registry } from "./facts.js";
import type { EngineFiles } from "./engine-files.js";
import { type NameResolver, pythonLiteral } from "./python-literal.js";
import { argFacts, branchValues, constantResolver, findFunction, functionOf, pythonBlocks } from "./python-source.js";
import { yamlKeyFacts } from "./yaml-key-facts.js";

export const VERL_FILES = {
  config: "verl/trainer/config/_generated_ppo_trainer.yaml",
  algorithms: "verl/trainer/ppo/core_algos.py",
} as const;

/** The folder searched for registrations. */
const PACKAGE = "verl";

export function verlFacts(files: EngineFiles): Pick<EngineFacts, "keys" | "registries"> {
  const config = need(files, VERL_FILES.config);
  const algorithmsText = need(files, VERL_FILES.algorithms);
  const algorithms = pythonBlocks(algorithmsText);
  const resolve = constantResolver([algorithmsText]);
  const modes = (functions: string[], variable: string): Registry => {
    const names: Registry["names"] = {};
    for (const name of functions) {
      const fn = findFunction(algorithms, name);
      for (const value of fn ? branchValues(fn, variable) : []) names[value] ??= { source: `${VERL_FILES.algorithms}:${name}` };
    }
    if (Object.keys(names).length === 0) throw new Error(`${VERL_FILES.algorithms}: no values of \`${variable}\` in ${functions.join(", ")}`);
    return { source: `${VERL_FILES.algorithms}:${functions.join(",")}`, names };
  };
  return {
    keys: yamlKeyFacts(config),
    registries: {
      kl_loss_type: modes(["kl_penalty", "kl_penalty_forward"], "kl_penalty"),
      loss_agg_mode: modes(["agg_loss"], "loss_agg_mode"),
      adv_estimator: decorated(files, "register_adv_est", resolve),
      policy_loss: decorated(files, "register_policy_loss", resolve),
    },
  };
}

function need(files: EngineFiles, file: string): string {
  const text = files.read(file);
  if (text === undefined) throw new Error(`verl at ${files.commit} has no ${file}`);
  return text;
}

/** The functions registered by `@decorator(NAME)` anywhere in the package, by name. */
function decorated(files: EngineFiles, decorator: string, resolve: NameResolver): Registry {
  const names: Registry["names"] = {};
  for (const file of files.filesContaining(`@${decorator}(`, PACKAGE)) {
    for (const block of pythonBlocks(files.read(file) ?? "")) {
      const fn = functionOf(block);
      if (!fn) continue;
      for (const d of block.decorators) {
        const match = new RegExp(`^${decorator}\\((.*)\\)$`).exec(d);
        const name = match ? pythonLiteral(match[1]!.replace(/\bname_or_enum\s*=|\bname\s*=/, ""), resolve) : undefined;
        if (typeof name !== "string") continue;
        names[name] = { source: `${file}:${fn.name}`, args: argFacts(fn.params), ...(fn.params.some((p) => p.star === "**") ? { anyArgs: true } : {}) };
      }
    }
  }
  if (Object.keys(names).length === 0) throw new Error(`verl at ${files.commit}: nothing registered with @${decorator}`);
  return { source: `@${decorator}`, names };
}
