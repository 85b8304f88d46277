/** Metric values for a person, the same in `roux run`'s plain lines and in the terminal UI. */

/** Three decimals in the usual range, whole numbers from 100, exponents for tiny values. */
export function fixed(v: number): string {
  return Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 0.01 || v === 0 ? v.toFixed(3) : v.toExponential(1);
}

export function tokenRate(tokensPerSecond: number): string {
  return tokensPerSecond >= 1000 ? `${(tokensPerSecond / 1000).toFixed(1)}k tok/s` : `${tokensPerSecond.toFixed(0)} tok/s`;
}
