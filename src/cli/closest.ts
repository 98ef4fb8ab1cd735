/** The nearest of a few names to a mistyped one, for the CLIs' "did you mean …?". Pure. */

/**
 * The candidate nearest to `typed` (case aside) by edit distance, counting a swap of two neighbours
 * as one edit (optimal string alignment), when it is within a third of the typed length (at least 1)
 * or one contains the other (three characters or more); else undefined. Ties go to the first candidate.
 */
export function closest(typed: string, candidates: Iterable<string>): string | undefined {
  const wanted = typed.toLowerCase();
  if (wanted === "") return undefined;
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    const contained = Math.min(wanted.length, lower.length) >= 3 && (lower.includes(wanted) || wanted.includes(lower));
    const distance = contained ? 0.5 : editDistance(wanted, lower);
    if (distance <= Math.max(1, Math.floor(wanted.length / 3)) && (best === undefined || distance < best.distance)) best = { candidate, distance };
  }
  return best?.candidate;
}

/** Edits (insert, delete, replace, swap of neighbours) from `a` to `b`. */
function editDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = value;
    }
  }
  return rows[a.length]![b.length]!;
}

/** " Did you mean X?" for the closest candidate (`quote` wraps it), or "". */
export function didYouMean(typed: string, candidates: Iterable<string>, quote: (name: string) => string = (name) => name): string {
  const match = closest(typed, candidates);
  return match === undefined ? "" : ` Did you mean ${quote(match)}?`;
}
