/**
 * The NaN guard's verdict: a loss, reward, advantage or gradient that is NaN or infinite stops
 * the stage, named by stage, step and the plan node that produced it, before the bad value
 * reaches the weights. Checkpoints written before it stay the run's last good state.
 */
export class NonFiniteError extends Error {
  constructor(
    readonly stage: string,
    /** 1-based: the step that failed. */
    readonly step: number,
    /** The plan node's id: `score.correct`, `advantage`, `loss`, `step`. */
    readonly node: string,
    what: string,
  ) {
    super(
      `stage \`${stage}\`, step ${step}: ${what} is not finite (node \`${node}\`); the update was not applied, and the last checkpoint is the last good state`,
    );
  }
}

/** The index of the first value that is NaN or infinite, or -1. */
export function firstNonFinite(values: ArrayLike<number>): number {
  for (let i = 0; i < values.length; i++) if (!Number.isFinite(values[i])) return i;
  return -1;
}
