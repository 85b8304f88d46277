/**
 * Trinity-RFT's facts from fixture files in the forms Trinity-RFT writes them: config
 * dataclasses, registries by `default_mapping` and by decorator, classes whose constructor or
 * class methods live in a base class in another module (no clone needed).
 */
import { describe, expect, it } from "vitest";
import { memoryFiles } from "./testing.js";
import { TRINITY_FILES, trinityFacts } from "./trinity-facts.js";

const FILES: Record<string, string> = {
  [TRINITY_FILES.config]: `from __future__ import annotations
from dataclasses import dataclass, field
from trinity.common.constants import EXPLORER_NAME, StorageType


@dataclass
class OptimizerConfig:
    lr: float = 1e-6
    betas: List[float] = field(default_factory=lambda: [0.9, 0.999])
    weight_decay: float = 0.01


@dataclass
class BufferConfig:
    name: str = ""
    storage_type: str = StorageType.FILE.value
    total_steps: Optional[
        int
    ] = None  # automatically set


@dataclass
class AlgorithmConfig:
    algorithm_type: str = "ppo"
    optimizer: OptimizerConfig = field(default_factory=OptimizerConfig)
    policy_loss_fn_args: Optional[dict] = None


@dataclass
class StageConfig:
    stage_name: str
    algorithm: Optional[AlgorithmConfig] = None


class NotAConfig:
    ignored: int = 1


@dataclass
class Config:
    name: str = EXPLORER_NAME
    algorithm: AlgorithmConfig = field(default_factory=AlgorithmConfig)
    buffers: Dict[str, BufferConfig] = field(default_factory=dict)
    stages: List[StageConfig] = field(default_factory=list)

    def flatten(self) -> dict:
        local: int = 0
        return {}
`,
  [TRINITY_FILES.constants]: `EXPLORER_NAME = "explorer"


class StorageType(CaseInsensitiveEnum):
    FILE = "file"
`,
  [TRINITY_FILES.aggregation]: `def aggregate_loss(values, mask, loss_agg_mode="token-mean"):
    if loss_agg_mode == "token-mean":
        return 1
    elif loss_agg_mode == "seq-mean-token-mean":
        return 2
    raise ValueError(loss_agg_mode)
`,
  "trinity/common/config_validator.py": `class AlgorithmConfigValidator(ConfigValidator):
    def validate(self, config):
        default_config = {
            "policy_loss_fn": "ppo",
            "kl_loss_fn": "k2",
        }
`,
  "trinity/algorithm/__init__.py": `from trinity.algorithm.advantage_fn import ADVANTAGE_FN
ALGORITHM_TYPE: Registry = Registry(
    "algorithm",
    default_mapping={
        "grpo": "trinity.algorithm.algorithm.GRPOAlgorithm",
        "rloo": "trinity.algorithm.algorithm.RLOOAlgorithm",
    },
)
`,
  "trinity/algorithm/algorithm.py": `class AlgorithmType(ABC, metaclass=ConstantMeta):
    use_critic: bool
    compute_advantage_in_trainer: bool


class GRPOAlgorithm(AlgorithmType):
    use_critic: bool = False
    compute_advantage_in_trainer: bool = False

    @classmethod
    def default_config(cls) -> Dict:
        return {"advantage_fn": "grpo", "kl_loss_fn": "k2"}


class RLOOAlgorithm(GRPOAlgorithm):
    compute_advantage_in_trainer: bool = True

    @classmethod
    def default_config(cls) -> Dict:
        return {"advantage_fn": "rloo"}
`,
  "trinity/algorithm/advantage_fn/__init__.py": `from trinity.algorithm.advantage_fn.advantage_fn import AdvantageFn, GroupAdvantage
ADVANTAGE_FN: Registry = Registry(
    "advantage_fn",
    default_mapping={
        "grpo": "trinity.algorithm.advantage_fn.grpo_advantage.GRPOGroupedAdvantage",
        "rloo": "trinity.algorithm.advantage_fn.rloo_advantage.RLOOAdvantageFn",
    },
)
`,
  "trinity/algorithm/advantage_fn/advantage_fn.py": `class AdvantageFn(ABC):
    @classmethod
    def compute_in_trainer(cls) -> bool:
        """Whether the advantage should be computed in the trainer loop."""
        return True


class GroupAdvantage(AdvantageFn, ExperienceOperator):
    @classmethod
    def compute_in_trainer(cls) -> bool:
        return False
`,
  "trinity/algorithm/advantage_fn/grpo_advantage.py": `from .advantage_fn import GroupAdvantage


class GRPOGroupedAdvantage(GroupAdvantage):
    def __init__(self, epsilon: float = 1e-6) -> None:
        self.epsilon = epsilon

    @classmethod
    def default_args(cls) -> dict:
        return {"epsilon": 1e-6}
`,
  "trinity/algorithm/advantage_fn/rloo_advantage.py": `from trinity.algorithm.advantage_fn import AdvantageFn


class RLOOAdvantageFn(AdvantageFn):
    def __init__(self) -> None:
        pass
`,
  "trinity/algorithm/policy_loss_fn/__init__.py": `POLICY_LOSS_FN = Registry("policy_loss_fn")
`,
  "trinity/algorithm/policy_loss_fn/ppo_policy_loss.py": `from trinity.algorithm.policy_loss_fn import POLICY_LOSS_FN


class PolicyLossFn(ABC):
    def __init__(self, backend: str = "verl") -> None:
        pass


@POLICY_LOSS_FN.register_module("ppo")
class PPOPolicyLossFn(PolicyLossFn):
    def __init__(self, backend: str = "verl", clip_range_low: Optional[float] = None, clip_ratio_c: float = 3.0) -> None:
        pass


@POLICY_LOSS_FN.register_module(module_name="plain")
class PlainLossFn(PolicyLossFn):
    pass
`,
  "trinity/algorithm/kl_fn/__init__.py": `KL_FN: Registry = Registry("kl_fn", default_mapping={"k1": "trinity.algorithm.kl_fn.kl_fn.K1Fn"})
`,
  "trinity/algorithm/kl_fn/kl_fn.py": `class K1Fn:
    def __init__(self, kl_coef: float = 0.001) -> None:
        pass
`,
  "trinity/algorithm/entropy_loss_fn/__init__.py": `ENTROPY_LOSS_FN: Registry = Registry("entropy_loss_fn", default_mapping={})
`,
  "trinity/algorithm/sample_strategy/__init__.py": `SAMPLE_STRATEGY: Registry = Registry(
    "sample_strategy", default_mapping={"mix": "trinity.algorithm.sample_strategy.mix.MixSampleStrategy"}
)
`,
  "trinity/algorithm/sample_strategy/mix.py": `class MixSampleStrategy(SampleStrategy):
    def __init__(self, buffer_config: BufferConfig, **kwargs):
        self.ratio = kwargs.get("expert_data_ratio", 0.5)

    @classmethod
    def default_args(cls) -> dict:
        return {"expert_data_ratio": 0.5}
`,
};

describe("Trinity-RFT's facts", () => {
  const facts = trinityFacts(memoryFiles(FILES));

  it("reads the config dataclasses as keys, nested ones under their field, with types and defaults", () => {
    expect(facts.keys).toEqual({
      name: { type: "str", default: "explorer" },
      algorithm: { type: "AlgorithmConfig" },
      "algorithm.algorithm_type": { type: "str", default: "ppo" },
      "algorithm.optimizer": { type: "OptimizerConfig" },
      "algorithm.optimizer.lr": { type: "float", default: 1e-6 },
      "algorithm.optimizer.betas": { type: "List[float]", default: [0.9, 0.999] },
      "algorithm.optimizer.weight_decay": { type: "float", default: 0.01 },
      "algorithm.policy_loss_fn_args": { type: "Optional[dict]", default: null },
      buffers: { type: "Dict[str, BufferConfig]", default: {} },
      "buffers.*": { type: "BufferConfig" },
      "buffers.*.name": { type: "str", default: "" },
      "buffers.*.storage_type": { type: "str", default: "file" },
      "buffers.*.total_steps": { type: "Optional[int]", default: null },
      stages: { type: "List[StageConfig]", default: [] },
      "stages[].stage_name": { type: "str" },
      "stages[].algorithm": { type: "Optional[AlgorithmConfig]" },
      "stages[].algorithm.algorithm_type": { type: "str", default: "ppo" },
      "stages[].algorithm.optimizer": { type: "OptimizerConfig" },
      "stages[].algorithm.optimizer.lr": { type: "float", default: 1e-6 },
      "stages[].algorithm.optimizer.betas": { type: "List[float]", default: [0.9, 0.999] },
      "stages[].algorithm.optimizer.weight_decay": { type: "float", default: 0.01 },
      "stages[].algorithm.policy_loss_fn_args": { type: "Optional[dict]", default: null },
    });
  });

  it("reads the algorithm types' attributes and defaults through their bases, and the validator's defaults", () => {
    const algorithms = facts.registries.ALGORITHM_TYPE!;
    expect(algorithms.defaults).toEqual({ policy_loss_fn: "ppo", kl_loss_fn: "k2" });
    expect(algorithms.names.rloo).toEqual({
      source: "trinity/algorithm/algorithm.py:RLOOAlgorithm",
      attributes: { use_critic: false, compute_advantage_in_trainer: true },
      defaults: { advantage_fn: "rloo" },
    });
    expect(algorithms.names.grpo?.attributes).toEqual({ use_critic: false, compute_advantage_in_trainer: false });
  });

  it("says which advantage functions can only be computed in the trainer, from the base class that says it", () => {
    const advantages = facts.registries.ADVANTAGE_FN!.names;
    expect(advantages.grpo).toEqual({
      source: "trinity/algorithm/advantage_fn/grpo_advantage.py:GRPOGroupedAdvantage",
      args: { epsilon: { type: "float", default: 1e-6 } },
      defaultArgs: { epsilon: 1e-6 },
      computeInTrainer: false,
    });
    expect(advantages.rloo).toEqual({ source: "trinity/algorithm/advantage_fn/rloo_advantage.py:RLOOAdvantageFn", args: {}, computeInTrainer: true });
  });

  it("reads names registered by decorator, a constructor inherited from the base, and **kwargs", () => {
    const losses = facts.registries.POLICY_LOSS_FN!.names;
    expect(Object.keys(losses)).toEqual(["ppo", "plain"]);
    expect(losses.ppo?.args).toEqual({
      backend: { type: "str", default: "verl" },
      clip_range_low: { type: "Optional[float]", default: null },
      clip_ratio_c: { type: "float", default: 3 },
    });
    expect(losses.plain?.args).toEqual({ backend: { type: "str", default: "verl" } });
    expect(facts.registries.SAMPLE_STRATEGY!.names.mix).toMatchObject({ anyArgs: true, defaultArgs: { expert_data_ratio: 0.5 } });
    expect(facts.registries.KL_FN!.names.k1?.args).toEqual({ kl_coef: { type: "float", default: 0.001 } });
    expect(Object.keys(facts.registries.loss_agg_mode!.names)).toEqual(["token-mean", "seq-mean-token-mean"]);
  });

  it("refuses a registry that points at a class it cannot find", () => {
    const broken = { ...FILES, "trinity/algorithm/kl_fn/__init__.py": `KL_FN = Registry("kl_fn", default_mapping={"k9": "trinity.nowhere.K9"})\n` };
    expect(() => trinityFacts(memoryFiles(broken))).toThrow("KL_FN: cannot find the class trinity.nowhere.K9");
  });
});
