/**
 * The store's cost on the acknowledgement path: a claim (a conditional write, and a read when it is
 * lost) against the real local Blobs server on loopback, as `netlify dev` runs it. Production Blobs
 * is a network away, so this is the floor of what a claim adds, not its production latency.
 */
import { startBlobsEmulator } from "../dev/blobs-server.js";
import { createClaims } from "../src/store/claims.js";
import { createBlobsStore } from "../src/store/store.js";
import { percentile, summarize, type Summary } from "./stats.js";

export interface StoreResult {
  claimsPerRun: number;
  /** A claim that wins: one conditional write (ms); completing it, after the work, is not counted. */
  won: { p50: Summary; p99: Summary };
  /** A claim that finds the work done: the refused write and a read (ms). */
  lost: { p50: Summary; p99: Summary };
}

/** Runs `runs` rounds of `claims` winning claims, then the same claims again (each lost). */
export async function measureStore(options: { claims: number; runs: number }): Promise<StoreResult> {
  const blobs = await startBlobsEmulator();
  try {
    const won: { p50: number[]; p99: number[] } = { p50: [], p99: [] };
    const lost: { p50: number[]; p99: number[] } = { p50: [], p99: [] };
    for (let run = 0; run < options.runs; run++) {
      const claims = createClaims(createBlobsStore({ connection: { ...blobs.connection, siteID: `bench-${run}` } }));
      const now = Date.parse("2026-11-25T12:00:00Z");
      const time = async (name: string) => {
        const started = performance.now();
        const outcome = await claims.claim(name, { now, leaseMs: 30_000, horizonMs: 86_400_000 });
        const ms = performance.now() - started;
        // Completing happens after the work, off the acknowledgement path: not timed.
        if (outcome.kind === "won") await outcome.complete({ pageId: name });
        return { ms, kind: outcome.kind };
      };
      const first: number[] = [];
      const second: number[] = [];
      for (let i = 0; i < options.claims; i++) {
        const result = await time(`view:BENCH${i}`);
        if (result.kind !== "won") throw new Error(`a fresh claim was ${result.kind}`);
        first.push(result.ms);
      }
      for (let i = 0; i < options.claims; i++) {
        const result = await time(`view:BENCH${i}`);
        if (result.kind !== "done") throw new Error(`a repeated claim was ${result.kind}`);
        second.push(result.ms);
      }
      won.p50.push(percentile(first, 50));
      won.p99.push(percentile(first, 99));
      lost.p50.push(percentile(second, 50));
      lost.p99.push(percentile(second, 99));
    }
    return {
      claimsPerRun: options.claims,
      won: { p50: summarize(won.p50), p99: summarize(won.p99) },
      lost: { p50: summarize(lost.p50), p99: summarize(lost.p99) },
    };
  } finally {
    await blobs.close();
  }
}
