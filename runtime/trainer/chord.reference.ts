// CHORD's per-token SFT loss as a scalar float64 formula: the reference that the tensor version
// (losses.ts `sftTokenLoss`) is tested against. Test support: the training engine never calls it.

/**
 * -logp * phi with phi = p (1 - p), p = exp(logp) (CHORD-phi), or -logp with phi off
 * (CHORD-mu). phi down-weights expert tokens the policy already predicts with certainty
 * (p ~ 1) or finds implausible (p ~ 0). Zhang et al. 2025, "On-Policy RL Meets Off-Policy
 * Experts" (CHORD), the token-weighted SFT loss.
 */
export function referenceSftTokenLoss(logp: number, phi: boolean): number {
  const p = Math.exp(logp);
  return phi ? -logp * p * (1 - p) : -logp;
}
