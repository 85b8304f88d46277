/**
 * Config keys that set how fast, or in how much memory, an engine trains, and not what it trains:
 * micro-batches, padding removal, offloading, sequence and tensor parallelism, the rollout
 * engine's memory and batching. A recipe has no field for them (the export decides them from the
 * cluster it is given), so `roux import` warns that each is not carried (W0004) instead of
 * refusing it. Names, not paths: the same key tunes the actor, the reference model and the
 * rollout, and Trinity-RFT passes verl's config through `trainer.trainer_config`. A name that
 * heads a block (`fsdp_config`) covers all of it.
 */
export const TUNING_KEYS: ReadonlySet<string> = new Set([
  // Micro-batches and token budgets: how a step's batch is split to fit, not its size.
  "ppo_micro_batch_size",
  "ppo_micro_batch_size_per_gpu",
  "log_prob_micro_batch_size",
  "log_prob_micro_batch_size_per_gpu",
  "forward_micro_batch_size",
  "forward_micro_batch_size_per_gpu",
  "micro_batch_size",
  "micro_batch_size_per_gpu",
  "use_dynamic_bsz",
  "log_prob_use_dynamic_bsz",
  "ppo_max_token_len_per_gpu",
  "log_prob_max_token_len_per_gpu",
  "forward_max_token_len_per_gpu",
  "max_token_len_per_gpu",
  // Memory: padding removal, offloading, recomputation.
  "use_remove_padding",
  "fsdp_config",
  "param_offload",
  "optimizer_offload",
  "offload_policy",
  "enable_gradient_checkpointing",
  "enable_activation_offload",
  // Parallelism.
  "ulysses_sequence_parallel_size",
  "tensor_model_parallel_size",
  "tensor_parallel_size",
  // The rollout engine (vLLM): memory, batching, graphs, caching.
  "gpu_memory_utilization",
  "enforce_eager",
  "free_cache_engine",
  "max_num_batched_tokens",
  "max_num_seqs",
  "enable_chunked_prefill",
  "enable_prefix_caching",
]);

/** Whether the key at a dotted path is a tuning key: its own name is one. */
export function isTuningKey(path: string): boolean {
  return TUNING_KEYS.has(path.slice(path.lastIndexOf(".") + 1));
}
