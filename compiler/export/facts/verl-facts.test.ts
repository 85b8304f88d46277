/** verl's facts from a handful of fixture files in the forms verl writes them (no clone needed). */
import { describe, expect, it } from "vitest";
import { memoryFiles } from "./testing.js";
import { VERL_FILES, verlFacts } from "./verl-facts.js";
import { yamlKeyFacts } from "./yaml-key-facts.js";

const CONFIG = `actor_rollout_ref:
  actor:
    optim:
      lr: 1.0e-06
      betas:
      - 0.9
      - 0.999
    kl_loss_type: low_var_kl
    rollout_n: \${oc.select:actor_rollout_ref.rollout.n,1}
    override: {}
    empty: null
trainer:
  logger:
  - console
stages:
- name: a
- name: b
  mode: train
`;

const CORE_ALGOS = `class AdvantageEstimator(str, Enum):
    GAE = "gae"
    GRPO = "grpo"


def register_adv_est(name_or_enum):
    pass


@register_adv_est(AdvantageEstimator.GRPO)  # or simply: @register_adv_est("grpo")
def compute_grpo(
    token_level_rewards: torch.Tensor,
    epsilon: float = 1e-6,
    norm_adv_by_std_in_grpo: bool = True,
):
    pass


@register_adv_est("rloo")
def compute_rloo(token_level_rewards, epsilon: float = 1e-6, **kwargs):
    pass


def agg_loss(loss_mat, loss_mask, loss_agg_mode: str):
    if loss_agg_mode == "token-mean":
        pass
    elif loss_agg_mode == "seq-mean-token-sum":
        pass
    else:
        raise ValueError(loss_agg_mode)


def kl_penalty_forward(logprob, ref_logprob, kl_penalty):
    if kl_penalty in ("kl", "k1"):
        return logprob - ref_logprob
    if kl_penalty in ("low_var_kl", "k3"):
        return 0
    if kl_penalty == "full":
        raise NotImplementedError
`;

const LOSSES = `@register_policy_loss("vanilla")  # type: ignore[arg-type]
def compute_policy_loss_vanilla(old_log_prob, log_prob, loss_agg_mode: str = "token-mean", config=None):
    pass
`;

describe("verl's facts", () => {
  it("reads the flattened config's keys with the kind and default of each", () => {
    expect(yamlKeyFacts(CONFIG)).toEqual({
      actor_rollout_ref: { type: "map" },
      "actor_rollout_ref.actor": { type: "map" },
      "actor_rollout_ref.actor.optim": { type: "map" },
      "actor_rollout_ref.actor.optim.lr": { type: "number", default: 1e-6 },
      "actor_rollout_ref.actor.optim.betas": { type: "list", default: [0.9, 0.999] },
      "actor_rollout_ref.actor.kl_loss_type": { type: "string", default: "low_var_kl" },
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an OmegaConf interpolation, as the YAML holds it
      "actor_rollout_ref.actor.rollout_n": { type: "interpolation", default: "${oc.select:actor_rollout_ref.rollout.n,1}" },
      "actor_rollout_ref.actor.override": { type: "map" },
      "actor_rollout_ref.actor.empty": { type: "null", default: null },
      trainer: { type: "map" },
      "trainer.logger": { type: "list", default: ["console"] },
      stages: { type: "list" },
      "stages[].name": { type: "string", default: "a" },
      "stages[].mode": { type: "string", default: "train" },
    });
  });

  it("reads the accepted modes and the registered estimators and losses with their parameters", () => {
    const files = memoryFiles({
      [VERL_FILES.config]: CONFIG,
      [VERL_FILES.algorithms]: CORE_ALGOS,
      "verl/trainer/ppo/policy_losses.py": LOSSES,
      "docs/mentions.md": '@register_adv_est("not code")',
    });
    const { registries } = verlFacts(files);
    expect(Object.keys(registries.kl_loss_type!.names)).toEqual(["kl", "k1", "low_var_kl", "k3"]);
    expect(Object.keys(registries.loss_agg_mode!.names)).toEqual(["token-mean", "seq-mean-token-sum"]);
    expect(registries.adv_estimator!.names).toEqual({
      grpo: {
        source: "verl/trainer/ppo/core_algos.py:compute_grpo",
        args: {
          token_level_rewards: { type: "torch.Tensor" },
          epsilon: { type: "float", default: 1e-6 },
          norm_adv_by_std_in_grpo: { type: "bool", default: true },
        },
      },
      rloo: {
        source: "verl/trainer/ppo/core_algos.py:compute_rloo",
        args: { token_level_rewards: {}, epsilon: { type: "float", default: 1e-6 } },
        anyArgs: true,
      },
    });
    expect(Object.keys(registries.policy_loss!.names)).toEqual(["vanilla"]);
    expect(registries.policy_loss!.names.vanilla?.source).toBe("verl/trainer/ppo/policy_losses.py:compute_policy_loss_vanilla");
  });

  it("says which file a release lacks instead of writing empty facts", () => {
    expect(() => verlFacts(memoryFiles({ [VERL_FILES.config]: CONFIG }))).toThrow(`has no ${VERL_FILES.algorithms}`);
  });
});
