/**
 * `roux import --from trinity`: a Trinity-RFT config as a recipe: its stages in order (or the
 * top level as one stage), `sft` stages in train mode and `grpo` / `rloo` / `mix_chord` in both
 * modes. A stage's `algorithm`, `buffer` and `trainer` replace the top level's when given, as
 * Trinity-RFT applies them; an algorithm field left out is the algorithm type's default at the
 * pinned release (compiler/export/facts/trinity.json). Keys that are how Trinity-RFT runs
 * (cluster, explorer engines, synchronizer, monitor) have no recipe field and are passed over,
 * tuning keys among them are W0004 (tuning.ts); any other key it does not map is E3401, inside a
 * stage or a taskset too.
 */
import type { Duration } from "../../plan/plan.js";
import { type Json, keyDefault, pinnedFacts, registered } from "../export/facts/facts.js";
import { TRINITY_AGGREGATE, TRINITY_WORKFLOW } from "../export/trinity.js";
import { algorithmDefault, defaultEntry, TRINITY_EXPERT_BUFFER, TRINITY_KL_NAMES } from "../export/trinity-algorithm.js";
import { REWARD_MODULE, trinityEvalRewardName, trinityRewardName } from "../export/reward-python.js";
import { ConfigReader } from "./config-reader.js";
import { identifier, inverse, inverseNames, type ImportContext } from "./context.js";
import { dataFile } from "./data-source.js";
import type { ImportedDataset, ImportedOptimizer, ImportedRecipe, ImportedStage } from "./imported.js";
import { importEvalRewards, importReward, type ImportedReward } from "./reward-reader.js";

const ENGINE_SETTINGS = [
  "project",
  "group",
  "checkpoint_root_dir",
  "continue_from_checkpoint",
  "ray_namespace",
  "model.max_prompt_tokens",
  "model.max_model_len",
  "cluster",
  "explorer.rollout_model",
  "explorer.eval_on_startup",
  "explorer.runner_per_model",
  "synchronizer",
  "monitor",
  "log",
  "trainer.trainer_type",
  "trainer.save_interval",
];
/** Per stage: keys of how a buffer is stored, not what it holds. */
const BUFFER_SETTINGS = ["storage_type", "name", "format.prompt_type"];

const AGGREGATES = inverse(TRINITY_AGGREGATE);
const KL = inverseNames(TRINITY_KL_NAMES);

const numberOr = (value: Json | undefined) => (typeof value === "number" ? value : undefined);
const stringOr = (value: Json | undefined) => (typeof value === "string" ? value : undefined);

/** The KL coefficient Trinity-RFT uses when the config gives no `kl_loss_fn_args` (the KL function's `default_args()`). */
function klCoefDefault(name: string): number {
  const coef = numberOr(registered(pinnedFacts().trinity, "KL_FN", name)?.defaultArgs?.kl_coef);
  if (coef === undefined) throw new Error(`facts/trinity.json: KL_FN ${name} has no default kl_coef`);
  return coef;
}

/** The algorithm types a recipe's stages are; Trinity-RFT's `rloo` is GRPO's loop with RLOO advantages. */
const ALGORITHMS = ["sft", "grpo", "mix_chord", "rloo"] as const;
/** Trinity-RFT's algorithm types and advantage functions that learn a value model: a recipe trains no critic. */
const WITH_CRITIC: ReadonlySet<string> = new Set(["ppo"]);

export function importTrinity(file: string, text: string, context: ImportContext): { recipe: ImportedRecipe; reader: ConfigReader } {
  const facts = pinnedFacts().trinity;
  const r = new ConfigReader(file, text, "Trinity-RFT", context.env);
  for (const key of ENGINE_SETTINGS) r.skip(key);
  const model = r.str("model.model_path");
  if (model === undefined) r.missing("model.model_path", "the policy's hub name");
  if (r.str("model.custom_chat_template") !== undefined) {
    r.unsupported(
      "model.custom_chat_template",
      "a chat template other than the model's own",
      "an export prompts with the model's own template: set it to null",
    );
  }
  const moduleText = context.readText(REWARD_MODULE);
  const datasets: ImportedDataset[] = [];
  const rewards = new Map<string, ImportedReward["rewards"][number]>();

  /** A buffer or taskset at `at` as a dataset of the recipe (one per file of its split, and keys). */
  const dataset = (at: string, fallback: string, role: "response" | "answer"): string => {
    for (const key of BUFFER_SETTINGS) r.skip(`${at}.${key}`);
    const path = r.str(`${at}.path`);
    if (path === undefined) r.missing(`${at}.path`, "the data file");
    const split = { name: r.str(`${at}.split`) ?? "train", at: `${at}.split` };
    const { file, note } =
      path === undefined ? { file: "data.jsonl", note: undefined } : dataFile(r, context, `${at}.path`, path, split, r.str(`${at}.subset_name`));
    const prompt = r.str(`${at}.format.prompt_key`) ?? "prompt";
    const second = r.str(`${at}.format.response_key`);
    const entry: ImportedDataset = {
      name: identifier(r.str(`${at}.name`) ?? fallback, fallback),
      path: context.recipePath(file),
      prompt,
      ...(second ? { [role]: second } : {}),
      ...(note ? { note } : {}),
    };
    const same = datasets.find((d) => d.path === entry.path && d.prompt === entry.prompt && d.response === entry.response && d.answer === entry.answer);
    if (same) return same.name;
    while (datasets.some((d) => d.name === entry.name)) entry.name = `${entry.name}_2`;
    datasets.push(entry);
    return entry.name;
  };

  /**
   * The eval rewards an eval taskset's own reward function computes, when `roux export` wrote it
   * (the stage's eval rewards in its module); undefined when the taskset scores with the stage's
   * reward, as Trinity-RFT does with a taskset that names none.
   */
  const evalRewards = (at: string, stage: string | undefined): string[] | undefined => {
    const key = `${at}.default_reward_fn_type`;
    const name = r.str(key);
    if (name === undefined) return undefined;
    const found = stage !== undefined && name === trinityEvalRewardName(stage) ? importEvalRewards(moduleText, stage) : undefined;
    if (found === undefined) {
      r.unsupported(
        key,
        "an eval reward function `roux export` did not write",
        "the recipe's eval reports the stage's rewards: name the eval rewards in its `rewards`",
      );
      return undefined;
    }
    for (const x of found.rewards) rewards.set(x.name, x);
    return found.labels;
  };

  const count = r.length("stages");
  const prefixes = count === 0 ? [""] : Array.from({ length: count }, (_, i) => `stages.${i}.`);
  const names: string[] = [];
  const stages: ImportedStage[] = prefixes.map((prefix, i) => {
    // A stage's config replaces the top level's field by field (Trinity-RFT's Config.__iter__).
    const at = (field: string) => (prefix !== "" && r.has(`${prefix}${field}`) ? `${prefix}${field}` : field);
    const algorithm = at("algorithm");
    const buffer = at("buffer");
    const stageName = identifier(r.str(`${prefix}stage_name`) ?? (count === 0 ? "rl" : `stage_${i + 1}`), `stage_${i + 1}`);
    names.push(stageName);
    const type = algorithmType(r, `${algorithm}.algorithm_type`);
    r.skip(`${prefix}mode`);
    // A stage's trainer block repeats the engine settings, as Trinity-RFT replaces the top level's whole.
    if (prefix !== "") for (const key of ["trainer.trainer_type", "trainer.save_interval"]) r.skip(`${prefix}${key}`);
    const steps = r.num(`${buffer}.total_steps`, { integer: true });
    const epochs = r.num(`${buffer}.total_epochs`, { integer: true });
    const length: Duration = steps !== undefined ? { value: steps, unit: "steps" } : { value: epochs ?? 1, unit: "epochs" };
    const optimizer: ImportedOptimizer = {
      lr: r.num(`${algorithm}.optimizer.lr`) ?? 1e-6,
      weight_decay: r.num(`${algorithm}.optimizer.weight_decay`) ?? numberOr(keyDefault(facts, "algorithm.optimizer.weight_decay")),
      betas: r.numbers(`${algorithm}.optimizer.betas`),
      clip_grad: r.num(`${at("trainer")}.grad_clip`),
    };
    const warmup = r.str(`${algorithm}.optimizer.warmup_style`);
    if (warmup !== undefined && warmup !== "constant")
      r.unsupported(`${algorithm}.optimizer.warmup_style`, "a learning-rate warm-up", "the import keeps a constant learning rate");

    if (type === "sft") {
      const batch = r.num(`${buffer}.train_batch_size`, { integer: true });
      if (batch === undefined) r.missing(`${buffer}.train_batch_size`, "the examples per step");
      return {
        kind: "sft",
        name: stageName,
        data: dataset(`${buffer}.trainer_input.experience_buffer`, "demos", "response"),
        length,
        batch: batch ?? 1,
        optimizer,
      };
    }

    const group = r.num(`${algorithm}.repeat_times`, { integer: true }) ?? 1;
    const prompts = r.num(`${buffer}.batch_size`, { integer: true }) ?? 1;
    const rows = r.num(`${buffer}.train_batch_size`, { integer: true }) ?? prompts * group;
    const taskset = `${buffer}.explorer_input.taskset`;
    const workflow = r.str(`${buffer}.explorer_input.default_workflow_type`);
    if (workflow !== undefined && workflow !== TRINITY_WORKFLOW)
      r.unsupported(
        `${buffer}.explorer_input.default_workflow_type`,
        `the \`${workflow}\` workflow`,
        `a recipe's RL stage samples one response per prompt and scores it: Trinity-RFT's \`${TRINITY_WORKFLOW}\``,
      );
    const rewardType = r.str(`${buffer}.explorer_input.default_reward_fn_type`);
    const specStage = names.find((n) => trinityRewardName(n) === rewardType) ?? (rewardType?.startsWith("roux_") ? rewardType.slice(5) : undefined);
    const reward = importReward(r, `${buffer}.explorer_input.default_reward_fn_type`, moduleText, specStage);
    for (const x of reward.rewards) rewards.set(x.name, x);
    // What the config leaves out, the algorithm type's defaults give (facts/trinity.json).
    const typeDefault = (field: string) => (type === undefined ? undefined : algorithmDefault(facts, type, field));
    const advantageFn = r.str(`${algorithm}.advantage_fn`) ?? stringOr(typeDefault("advantage_fn"));
    if (advantageFn !== undefined && advantageFn !== "grpo" && advantageFn !== "rloo")
      r.unsupported(
        `${algorithm}.advantage_fn`,
        `Trinity-RFT's \`${advantageFn}\` advantage function`,
        `a recipe's advantage is \`group_norm\` (\`grpo\`) or \`rloo\`${critic(advantageFn)}`,
      );
    const policy = `${algorithm}.policy_loss_fn_args`;
    const klGiven = r.str(`${algorithm}.kl_loss_fn`);
    const klFn = klGiven ?? stringOr(typeDefault("kl_loss_fn"));
    const klEstimator = klFn === undefined || klFn === "none" ? undefined : KL.get(klFn);
    if (klFn !== undefined && klFn !== "none" && klEstimator === undefined) {
      if (klGiven !== undefined) r.unsupported(`${algorithm}.kl_loss_fn`, `Trinity-RFT's \`${klFn}\` KL loss`, "a recipe has k1 and k3 (`low_var_kl`)");
      else
        r.unsupported(
          `${algorithm}.algorithm_type`,
          `Trinity-RFT's \`${type}\` default KL loss (\`kl_loss_fn: ${klFn}\` when the config names none)`,
          "set `kl_loss_fn: low_var_kl` (k3) or `k1`, or `none` for no KL term",
        );
    }
    // Trinity-RFT's validator sets the policy loss's `loss_agg_mode` to `algorithm.loss_agg_mode`
    // (or its default) whenever the loss takes one, so that is the aggregate it trains with.
    r.skip(`${policy}.loss_agg_mode`);
    const aggregateName = r.str(`${algorithm}.loss_agg_mode`) ?? stringOr(typeDefault("loss_agg_mode"));
    const aggregate = aggregateName === undefined ? undefined : AGGREGATES.get(aggregateName);
    if (aggregateName !== undefined && aggregate === undefined)
      r.unsupported(`${algorithm}.loss_agg_mode`, `the \`${aggregateName}\` loss aggregate`, "a recipe aggregates with token_mean or a seq_mean_* mode");
    const clip = r.num(`${policy}.clip_range_low`) ?? r.num(`${policy}.clip_range`);
    const clipHigh = r.num(`${policy}.clip_range_high`);
    const sample = `${taskset}.rollout_args`;
    const maxTokens = r.num(`${sample}.max_tokens`, { integer: true }) ?? r.num("model.max_response_tokens", { integer: true });
    r.skip("model.max_response_tokens");
    if (maxTokens === undefined) r.missing(`${sample}.max_tokens`, "the response length");

    let batch = prompts;
    let expert: Extract<ImportedStage, { kind: "rl" }>["expert"];
    if (type === "mix_chord") {
      // Trinity-RFT reads ceil(ratio * rows) expert rows a step; the recipe counts them in its batch.
      const strategy = defaultEntry(facts, type, "sample_strategy", "SAMPLE_STRATEGY")?.defaultArgs;
      const ratio = r.num(`${algorithm}.sample_strategy_args.expert_data_ratio`) ?? numberOr(strategy?.expert_data_ratio) ?? 0.5;
      const expertBuffer = r.str(`${algorithm}.sample_strategy_args.sft_dataset_name`) ?? stringOr(strategy?.sft_dataset_name) ?? TRINITY_EXPERT_BUFFER;
      const expertRows = Math.ceil(ratio * rows);
      batch = prompts + expertRows;
      for (const key of [
        "use_dynamic_bsz",
        "ppo_mini_batch_size",
        "ppo_micro_batch_size_per_gpu",
        "ngpus_trainer",
        "train_batch_size_usual",
        "train_batch_size_expert",
        "use_token_level_loss_in_sft",
      ])
        r.skip(`${policy}.${key}`);
      // The expert buffer's length only keeps it from running out before the stage ends.
      r.skip(`${buffer}.trainer_input.auxiliary_buffers.${expertBuffer}.total_steps`);
      expert = {
        data: dataset(`${buffer}.trainer_input.auxiliary_buffers.${expertBuffer}`, "demos", "response"),
        mu: {
          warmup: r.num(`${policy}.mu_warmup_steps`, { integer: true }) ?? 0,
          decay: r.num(`${policy}.mu_decay_steps`, { integer: true }) ?? 0,
          peak: r.num(`${policy}.mu_peak`) ?? 0.1,
          valley: r.num(`${policy}.mu_valley`) ?? 0.1,
        },
        phi: r.bool(`${policy}.enable_phi_function`) ?? true,
        ratio: expertRows / batch,
      };
    } else if (rows !== prompts * group) {
      r.unsupported(
        `${buffer}.train_batch_size`,
        "a trainer batch other than the explorer's rollouts",
        "a recipe trains on each step's rollouts: set it to `batch_size` x `repeat_times`",
      );
    }
    const evalCount = r.length(`${buffer}.explorer_input.eval_tasksets`);
    const interval = r.num("explorer.eval_interval", { integer: true });
    const evalAt = `${buffer}.explorer_input.eval_tasksets.0`;
    for (let j = 1; j < evalCount; j++)
      r.unsupported(`${buffer}.explorer_input.eval_tasksets.${j}`, "a second eval taskset", "a recipe's stage evaluates on one dataset");
    const previous = names[i - 1] ?? "init";
    return {
      kind: "rl",
      name: stageName,
      data: dataset(taskset, "train", "answer"),
      length,
      batch,
      group,
      sample: { temperature: r.num(`${sample}.temperature`), top_p: r.num(`${sample}.top_p`), max_tokens: maxTokens ?? 1 },
      reward: reward.expr,
      advantage: advantageFn === "rloo" ? { kind: "rloo" } : { kind: "group_norm", std: true, eps: r.num(`${algorithm}.advantage_fn_args.epsilon`) },
      loss: {
        clip,
        clip_high: clipHigh !== undefined && clipHigh !== clip ? clipHigh : undefined,
        dual_clip: r.num(`${policy}.clip_ratio_c`),
        entropy: r.num(`${algorithm}.entropy_loss_fn_args.entropy_coef`),
        aggregate,
        kl: klEstimator ? { estimator: klEstimator, coef: r.num(`${algorithm}.kl_loss_fn_args.kl_coef`) ?? klCoefDefault(klFn!), ref: previous } : undefined,
      },
      optimizer,
      ...(expert ? { expert } : {}),
      ...(evalCount > 0
        ? {
            eval: {
              data: dataset(evalAt, "test", "answer"),
              every: interval ?? 100,
              temperature: r.num(`${evalAt}.rollout_args.temperature`),
              samples: r.num(`${evalAt}.repeat_times`, { integer: true }),
              rewards: evalRewards(evalAt, specStage) ?? reward.rewards.map((x) => x.name),
            },
          }
        : {}),
    };
  });
  r.skip("explorer.eval_interval");
  const name = identifier(r.str("name") ?? "imported", "imported");
  r.reportUnread();
  const recipe: ImportedRecipe = {
    name,
    description: `imported from the Trinity-RFT config ${file} by roux import`,
    model: model ?? "OWNER/NAME",
    datasets,
    rewards: [...rewards.values()],
    stages,
  };
  return { recipe, reader: r };
}

/** The stage's algorithm type, E3401 for one a recipe has no stage for (read as GRPO's loop, so the rest still imports). */
function algorithmType(r: ConfigReader, key: string): (typeof ALGORITHMS)[number] | undefined {
  const type = r.str(key);
  if (type === undefined || (ALGORITHMS as readonly string[]).includes(type)) return type as (typeof ALGORITHMS)[number] | undefined;
  r.unsupported(
    key,
    `Trinity-RFT's \`${type}\` algorithm`,
    `a recipe's stages are Trinity-RFT's ${ALGORITHMS.map((a) => `\`${a}\``).join(", ")}${critic(type)}`,
  );
  return "grpo";
}

function critic(name: string): string {
  return WITH_CRITIC.has(name) ? `; \`${name}\` needs a critic (a value model), which a recipe does not train` : "";
}
