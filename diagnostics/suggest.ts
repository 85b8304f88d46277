/** "Did you mean" suggestions: the closest candidate by edit distance, if it is close enough. */
import type { Suggestion } from "./diagnostic.js";
import type { Span } from "./span.js";

/** The help "did you mean `shown`?" and the fix it describes: the span (or each span) replaced by `replacement`. */
export function didYouMean(at: Span | Span[], replacement: string, shown = replacement): { help: string; suggestion: Suggestion } {
  return { help: `did you mean \`${shown}\`?`, suggestion: { spans: Array.isArray(at) ? at : [at], text: replacement } };
}

/**
 * Edit distance counting a swap of two neighbouring characters as one edit (optimal string
 * alignment), since swapped letters are the commonest typo (`E3014` for `E3104`).
 */
export function editDistance(a: string, b: string): number {
  // Three rows of the dynamic-programming table: row i-2, row i-1 and the row being filled.
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = cell(previous, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1);
      let best = Math.min(cell(previous, j) + 1, cell(current, j - 1) + 1, substitution);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        best = Math.min(best, cell(beforePrevious, j - 2) + 1);
      }
      current.push(best);
    }
    beforePrevious = previous;
    previous = current;
  }
  return cell(previous, b.length);
}

/** Every cell the recurrence reads is filled before it is read; a missing one could never win a minimum. */
function cell(row: readonly number[], j: number): number {
  return row[j] ?? Infinity;
}

/**
 * The candidate nearest to `name`, when the distance is at most a third of the name's length
 * (at least 1): close enough to be a typo, far enough not to suggest nonsense for short names.
 * Ties go to the candidate whose length is nearest (`stepz` suggests `steps`, not `step`).
 */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.max(1, Math.floor(name.length / 3));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const edits = editDistance(name.toLowerCase(), candidate.toLowerCase());
    const distance = edits + Math.abs(candidate.length - name.length) / 100;
    if (distance < bestDistance && edits <= limit) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}
