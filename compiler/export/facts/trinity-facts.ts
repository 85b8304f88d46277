/**
 * Trinity-RFT's facts from its files at a commit: the keys of its config dataclasses with their
 * types and defaults, its registries (trinity-registries.ts), and the values `loss_agg_mode`
 * accepts (the strings its `aggregate_loss` tells apart).
 */
import type { EngineFacts } from "./facts.js";
import type { EngineFiles } from "./engine-files.js";
import { branchValues, constantResolver, findFunction, pythonBlocks } from "./python-source.js";
import { dataclassKeys } from "./trinity-config-keys.js";
import { trinityRegistries } from "./trinity-registries.js";

export const TRINITY_FILES = {
  config: "trinity/common/config.py",
  /** The constants and enums config.py's defaults name. */
  constants: "trinity/common/constants.py",
  /** Where the policy, KL and entropy losses aggregate. */
  aggregation: "trinity/algorithm/utils.py",
} as const;

export function trinityFacts(files: EngineFiles): Pick<EngineFacts, "keys" | "registries"> {
  const config = files.read(TRINITY_FILES.config);
  if (config === undefined) throw new Error(`Trinity-RFT at ${files.commit} has no ${TRINITY_FILES.config}`);
  const keys = dataclassKeys(config, constantResolver([files.read(TRINITY_FILES.constants) ?? ""]));
  const aggregate = findFunction(pythonBlocks(files.read(TRINITY_FILES.aggregation) ?? ""), "aggregate_loss");
  const modes = aggregate ? branchValues(aggregate, "loss_agg_mode") : [];
  if (modes.length === 0) throw new Error(`Trinity-RFT at ${files.commit}: no loss_agg_mode values in ${TRINITY_FILES.aggregation} aggregate_loss`);
  const source = `${TRINITY_FILES.aggregation}:aggregate_loss`;
  return {
    keys,
    registries: { ...trinityRegistries(files), loss_agg_mode: { source, names: Object.fromEntries(modes.map((m) => [m, { source }])) } },
  };
}
