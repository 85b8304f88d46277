/**
 * `roux import --from verl`: a verl PPO trainer config (ppo_trainer.yaml's keys) as a recipe of
 * one RL stage. Keys that are how verl runs (cluster size, logging) have no recipe field and are
 * passed over, tuning keys (micro-batching, memory) are W0004 (tuning.ts); every other key it
 * does not map is E3401. A key left out is verl's default at the pinned release
 * (compiler/export/facts/verl.json).
 */
import type { Duration } from "../../plan/plan.js";
import { keyDefault, pinnedFacts } from "../export/facts/facts.js";
import { VERL_AGGREGATE, VERL_DIRECTIVES } from "../export/verl.js";
import { VERL_KL_NAMES } from "../export/verl-names.js";
import { ConfigReader } from "./config-reader.js";
import { identifier, inverse, inverseNames, type ImportContext } from "./context.js";
import { dataFile } from "./data-source.js";
import type { ImportedDataset, ImportedRecipe, ImportedRl } from "./imported.js";
import { importEvalRewards, importReward } from "./reward-reader.js";

/** How verl runs rather than what it trains, and not tuning (tuning.ts): none of these is a recipe field. */
const ENGINE_SETTINGS = [
  ...VERL_DIRECTIVES,
  "data.max_prompt_length",
  "data.filter_overlong_prompts",
  "data.truncation",
  "actor_rollout_ref.rollout.name",
  "actor_rollout_ref.rollout.val_kwargs.do_sample",
  "custom_reward_function.name",
  "trainer.project_name",
  "trainer.logger",
  "trainer.nnodes",
  "trainer.n_gpus_per_node",
  "trainer.save_freq",
  "trainer.val_before_train",
  "trainer.default_local_dir",
];

const AGGREGATES = inverse(VERL_AGGREGATE);
const KL = inverseNames(VERL_KL_NAMES);

/** A key's default in verl's config at the pin (facts/verl.json): what verl runs when the config leaves the key out. */
function verlDefault<T>(key: string, type: "number" | "string"): T | undefined {
  const value = keyDefault(pinnedFacts().verl, key);
  return typeof value === type ? (value as T) : undefined;
}

/** verl's advantage estimators that learn a value model: a recipe trains no critic. */
const CRITIC_ESTIMATORS: ReadonlySet<string> = new Set(["gae"]);

export function importVerl(file: string, text: string, context: ImportContext): { recipe: ImportedRecipe; reader: ConfigReader } {
  const r = new ConfigReader(file, text, "verl", context.env);
  for (const key of ENGINE_SETTINGS) r.skip(key);
  const actor = "actor_rollout_ref.actor";
  const rollout = "actor_rollout_ref.rollout";

  const model = r.str("actor_rollout_ref.model.path");
  if (model === undefined) r.missing("actor_rollout_ref.model.path", "the policy's hub name");
  if (r.str("actor_rollout_ref.model.custom_chat_template") !== undefined) {
    r.unsupported(
      "actor_rollout_ref.model.custom_chat_template",
      "a chat template other than the model's own",
      "an export prompts with the model's own template: set it to null",
    );
  }
  const rewardPath = r.str("custom_reward_function.path");
  const moduleText = rewardPath === undefined ? undefined : context.readText(rewardPath);
  const reward = importReward(r, "custom_reward_function.path", moduleText, undefined);
  // The eval block's rewards, which the module reports beside the score; without them, the stage's.
  const evalRewards = importEvalRewards(moduleText, undefined);

  const datasets: ImportedDataset[] = [];
  const prompt = r.str("data.prompt_key") ?? "prompt";
  /** verl reads its files whole; the train files are the `train` split, the val files the `test` one, for naming a hub dataset's file. */
  const dataset = (key: string, name: string, split: string): string | undefined => {
    const given = r.str(key);
    if (given === undefined) return undefined;
    const { file, note } = dataFile(r, context, key, given, { name: split });
    const jsonl = file.replace(/\.parquet$/, ".jsonl");
    if (jsonl !== file && !context.exists(jsonl)) {
      r.unsupported(key, "a parquet dataset without its JSON Lines file", `a recipe reads JSON Lines: write the table as ${jsonl}`);
    }
    const existing = datasets.find((d) => d.path === context.recipePath(jsonl));
    if (existing) return existing.name;
    datasets.push({
      name,
      path: context.recipePath(jsonl),
      prompt,
      ...(reward.answerKey ? { answer: reward.answerKey } : {}),
      ...(note ? { note } : {}),
    });
    return name;
  };
  const train = dataset("data.train_files", "train", "train");
  if (train === undefined) r.missing("data.train_files", "the training prompts");

  const batch = r.num("data.train_batch_size", { integer: true });
  const mini = r.num(`${actor}.ppo_mini_batch_size`, { integer: true });
  if (mini !== undefined && batch !== undefined && mini !== batch) {
    r.unsupported(
      `${actor}.ppo_mini_batch_size`,
      "PPO mini-batches smaller than the step's batch",
      "a recipe takes one optimizer step per pass over the step's rollouts: set it to `data.train_batch_size`",
    );
  }
  const estimator = r.str("algorithm.adv_estimator");
  if (estimator !== undefined && estimator !== "grpo" && estimator !== "rloo")
    r.unsupported(
      "algorithm.adv_estimator",
      `verl's \`${estimator}\` advantage estimator`,
      `a recipe's advantage is \`group_norm\` (verl's \`grpo\`) or \`rloo\`${CRITIC_ESTIMATORS.has(estimator) ? `; \`${estimator}\` needs a critic (a value model), which a recipe does not train` : ""}`,
    );
  const klLoss = r.bool(`${actor}.use_kl_loss`);
  if (!klLoss) {
    r.skip(`${actor}.kl_loss_type`);
    r.skip(`${actor}.kl_loss_coef`);
  }
  const klType = klLoss ? (r.str(`${actor}.kl_loss_type`) ?? verlDefault<string>(`${actor}.kl_loss_type`, "string")) : undefined;
  const klEstimator = klType === undefined ? undefined : KL.get(klType);
  if (klType !== undefined && klEstimator === undefined)
    r.unsupported(`${actor}.kl_loss_type`, `verl's \`${klType}\` KL estimator`, "a recipe has k1 (`kl`) and k3 (`low_var_kl`)");
  if (r.bool("algorithm.use_kl_in_reward"))
    r.unsupported("algorithm.use_kl_in_reward", "a KL penalty in the reward", "a recipe puts KL in the loss: `loss = ppo { kl = k3(...) }`");
  const aggregateName = r.str(`${actor}.loss_agg_mode`);
  const aggregate = aggregateName === undefined ? undefined : AGGREGATES.get(aggregateName);
  if (aggregateName !== undefined && aggregate === undefined)
    r.unsupported(`${actor}.loss_agg_mode`, `verl's \`${aggregateName}\` loss aggregate`, "a recipe aggregates with token_mean or a seq_mean_* mode");
  const lossMode = r.str(`${actor}.policy_loss.loss_mode`);
  if (lossMode !== undefined && lossMode !== "vanilla")
    r.unsupported(`${actor}.policy_loss.loss_mode`, `verl's \`${lossMode}\` policy loss`, "a recipe's PPO loss is verl's `vanilla`");
  const warmup = r.str(`${actor}.optim.warmup_style`);
  if (warmup !== undefined && warmup !== "constant")
    r.unsupported(`${actor}.optim.warmup_style`, "a learning-rate warm-up", "the import keeps a constant learning rate");

  const clip = r.num(`${actor}.clip_ratio_low`) ?? r.num(`${actor}.clip_ratio`);
  const clipHigh = r.num(`${actor}.clip_ratio_high`);
  r.skip(`${actor}.clip_ratio`);
  const steps = r.num("trainer.total_training_steps", { integer: true });
  const epochs = r.num("trainer.total_epochs", { integer: true });
  const length: Duration | undefined =
    steps !== undefined ? { value: steps, unit: "steps" } : epochs !== undefined ? { value: epochs, unit: "epochs" } : undefined;
  if (length === undefined) r.missing("trainer.total_training_steps", "the stage's length");
  const maxTokens = r.num("data.max_response_length", { integer: true }) ?? r.num(`${rollout}.response_length`, { integer: true });
  if (maxTokens === undefined) r.missing("data.max_response_length", "the response length");
  const group = r.num(`${rollout}.n`, { integer: true });
  if (group === undefined) r.missing(`${rollout}.n`, "the rollouts per prompt");
  if (batch === undefined) r.missing("data.train_batch_size", "the prompts per step");
  const lr = r.num(`${actor}.optim.lr`);
  if (lr === undefined) r.missing(`${actor}.optim.lr`, "the learning rate");

  const testFreq = r.num("trainer.test_freq", { integer: true });
  const evaluates = testFreq !== undefined && testFreq > 0;
  if (!evaluates) r.skip("data.val_files");
  const evalData = evaluates ? dataset("data.val_files", "test", "test") : undefined;
  const name = identifier(r.str("trainer.experiment_name") ?? "imported", "imported");
  const coef = klEstimator ? (r.num(`${actor}.kl_loss_coef`) ?? verlDefault<number>(`${actor}.kl_loss_coef`, "number")) : undefined;

  const stage: ImportedRl = {
    kind: "rl",
    name: "rl",
    data: train ?? "train",
    length: length ?? { value: 1, unit: "steps" },
    batch: batch ?? 1,
    group: group ?? 2,
    sample: { temperature: r.num(`${rollout}.temperature`), top_p: r.num(`${rollout}.top_p`), max_tokens: maxTokens ?? 1 },
    reward: reward.expr,
    advantage: estimator === "rloo" ? { kind: "rloo" } : { kind: "group_norm", std: r.bool("algorithm.norm_adv_by_std_in_grpo") ?? true },
    loss: {
      clip,
      clip_high: clipHigh !== undefined && clipHigh !== clip ? clipHigh : undefined,
      dual_clip: r.num(`${actor}.clip_ratio_c`),
      entropy: r.num(`${actor}.entropy_coeff`),
      aggregate,
      kl: klEstimator && coef !== undefined ? { estimator: klEstimator, coef, ref: "init" } : undefined,
    },
    optimizer: {
      lr: lr ?? 1e-6,
      weight_decay: r.num(`${actor}.optim.weight_decay`) ?? verlDefault<number>(`${actor}.optim.weight_decay`, "number"),
      betas: r.numbers(`${actor}.optim.betas`),
      clip_grad: r.num(`${actor}.grad_clip`),
    },
    ppo_epochs: r.num(`${actor}.ppo_epochs`, { integer: true }),
    ...(evalData
      ? {
          eval: {
            data: evalData,
            every: testFreq!,
            temperature: r.num(`${rollout}.val_kwargs.temperature`),
            samples: r.num(`${rollout}.val_kwargs.n`, { integer: true }),
            rewards: evalRewards?.labels ?? reward.rewards.map((x) => x.name),
          },
        }
      : {}),
  };
  r.reportUnread();
  const recipe: ImportedRecipe = {
    name,
    description: `imported from the verl config ${file} by roux import`,
    model: model ?? "OWNER/NAME",
    datasets,
    rewards: [...reward.rewards, ...(evalData ? (evalRewards?.rewards ?? []).filter((x) => !reward.rewards.some((y) => y.name === x.name)) : [])],
    stages: [stage],
  };
  return { recipe, reader: r };
}
