/**
 * An axis's extent and ticks, at round numbers: the step between ticks is 1, 2 or 5 times a
 * power of ten, chosen to give about `target` intervals, and the extent is widened to whole
 * steps so the data never touches a frame without a tick there.
 */
export interface Scale {
  readonly lo: number;
  readonly hi: number;
  readonly ticks: readonly number[];
  /** Ticks formatted with as many decimals as the step needs. */
  readonly labels: readonly string[];
}

export function niceScale(min: number, max: number, target = 5): Scale {
  // A flat curve (or a single point) still gets an axis around its value; at 0 (an accuracy
  // that never moved) only upwards, since the metrics plotted are rarely negative.
  if (min === max) {
    if (min === 0) return niceScale(0, 1, target);
    const pad = Math.abs(min) / 10;
    return niceScale(min - pad, max + pad, target);
  }
  const raw = (max - min) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw)!;
  const first = Math.floor(min / step);
  const last = Math.ceil(max / step);
  // Multiples of the step, not repeated additions, so 0.1 + 0.2 drift never shows in a label.
  const ticks = Array.from({ length: last - first + 1 }, (_, i) => (first + i) * step);
  const decimals = Math.max(0, -Math.floor(Math.log10(step) + 1e-9));
  return { lo: first * step, hi: last * step, ticks, labels: ticks.map((t) => t.toFixed(decimals)) };
}
