// CHORD trains on expert demonstrations inside RL as a weighted auxiliary SFT loss:
// L = (1 - mu) L_RL + mu L_SFT. Its phi variant down-weights expert tokens the policy already
// predicts with certainty (p ~ 1) or finds implausible (p ~ 0), keeping the update near the
// tokens where imitation is informative without destabilising the policy.

/** CHORD-phi is the recipe default (LANGUAGE.md `chord { phi = true }`). */
export const PHI_DEFAULT = true;


/**
 * phi = p (1 - p) with p = exp(logp) under the current policy (a stop-gradient weight).
 * Zhang et al. 2025, "On-Policy RL Meets Off-Policy Experts" (CHORD), CHORD-phi token
 * weighting. ALGORITHMS.md §2.
 */
export function phiWeight(logp: number): number {
  const p = Math.exp(logp);
  return p * (1 - p);
}

/**
 * One expert token's SFT loss: -logp * sg[phi] with phi on (CHORD-phi), -logp with phi off
 * (CHORD-mu). CHORD, the token-weighted SFT loss. ALGORITHMS.md §2.
 */
export function sftTokenLoss(logp: number, phi: boolean): number {
  return phi ? -logp * phiWeight(logp) : -logp;
}

/**
 * L_SFT: the token mean of sftTokenLoss over the masked expert tokens (0 when there is
 * none), with the per-token values. CHORD, L_SFT. ALGORITHMS.md §2.
 */
export function chordSftLoss(
  logp: Float32Array,
  mask: Uint8Array,
  phi: boolean = PHI_DEFAULT,
): { perToken: Float32Array; loss: number } {
  if (mask.length !== logp.length) {
    throw new Error(`chord: expected ${logp.length} mask values, got ${mask.length}`);
  }
  const perToken = new Float32Array(logp.length);
  let sum = 0;
  let count = 0;
  for (let t = 0; t < logp.length; t++) {
    perToken[t] = sftTokenLoss(logp[t], phi);
    if (mask[t]) {
      sum += perToken[t];
      count++;
    }
  }
  return { perToken, loss: count > 0 ? sum / count : 0 };
}

/** L = (1 - mu) L_RL + mu L_SFT. CHORD, the total objective. ALGORITHMS.md §2. */
export function chordLoss(rlLoss: number, sftLoss: number, mu: number): number {
  return (1 - mu) * rlLoss + mu * sftLoss;
}
