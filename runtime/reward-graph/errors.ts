/** What can stop a reward graph run that is not a bug: `roux rewards` reports these in one line. */

/** A batch this plan cannot run on; the message starts with the JSON path of the value at fault. */
export class BatchError extends Error {}

/**
 * A stage this runtime cannot run the graph of (a hub-model policy, a plan that breaks a rule of
 * plan/check-plan.ts): a limitation, not a mistake in the batch.
 */
export class RewardGraphError extends Error {}
