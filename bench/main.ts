/**
 * `npm run bench`: every figure is a ratio against a baseline measured in the same run on the
 * same machine, never an absolute threshold.
 */
import { execFileSync } from "node:child_process";
import { parse as parseYaml } from "yaml";
import { lowerProgram } from "../compiler/plan/lower.js";
import { checkProgram } from "../compiler/program.js";
import { parse } from "../grammar/parse.js";
import { generatePair } from "./generate.js";
import { lspBenches } from "./lsp.js";
import { formatComparison, medianMillis, type Comparison } from "./measure.js";
import { pipelineBenches } from "./pipeline.js";
import { registryPageBench } from "./registry-page.js";
import { linearCheckBench, manyErrorsBench } from "./scale.js";
import { samplingBench, trainingBench } from "./training.js";

function parseBench(): Comparison {
  const pair = generatePair(10_000);
  const check = parse(pair.recipe, "bench.recipe");
  const [first] = check.diagnostics;
  if (first !== undefined) throw new Error(`the generated recipe has diagnostics: ${first.message}`);
  return {
    name: `parse to AST (${pair.lines} lines)`,
    millis: medianMillis(() => parse(pair.recipe, "bench.recipe"), 15),
    baseline: "yaml.parse",
    baselineMillis: medianMillis(() => parseYaml(pair.yaml), 15),
    goal: "ratio <= 0.5: twice as fast as YAML",
  };
}

/** Parse, resolve, typecheck and lower the same recipe to its Plan. */
function checkBench(): Comparison {
  const pair = generatePair(10_000);
  const check = checkProgram("bench.recipe", pair.recipe);
  const error = check.diagnostics.find((d) => d.severity === "error");
  if (error) throw new Error(`the generated recipe does not check: ${error.message}`);
  return {
    name: `check + lower (${pair.lines} lines)`,
    millis: medianMillis(() => lowerProgram(checkProgram("bench.recipe", pair.recipe)), 9),
    baseline: "yaml.parse",
    baselineMillis: medianMillis(() => parseYaml(pair.yaml), 9),
    goal: "ratio <= 1: no slower than YAML parse alone",
  };
}

/** A cold `roux check` of the example, as a user runs it, against starting Node with nothing to do. */
function coldCheckBench(): Comparison {
  const run = (args: string[]) => () => execFileSync(process.execPath, args, { stdio: "ignore" });
  return {
    name: "cold `roux check` of the flagship",
    millis: medianMillis(run(["bin/roux.js", "check", "recipes/arith/flagship.recipe"]), 7, 1),
    baseline: "node -e 0",
    baselineMillis: medianMillis(run(["-e", "0"]), 7, 1),
    goal: "ratio <= 2: at most twice starting Node with nothing to do",
  };
}

const results = [parseBench(), checkBench(), coldCheckBench(), linearCheckBench(), await manyErrorsBench(), ...pipelineBenches(), await registryPageBench()];
for (const result of results) console.log(formatComparison(result));
for (const line of [await trainingBench(), await samplingBench()]) {
  console.log(`${line.name.padEnd(44)} ${line.value}   ${line.baseline}   ${line.ratio}   (goal: ${line.goal})`);
}
for (const result of await lspBenches()) console.log(formatComparison(result));
