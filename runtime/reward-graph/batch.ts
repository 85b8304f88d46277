/**
 * The batch `roux rewards` runs a stage's reward graph on, as parsed JSON, checked
 * for shape: every mistake is a BatchError whose message starts with the JSON path of the value
 * at fault (`groups[1].responses[2].rewards.steps`). Lengths that depend on the tokenizer and
 * the plan (steps, tokens) are checked where the responses are tokenized and packed
 * (pack-batch.ts).
 *
 * ```
 * {"groups": [{"prompt": str?, "answer": str?, "responses": [{
 *    "text": str | "tokens": [int],           exactly one of the two
 *    "step_ends": [int]?,                     each step's last token, relative to the response
 *    "rewards": {NAME: number | [number]}?,   given values replace scoring for that reward
 *    "logprobs": [number]?, "ref_logprobs": [number]?, "entropy": [number]?   per token
 * }]}]}
 * ```
 */
import { BatchError } from "./errors.js";
import type { GivenRewards } from "./rollouts.js";

export { BatchError };

export interface BatchResponse {
  readonly text: string | null;
  readonly tokens: readonly number[] | null;
  readonly stepEnds: readonly number[] | null;
  /** By reward source name, in the order the batch gives them. */
  readonly rewards: GivenRewards;
  readonly logprobs: readonly number[] | null;
  readonly refLogprobs: readonly number[] | null;
  readonly entropy: readonly number[] | null;
}

export interface BatchGroup {
  readonly prompt: string | null;
  readonly answer: string | null;
  readonly responses: readonly BatchResponse[];
}

export interface RewardBatch {
  readonly groups: readonly BatchGroup[];
}

/** `groups[g].responses[i]`, the path error messages use for a response. */
export function responsePath(group: number, response: number): string {
  return `groups[${group}].responses[${response}]`;
}

/** The path of packed row `row` (rows are group by group). */
export function rowPath(groupSize: number, row: number): string {
  return responsePath(Math.floor(row / groupSize), row % groupSize);
}

/**
 * The bounds of a batch, which `roux rewards` holds in memory whole: the reward graph is one
 * step's, and its statistics (whiten, the metrics) are over the whole batch, so it cannot be
 * scored a part at a time. A step's batch is far smaller (512 prompts of 16 responses of 256
 * tokens is 8,192 responses and 2M tokens); at the bounds the command stays under about 1 GB
 * (runtime/reward-graph/README.md "Choices"). The file's bytes bound what parsing it costs, the
 * responses and the tokens what the graph and the output cost.
 */
export const BATCH_MAX_BYTES = 16 * 1024 * 1024;
export const BATCH_MAX_RESPONSES = 65_536;
/** Checked as the responses are tokenized (pack-batch.ts). */
export const BATCH_MAX_TOKENS = 4 * 1024 * 1024;

const BATCH_KEYS = ["groups"];
const GROUP_KEYS = ["prompt", "answer", "responses"];
const RESPONSE_KEYS = ["text", "tokens", "step_ends", "rewards", "logprobs", "ref_logprobs", "entropy"];

/**
 * Checks the shape of a parsed batch: the documented keys only (a misspelt key is an error, not
 * silently ignored), the documented types, at least one group, and the same number of
 * responses in every group (the ops need whole groups of G).
 */
export function readBatch(json: unknown): RewardBatch {
  const root = object(json, "the batch");
  onlyKeys(root, BATCH_KEYS, "the batch");
  const groups = list(root.groups, "groups", "a list of groups");
  const responses = groups.reduce((n: number, g) => n + (isObject(g) && Array.isArray(g.responses) ? g.responses.length : 0), 0);
  if (responses > BATCH_MAX_RESPONSES) {
    throw new BatchError(`groups: ${responses} responses, more than the ${BATCH_MAX_RESPONSES} a batch may have; give one step's responses at a time`);
  }
  const read = groups.map((g, index) => readGroup(g, `groups[${index}]`));
  const first = read[0];
  if (first === undefined) throw new BatchError("groups: the batch has no group");
  const size = first.responses.length;
  read.forEach((group, index) => {
    if (group.responses.length !== size) {
      throw new BatchError(
        `groups[${index}].responses: ${group.responses.length} responses, but groups[0] has ${size}; every group must have the same number of responses`,
      );
    }
  });
  return { groups: read };
}

function readGroup(value: unknown, path: string): BatchGroup {
  const group = object(value, path);
  onlyKeys(group, GROUP_KEYS, path);
  const responses = list(group.responses, `${path}.responses`, "a list of responses");
  if (responses.length === 0) throw new BatchError(`${path}.responses: the group has no response`);
  return {
    prompt: optionalString(group.prompt, `${path}.prompt`),
    answer: optionalString(group.answer, `${path}.answer`),
    responses: responses.map((r, index) => readResponse(r, `${path}.responses[${index}]`)),
  };
}

function readResponse(value: unknown, path: string): BatchResponse {
  const response = object(value, path);
  onlyKeys(response, RESPONSE_KEYS, path);
  const text = optionalString(response.text, `${path}.text`);
  const tokens = optionalNumbers(response.tokens, `${path}.tokens`, "integer");
  if ((text === null) === (tokens === null)) {
    throw new BatchError(
      `${path}: give the response as \`text\` (a string) or as \`tokens\` (a list of token ids), ${text === null ? "not neither" : "not both"}`,
    );
  }
  const rewards = new Map<string, number | readonly number[]>();
  if (response.rewards !== undefined) {
    const given = object(response.rewards, `${path}.rewards`);
    for (const [name, v] of Object.entries(given)) {
      const where = `${path}.rewards.${name}`;
      rewards.set(name, Array.isArray(v) ? numbers(v, where, "number") : finite(v, where));
    }
  }
  return {
    text,
    tokens,
    stepEnds: optionalNumbers(response.step_ends, `${path}.step_ends`, "integer"),
    rewards,
    logprobs: optionalNumbers(response.logprobs, `${path}.logprobs`, "number"),
    refLogprobs: optionalNumbers(response.ref_logprobs, `${path}.ref_logprobs`, "number"),
    entropy: optionalNumbers(response.entropy, `${path}.entropy`, "number"),
  };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (!isObject(value)) {
    throw new BatchError(`${path}: expected an object, found ${describe(value)}`);
  }
  return value as Record<string, unknown>;
}

function onlyKeys(value: Record<string, unknown>, known: readonly string[], path: string): void {
  for (const key of Object.keys(value)) {
    if (!known.includes(key)) {
      throw new BatchError(`${path}: unknown key \`${key}\` (the keys are ${known.map((k) => `\`${k}\``).join(", ")})`);
    }
  }
}

function list(value: unknown, path: string, what: string): unknown[] {
  if (!Array.isArray(value)) throw new BatchError(`${path}: expected ${what}, found ${describe(value)}`);
  return value;
}

function optionalString(value: unknown, path: string): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "string") throw new BatchError(`${path}: expected a string, found ${describe(value)}`);
  return value;
}

function optionalNumbers(value: unknown, path: string, kind: "integer" | "number"): number[] | null {
  return value === undefined || value === null ? null : numbers(value, path, kind);
}

function numbers(value: unknown, path: string, kind: "integer" | "number"): number[] {
  const items = list(value, path, `a list of ${kind}s`);
  return items.map((item, index) => {
    const x = finite(item, `${path}[${index}]`);
    if (kind === "integer" && !Number.isInteger(x)) throw new BatchError(`${path}[${index}]: expected an integer, found ${x}`);
    return x;
  });
}

function finite(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new BatchError(`${path}: expected a number, found ${describe(value)}`);
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return "nothing";
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "an object";
  if (typeof value === "string") return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}
