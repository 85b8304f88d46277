/**
 * The Python reward module an export ships for engines that call a reward function: the rule
 * verifiers (`exact_match`, `numeric_match`, `regex_match`) and the weighted sums over them that
 * the recipe's RL stages use. The recipe's reward is written into the module as data (SPEC, one
 * entry per RL stage) and evaluated by a fixed interpreter, so what the module computes can be
 * read back by `roux import` without parsing Python. It follows runtime/rewards/verifiers.ts and
 * numbers.ts; the patterns are run by Python's `re`, which reads the recipe's regular
 * expressions as the local runtime does for the syntax both share. A sample a verifier cannot
 * score counts as the low end of its range, as the local runtime's evals count a scoring failure
 * (runtime/run/evaluate.ts), so one example without an answer never stops a run.
 */
import { findNode, nodeOf } from "../plan/nodes.js";
import { leavesOf, mapValues, subexpressions } from "../../plan/reward-expr.js";
import type { Plan, RewardExpr, RewardSource, RlStage } from "../../plan/plan.js";
import { PYTHON_REWARD_OPS, PYTHON_VERIFIERS } from "./capabilities.js";
import { type ExportTarget, pinLine } from "./engines.js";

/** The file name of the module in an export's folder. */
export const REWARD_MODULE = "roux_reward.py";
/** The marker `roux import` looks for. */
export const SPEC_MARKER = "SPEC = json.loads(r'''";

export type Verifier = Extract<RewardSource["source"], { kind: "exact_match" | "numeric_match" | "regex_match" }>;

/** One RL stage's reward as the module evaluates it: named verifiers and an expression over their names. */
export interface RewardSpec {
  rewards: Record<string, Verifier>;
  expr: RewardExpr;
  /** The dataset key the verifiers' answer comes from (verl passes it on as `ground_truth`). */
  answer_key: string | null;
}

/** The RL stage's reward expression with its Score nodes replaced by the reward sources they score. */
export function rewardSpec(plan: Plan, stage: RlStage): RewardSpec {
  const scores = new Map(stage.graph.flatMap((n) => (n.op === "Score" ? [[n.id, n.reward] as const] : [])));
  const expr = findNode(stage.graph, "Combine")?.expr ?? { op: "value", node: nodeOf(stage.graph, "Score").id };
  const rewards: Record<string, Verifier> = {};
  for (const name of scores.values()) {
    const source = plan.rewards.find((r) => r.name === name)?.source;
    if (source === undefined || !PYTHON_VERIFIERS.has(source.kind)) throw new Error(`reward ${name} is not a rule verifier (roux check --target reports this)`);
    rewards[name] = source as Verifier;
  }
  const data = plan.datasets.find((d) => d.name === nodeOf(stage.graph, "Sample").data)?.source;
  return {
    rewards,
    expr: mapValues(expr, (leaf) => ({ op: "reward", name: scores.get(leaf.node) ?? leaf.node })),
    answer_key: data?.kind === "jsonl" ? data.answer : null,
  };
}

/** An eval block's rewards as the module evaluates them: named verifiers and one expression per label. */
export interface EvalSpec {
  rewards: Record<string, Verifier>;
  metrics: { label: string; expr: RewardExpr }[];
}

/**
 * The eval block's rewards the module can compute (sums of rule verifiers), and the labels of
 * those it cannot (a learned or JS reward, a step-level expression), which the export leaves out.
 */
export function evalSpec(plan: Plan, stage: RlStage): { spec?: EvalSpec; left: string[] } {
  if (stage.eval === null) return { left: [] };
  const verifier = (name: string) => plan.rewards.find((r) => r.name === name && PYTHON_VERIFIERS.has(r.source.kind))?.source as Verifier | undefined;
  const computable = (expr: RewardExpr) =>
    subexpressions(expr).every((e) => (e.op === "reward" ? verifier(e.name) !== undefined : e.op !== "value" && PYTHON_REWARD_OPS.has(e.op)));
  const metrics = stage.eval.rewards.filter((r) => computable(r.expr));
  const left = stage.eval.rewards.filter((r) => !computable(r.expr)).map((r) => r.label);
  if (metrics.length === 0) return { left };
  const rewards: Record<string, Verifier> = {};
  for (const leaf of metrics.flatMap((m) => leavesOf(m.expr))) if (leaf.op === "reward") rewards[leaf.name] = verifier(leaf.name)!;
  return { spec: { rewards, metrics }, left };
}

/** What SPEC holds for an RL stage: its reward, and its eval block's rewards where the module computes them. */
export type StageSpec = RewardSpec & { eval?: EvalSpec };

/** Reads SPEC back out of a module this file wrote; undefined for any other text. */
export function readRewardSpecs(text: string): Record<string, StageSpec> | undefined {
  const start = text.indexOf(SPEC_MARKER);
  if (start < 0) return undefined;
  const end = text.indexOf("''')", start);
  if (end < 0) return undefined;
  try {
    return JSON.parse(text.slice(start + SPEC_MARKER.length, end)) as Record<string, StageSpec>;
  } catch {
    return undefined;
  }
}

/** What an export says of the eval rewards the module leaves out (evalSpec's `left`). */
export function unreportedEvalNote(left: readonly string[]): string {
  return `the reward module computes rule verifiers only; the eval rewards ${left.map((l) => `\`${l}\``).join(", ")} are not reported`;
}

/** The class name Trinity-RFT's registry knows a stage's reward function by. */
export function trinityRewardName(stage: string): string {
  return `roux_${stage.replace(/[^A-Za-z0-9_]/g, "_")}`;
}

/**
 * The name of a stage's eval reward function: the `-` no stage's reward name holds keeps the two
 * apart (a stage named `rl_eval` beside a stage `rl`).
 */
export function trinityEvalRewardName(stage: string): string {
  return `${trinityRewardName(stage)}-eval`;
}

/** Every name a Trinity-RFT reward module registers: each RL stage's reward, and its eval rewards where it computes them. */
export function trinityRewardNames(plan: Plan): string[] {
  return plan.stages.flatMap((s) => (s.kind !== "rl" ? [] : [trinityRewardName(s.name), ...(evalSpec(plan, s).spec ? [trinityEvalRewardName(s.name)] : [])]));
}

export function rewardModule(plan: Plan, target: ExportTarget): string {
  const stages = plan.stages.filter((s): s is RlStage => s.kind === "rl");
  // verl reports the eval rewards beside its validation score (VERL_ENTRY); Trinity-RFT scores
  // an eval taskset with a reward function of its own (trinityEntry).
  const withEval = (s: RlStage): StageSpec => {
    const spec = evalSpec(plan, s).spec;
    return spec ? { ...rewardSpec(plan, s), eval: spec } : rewardSpec(plan, s);
  };
  const specs = Object.fromEntries(stages.map((s) => [s.name, withEval(s)]));
  // ''' cannot occur in JSON text except inside a string, where JSON.stringify escapes nothing
  // that Python's raw string would misread; the quote is split so the marker stays unique.
  const json = JSON.stringify(specs, null, 2).replaceAll("'''", "''\\u0027");
  const entry = target === "verl" ? VERL_ENTRY : trinityEntry(stages.map((s) => ({ stage: s.name, evaluates: specs[s.name]?.eval !== undefined })));
  return `"""Reward functions of recipe \`${plan.recipe.name}\`, generated by \`roux export --target ${target}\`.

Written for ${pinLine(target)}.
SPEC is the recipe's reward per RL stage, as data; \`roux import\` reads it back.
"""
import json
import math
import re
import sys

${SPEC_MARKER}${json}''')

${INTERPRETER}
${entry}`;
}

const INTERPRETER = `_DECIMAL = re.compile(r"^[+-]?(?:\\d{1,3}(?:,\\d{3})+|\\d+)?(?:\\.\\d*)?(?:[eE][+-]?\\d+)?$")
_FRACTION = re.compile(r"^([+-]?\\d+)\\s*/\\s*(\\d+)$")


def _number(text):
    """A number as a person writes one (1,234 / 2.5e-2 / 3/4), or None."""
    text = text.strip()
    fraction = _FRACTION.match(text)
    if fraction:
        denominator = int(fraction.group(2))
        return None if denominator == 0 else int(fraction.group(1)) / denominator
    if not _DECIMAL.match(text) or not re.search(r"\\d", re.sub(r"[eE].*$", "", text)):
        return None
    value = float(text.replace(",", ""))
    return value if math.isfinite(value) else None


def _extract(pattern, response):
    """The first group of the first match, trimmed; None when it took no part."""
    match = re.search(pattern, response)
    if match is None or match.group(1) is None:
        return None
    return match.group(1).strip()


# Every verifier's range is [0, 1]. A sample one cannot score (its example has no answer, or,
# for numeric_match, an answer that is not a number) scores the low end, as the local runtime
# counts a scoring failure, and the first of each kind is reported on stderr: one bad example
# must not stop a run of thousands of steps.
_LOW = 0.0
_REPORTED = set()


def _unscorable(kind, problem, answer):
    if (kind, problem) not in _REPORTED:
        _REPORTED.add((kind, problem))
        print("roux_reward: %s: %s (first: %r); such samples score %s" % (kind, problem, answer, _LOW), file=sys.stderr)
    return _LOW


def _verify(source, response, answer):
    kind = source["kind"]
    if kind == "regex_match":
        return 1.0 if re.search(source["pattern"], response) else 0.0
    if answer is None:
        return _unscorable(kind, "an example has no answer to compare with", answer)
    found = _extract(source["extract"], response)
    if found is None:
        return 0.0
    if kind == "exact_match":
        return 1.0 if found == str(answer).strip() else 0.0
    value, expected = _number(found), _number(str(answer))
    if expected is None:
        return _unscorable(kind, "an example's answer is not a number", answer)
    if value is None:
        return 0.0
    slack = 8 * 2.220446049250313e-16 * max(abs(value), abs(expected), source["tol"])
    return 1.0 if abs(value - expected) <= source["tol"] + slack else 0.0


def _evaluate(expr, scores):
    op = expr["op"]
    if op == "reward":
        return scores[expr["name"]]
    if op == "const":
        return expr["value"]
    if op == "neg":
        return -_evaluate(expr["operand"], scores)
    if op == "clip":
        return min(max(_evaluate(expr["reward"], scores), expr["lo"]), expr["hi"])
    if op == "threshold":
        return 1.0 if _evaluate(expr["reward"], scores) >= expr["t"] else 0.0
    left, right = _evaluate(expr["left"], scores), _evaluate(expr["right"], scores)
    return {"+": lambda: left + right, "-": lambda: left - right, "*": lambda: left * right, "/": lambda: left / right}[op]()


def score(stage, response, answer):
    """The stage's reward for one response to an example whose answer is \`answer\`."""
    spec = SPEC[stage]
    scores = {name: _verify(source, response, answer) for name, source in spec["rewards"].items()}
    return float(_evaluate(spec["expr"], scores))


def evaluations(stage, response, answer):
    """The stage's eval rewards for one response, by label; empty when the stage has no eval block."""
    spec = SPEC[stage].get("eval")
    if spec is None:
        return {}
    scores = {name: _verify(source, response, answer) for name, source in spec["rewards"].items()}
    return {metric["label"]: float(_evaluate(metric["expr"], scores)) for metric in spec["metrics"]}
`;

// verl's custom_reward_function contract: compute_score(data_source, solution_str, ground_truth,
// extra_info), a number or a dict with the number as "score", whose other keys verl's validation
// reports per data source beside it (val-aux/<data source>/<key>/mean@N).
const VERL_ENTRY = `

def compute_score(data_source, solution_str, ground_truth, extra_info=None):
    """verl's custom reward function: the recipe's one RL stage, and its eval block's rewards beside it."""
    stage = next(iter(SPEC))
    reward = score(stage, solution_str, ground_truth)
    evals = {"eval/" + label: value for label, value in evaluations(stage, solution_str, ground_truth).items()}
    return dict(evals, score=reward) if evals else reward
`;

// Trinity-RFT finds reward functions in its registry, REWARD_FUNCTIONS of its package
// trinity.common.rewards (its reward_fn submodule holds RewardFn alone); TRINITY_PLUGIN_DIRS makes
// it import this file. Its workflow (trinity/common/workflows/workflow.py, SimpleWorkflow.run)
// calls a taskset's reward function with the response text and the row's answer, records each key
// of the dict it returns as a metric of the response, and trains on their sum. An eval taskset's
// responses train nothing: the explorer (trinity/explorer/explorer.py, `_finish_eval_step`) reports
// each metric as eval/<taskset>/<key>/mean@N, so the eval class returns one key per eval reward.
function trinityEntry(stages: { stage: string; evaluates: boolean }[]): string {
  const classes = stages.flatMap(({ stage, evaluates }) => [
    trinityClass(
      trinityRewardName(stage),
      `${classStem(stage)}Reward`,
      `Stage \`${stage}\`'s reward`,
      `{"reward": score(${JSON.stringify(stage)}, response, truth)}`,
    ),
    ...(evaluates
      ? [
          trinityClass(
            trinityEvalRewardName(stage),
            `${classStem(stage)}Evaluation`,
            `Stage \`${stage}\`'s eval rewards, by label`,
            `evaluations(${JSON.stringify(stage)}, response, truth)`,
          ),
        ]
      : []),
  ]);
  return `
from trinity.common.rewards import REWARD_FUNCTIONS, RewardFn
${classes.join("")}`;
}

/** A RewardFn class registered as `name`, whose call returns the Python expression `call` (a dict of metrics). */
function trinityClass(name: string, className: string, doc: string, call: string): string {
  return `

@REWARD_FUNCTIONS.register_module(${JSON.stringify(name)})
class ${className}(RewardFn):
    """${doc}: Trinity-RFT calls it with a response's text and its row's answer."""

    def __init__(self, **kwargs):
        pass

    def __call__(self, response, truth=None, **kwargs):
        return ${call}
`;
}

/** The stage's name as a Python class name's stem: the reward class adds `Reward`, the eval class `Evaluation`. */
function classStem(stage: string): string {
  return `Roux${stage.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ?? "").toUpperCase()).replace(/^./, (c) => c.toUpperCase())}`;
}
