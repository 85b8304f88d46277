/**
 * What both engines read and write about a response: its prompt and response as token ids.
 * The response holds the tokens the policy produced, ending with `Architecture.eos` when the
 * policy chose to stop (a response cut at max_tokens has no eos). Per-token values of a batch
 * of sequences (log-probs, entropy, advantages, loss weights) are flat Float32Arrays over the
 * response tokens of the rows in order, eos included: row i's values start where row i - 1's
 * end, with no padding.
 */
export interface Sequence {
  readonly prompt: readonly number[];
  readonly response: readonly number[];
}

/** Offsets of each row's response tokens in the flat per-token layout (length rows + 1). */
export function responseOffsets(sequences: readonly Sequence[]): Int32Array {
  const offsets = new Int32Array(sequences.length + 1);
  let end = 0;
  sequences.forEach((s, i) => {
    end += s.response.length;
    offsets[i + 1] = end;
  });
  return offsets;
}
