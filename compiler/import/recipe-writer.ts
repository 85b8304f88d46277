/**
 * An imported recipe as recipe text, in the canonical layout `roux fmt` gives (so the file it
 * writes is already formatted). Every field the importer read is written out, defaults
 * included, so the recipe says what the engine config said.
 */
import { leavesOf, printRewardExpr } from "../../plan/reward-expr.js";
import type { ImportedDataset, ImportedOptimizer, ImportedRecipe, ImportedRl, ImportedSft } from "./imported.js";
import type { Verifier } from "../export/reward-python.js";

export function writeRecipe(recipe: ImportedRecipe): string {
  const parts = [
    `recipe ${recipe.name} ${quote(recipe.description)}`,
    `model policy = hf(${quote(recipe.model)})`,
    recipe.datasets.map(dataset).join("\n"),
    [...recipe.rewards.map((r) => `reward ${r.name} : outcome = ${verifier(r.source)}`), ...undeclared(recipe).map(undeclaredNote)].join("\n"),
    ...recipe.stages.map((s) => (s.kind === "sft" ? sft(s) : rl(s))),
    `run {\n  stages = ${recipe.stages.map((s) => s.name).join(" -> ")}\n}`,
  ];
  return `${parts.filter((p) => p !== "").join("\n\n")}\n`;
}

/** Rewards a stage uses that the import could not read (reward-reader.ts): named, not declared. */
function undeclared(recipe: ImportedRecipe): string[] {
  const declared = new Set(recipe.rewards.map((r) => r.name));
  const used = recipe.stages.flatMap((s) => (s.kind === "rl" ? leavesOf(s.reward) : [])).flatMap((leaf) => (leaf.op === "reward" ? [leaf.name] : []));
  return [...new Set(used)].filter((name) => !declared.has(name));
}

function undeclaredNote(name: string): string {
  return (
    `// \`${name}\` is the engine config's own reward function, which Roux cannot read: declare\n` +
    `// \`reward ${name} : outcome = ...\` (exact_match, numeric_match, regex_match or js(...)) here.`
  );
}

function dataset(d: ImportedDataset): string {
  const keys = [
    `prompt = ${quote(d.prompt)}`,
    ...(d.response ? [`response = ${quote(d.response)}`] : []),
    ...(d.answer ? [`answer = ${quote(d.answer)}`] : []),
  ];
  return [...(d.note ?? []).map((line) => `// ${line}`), `data ${d.name} = jsonl(${quote(d.path)}) { ${keys.join(", ")} }`].join("\n");
}

function verifier(v: Verifier): string {
  switch (v.kind) {
    case "exact_match":
      return `exact_match(extract = ${pattern(v.extract)})`;
    case "numeric_match":
      return `numeric_match(extract = ${pattern(v.extract)}, tol = ${num(v.tol)})`;
    case "regex_match":
      return `regex_match(pattern = ${pattern(v.pattern)})`;
  }
}

function sft(s: ImportedSft): string {
  return block(`stage ${s.name} = sft`, [
    `data = ${s.data}`,
    `${s.length.unit === "epochs" ? "epochs" : "steps"} = ${s.length.value} ${s.length.unit}`,
    `batch = ${s.batch}`,
    `optimizer = ${optimizer(s.optimizer)}`,
  ]);
}

function rl(s: ImportedRl): string {
  const sample = fields([
    ["temperature", s.sample.temperature],
    ["top_p", s.sample.top_p],
  ]);
  const advantage =
    s.advantage.kind === "rloo"
      ? "rloo"
      : `group_norm(${fields([
          ["std", s.advantage.std],
          ["eps", s.advantage.eps],
        ])})`;
  const kl = s.loss.kl ? `k${s.loss.kl.estimator.slice(1)}(${num(s.loss.kl.coef)}, ref = ${s.loss.kl.ref})` : undefined;
  const loss = fields([
    ["clip", s.loss.clip],
    ["clip_high", s.loss.clip_high],
    ["dual_clip", s.loss.dual_clip],
    ["entropy", s.loss.entropy],
    ["aggregate", s.loss.aggregate ? { raw: s.loss.aggregate } : undefined],
    ["kl", kl ? { raw: kl } : undefined],
  ]);
  const lines = [
    `data = ${s.data}`,
    `${s.length.unit === "epochs" ? "epochs" : "steps"} = ${s.length.value} ${s.length.unit}`,
    `batch = ${s.batch}`,
    `group = ${s.group}`,
    `sample = { ${[sample, `max_tokens = ${s.sample.max_tokens} tokens`].filter((x) => x !== "").join(", ")} }`,
    `reward = ${printRewardExpr(s.reward, (leaf) => (leaf.op === "reward" ? leaf.name : leaf.node))}`,
    "credit = outcome",
    `advantage = ${advantage}`,
    `loss = ppo { ${loss} }`,
    `optimizer = ${optimizer(s.optimizer)}`,
    ...(s.ppo_epochs !== undefined ? [`ppo_epochs = ${s.ppo_epochs}`] : []),
  ];
  if (s.expert) {
    const { mu } = s.expert;
    const schedule =
      mu.warmup === 0 && mu.decay === 0 && mu.peak === mu.valley
        ? num(mu.peak)
        : `warmup_cosine(${num(mu.peak)} -> ${num(mu.valley)}, warmup = ${mu.warmup} steps, decay = ${mu.decay} steps)`;
    lines.push(`expert = chord {\n    data = ${s.expert.data}\n    mu = ${schedule}\n    phi = ${s.expert.phi}\n    ratio = ${num(s.expert.ratio)}\n  }`);
  }
  if (s.eval)
    lines.push(
      `eval = { ${fields([
        ["data", { raw: s.eval.data }],
        ["every", { raw: `${s.eval.every} steps` }],
        ["rewards", { raw: `[${s.eval.rewards.join(", ")}]` }],
        ["temperature", s.eval.temperature],
        ["samples", s.eval.samples],
      ])} }`,
    );
  return block(`stage ${s.name} = rl`, lines);
}

function optimizer(o: ImportedOptimizer): string {
  const betas = o.betas && { raw: `[${o.betas.map(num).join(", ")}]` };
  return `adam { ${fields([
    ["lr", o.lr],
    ["betas", betas],
    ["weight_decay", o.weight_decay],
    ["clip_grad", o.clip_grad],
  ])} }`;
}

type FieldValue = number | boolean | { raw: string } | undefined;

/** `a = 1, b = 2` for the fields that have a value. */
function fields(entries: [string, FieldValue][]): string {
  return entries
    .filter((e): e is [string, NonNullable<FieldValue>] => e[1] !== undefined)
    .map(([k, v]) => `${k} = ${typeof v === "object" ? v.raw : typeof v === "number" ? num(v) : String(v)}`)
    .join(", ");
}

function block(head: string, lines: string[]): string {
  return `${head} {\n${lines.map((l) => `  ${l}`).join("\n")}\n}`;
}

/** A number as the recipe language reads it back to the same value. */
function num(n: number): string {
  return String(n);
}

function quote(s: string): string {
  return JSON.stringify(s);
}

/** A regular expression as a raw string where it can be one (no `"` inside), else escaped. */
function pattern(s: string): string {
  return s.includes('"') ? quote(s) : `r"${s}"`;
}
