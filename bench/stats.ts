/** Summaries the bench reports (every figure is a median over repeated runs, with min and max), and what the load and hostile runs share: a pool and a table. */

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number;
}

/** The value below which `p` percent of the samples fall (nearest rank, as latency reports use). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new RangeError("percentile of no samples");
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile must be within 0..100, got ${p}`);
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

/** The middle value; for an even count, the mean of the two middle values. */
export function median(samples: readonly number[]): number {
  if (samples.length === 0) throw new RangeError("median of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Median, min and max of repeated runs. */
export function summarize(samples: readonly number[]): Summary {
  if (samples.length === 0) throw new RangeError("summary of no samples");
  return { median: median(samples), min: Math.min(...samples), max: Math.max(...samples), runs: samples.length };
}

/** Rounds for display and JSON: whole numbers past 100, else `digits` decimals. */
export function round(value: number, digits = 2): number {
  if (Math.abs(value) >= 100) return Math.round(value);
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Runs `count` jobs with at most `concurrency` at once; their results, in the order they finish. */
export async function runPool<T>(count: number, concurrency: number, job: (index: number) => Promise<T>): Promise<T[]> {
  const results: T[] = [];
  let cursor = 0;
  const worker = async () => {
    while (cursor < count) {
      const index = cursor++;
      results.push(await job(index));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** A Markdown table, columns padded to line up: the first left-aligned, the others (figures) right-aligned. */
export function markdownTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((cells) => cells[column]!.length)));
  const line = (cells: readonly string[]) => `| ${cells.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join(" | ")} |`;
  return [line(header), `| ${widths.map((width, column) => (column === 0 ? "-".repeat(width) : `${"-".repeat(width - 1)}:`)).join(" | ")} |`, ...rows.map(line)].join("\n");
}
