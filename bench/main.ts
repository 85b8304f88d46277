/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the same run on the
 * same machine, never an absolute threshold.
 */
import { parse as parseYaml } from "yaml";
import { parse } from "../grammar/parse.js";
import { generatePair } from "./generate.js";
import { formatComparison, medianMillis, type Comparison } from "./measure.js";
import { pipelineBenches } from "./pipeline.js";

function parseBench(): Comparison {
  const pair = generatePair(10_000);
  const check = parse(pair.recipe, "bench.recipe");
  if (check.diagnostics.length > 0) throw new Error(`the generated recipe has diagnostics: ${check.diagnostics[0].message}`);
  return {
    name: `parse to AST (${pair.lines} lines)`,
    millis: medianMillis(() => parse(pair.recipe, "bench.recipe"), 15),
    baseline: "yaml.parse",
    baselineMillis: medianMillis(() => parseYaml(pair.yaml), 15),
    goal: "ratio <= 1: at least as fast as YAML",
  };
}

const results = [parseBench(), ...pipelineBenches()];
for (const result of results) console.log(formatComparison(result));
