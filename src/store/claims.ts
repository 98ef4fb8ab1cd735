/**
 * Claims: "do X for key K once", whichever instance a retry or a second click lands on. A claim is
 * a conditional write (`onlyIfNew`) of a small record; the winner does the work and completes the
 * claim with what it left (a page id, a message ts), which later claimants get back instead of
 * doing it again. A claimant that dies mid-work holds the claim only until its lease ends, after
 * which another takes it over (`onlyIfMatch` on the record it read).
 *
 * Keys are namespaced and dated by ISO week, `claims/2026-W48/view:V123`, so the scheduled clean-up
 * drops whole weeks (Blobs has no expiry). A claim made early in a week also looks at last week's
 * key, within the claim's `horizonMs`, so a retry across Monday 00:00 UTC is still caught.
 *
 * Atomicity is the store's: Netlify Blobs applies a condition and a write as one step. The local
 * Blobs server of `netlify dev` checks and then writes, so two claims arriving within the same few
 * milliseconds could both win there; one instance also serialises its own claims (`store.exclusive`).
 */
import { randomUUID } from "node:crypto";
import { describeError, type Logger } from "../log.js";
import { StoreError, type CallBudget, type Store } from "./store.js";

/**
 * The lease of a claim whose work runs after the response: Netlify stops a synchronous function 60 s
 * after it starts, so work it began is over by then, and the lease never lapses while its holder still
 * works (the gap of vercel/chat#685: a 30 s lock taken over mid-handler, the work then done twice).
 */
export const AFTER_RESPONSE_LEASE_MS = 60_000;

/** What a claim leaves when its work is done: ids and times, never what a person typed. */
export type ClaimResult = Record<string, string | number | boolean | undefined>;

interface ClaimRecord<T extends ClaimResult> {
  state: "pending" | "done";
  /** Which claimant holds it: a random token per claim. */
  owner: string;
  /** When it was claimed, ms since the epoch. */
  at: number;
  /** A pending claim whose holder has not completed it by then may be taken over. */
  leaseUntil: number;
  result?: T;
}

export type ClaimOutcome<T extends ClaimResult> =
  /** Yours: do the work, then `complete` with what it left, or `release` if it did not happen. */
  | { kind: "won"; at: number; complete(result: T, budget?: CallBudget): Promise<void>; release(): Promise<void> }
  /** Done already, by whichever claimant won: here is what it left. */
  | { kind: "done"; at: number; result: T }
  /** Another claimant is doing it right now (since `at`). */
  | { kind: "pending"; at: number }
  /**
   * The store could not be reached within the budget: the caller falls back and logs
   * `store.unavailable`. A write that timed out may still have landed, leaving a pending claim no
   * one knows it holds, which would stop every later claimant until its lease ends: once the work
   * is over, the caller calls `complete` or `release` as a winner would, and they settle that claim
   * if it is ours after all (best effort: they never reject).
   */
  | { kind: "unavailable"; error: StoreError; complete(result: T): Promise<void>; release(): Promise<void> };

/** A claim this claimant holds (won, or maybe won when the store was unavailable): the one it settles. */
export type HeldClaim<T extends ClaimResult> = Extract<ClaimOutcome<T>, { kind: "won" | "unavailable" }>;

/**
 * Marks a held claim done after its work; never rejects: the work happened whatever the store says,
 * so a failed write is a `store.claim_not_completed` warning (a retry may then redo it) on `log`.
 */
export async function completeClaim<T extends ClaimResult>(claim: HeldClaim<T>, result: T, log: Pick<Logger, "warn">, name: string): Promise<void> {
  await claim.complete(result).catch((error: unknown) => log.warn("store.claim_not_completed", { claim: name, outcome: "degraded", ...describeError(error) }));
}

/** A claim as `peek` sees it. */
export type Seen<T extends ClaimResult> = Extract<ClaimOutcome<T>, { kind: "done" | "pending" }> | { kind: "none" } | { kind: "unavailable"; error: StoreError };

export interface ClaimOptions extends CallBudget {
  /** ms since the epoch. */
  now: number;
  /** How long the work may take before another claimant may take it over. */
  leaseMs: number;
  /** How long a retry of the same thing may come after the first (looks into last week's claims within it). */
  horizonMs: number;
}

export interface Claims {
  /** Claims `name` (such as "view:V123"); never rejects: a store failure is the `unavailable` outcome. */
  claim<T extends ClaimResult>(name: string, options: ClaimOptions): Promise<ClaimOutcome<T>>;
  /** Reads a claim as a later claimant would see it, without claiming; never rejects. */
  peek<T extends ClaimResult>(name: string, options: Pick<ClaimOptions, "now" | "horizonMs" | "deadline">): Promise<Seen<T>>;
}

/** Claims over a store. */
export function createClaims(store: Store): Claims {

  async function readRecord<T extends ClaimResult>(key: string, budget: CallBudget) {
    return store.read<ClaimRecord<T>>(key, budget);
  }

  function outcomeOf<T extends ClaimResult>(record: ClaimRecord<T>): Extract<ClaimOutcome<T>, { kind: "done" | "pending" }> {
    return record.state === "done" ? { kind: "done", at: record.at, result: record.result ?? ({} as T) } : { kind: "pending", at: record.at };
  }

  function won<T extends ClaimResult>(key: string, record: ClaimRecord<T>, etag: string): ClaimOutcome<T> {
    return {
      kind: "won",
      at: record.at,
      async complete(result, budget = {}) {
        const done: ClaimRecord<T> = { ...record, state: "done", result };
        const written = await store.write(key, done, { onlyIfMatch: etag }, budget);
        // Our lease ran out and another claimant took over: what we did still happened; say so.
        if (written === undefined) await store.write(key, done, {}, budget);
      },
      async release() {
        const current = await readRecord<T>(key, {});
        if (current?.value.owner === record.owner && current.value.state === "pending") await store.delete(key);
      },
    };
  }

  /**
   * The unavailable outcome of an attempt at `record` under `key`. Whether its write landed, or will
   * land later still, is unknown: settling writes what a winner would leave, on our own record if it
   * is there and, if nothing is, as a new record the late write then cannot replace (onlyIfNew).
   */
  function unavailable<T extends ClaimResult>(key: string, record: ClaimRecord<T>, error: unknown): ClaimOutcome<T> {
    const settle = async (settled: ClaimRecord<T> | "free") => {
      const current = await readRecord<T>(key, {});
      if (current === undefined) {
        // Free is a pending record whose lease has already ended: the next claimant takes it over at once.
        await store.write(key, settled === "free" ? { ...record, leaseUntil: 0 } : settled, { onlyIfNew: true });
      } else if (current.value.owner === record.owner) {
        await (settled === "free" ? store.delete(key) : store.write(key, settled, { onlyIfMatch: current.etag }));
      }
    };
    return {
      kind: "unavailable",
      error: error instanceof StoreError ? error : new StoreError("unavailable", String(error), { cause: error }),
      complete: (result) => settle({ ...record, state: "done", result }).catch(() => undefined),
      release: () => settle("free").catch(() => undefined),
    };
  }

  async function attempt<T extends ClaimResult>(key: string, previousKey: string | undefined, record: ClaimRecord<T>, options: ClaimOptions): Promise<ClaimOutcome<T>> {
    const [etag, previous] = await Promise.all([
      store.write(key, record, { onlyIfNew: true }, options),
      previousKey ? readRecord<T>(previousKey, options) : undefined,
    ]);
    if (previous && (previous.value.state === "done" || previous.value.leaseUntil > options.now)) {
      // Last week's claim stands; ours was a duplicate of it.
      if (etag !== undefined) await store.delete(key, options).catch(() => undefined);
      return outcomeOf(previous.value);
    }
    if (etag !== undefined) return won(key, record, etag);
    const existing = await readRecord<T>(key, options);
    if (existing === undefined) {
      // Released between our write and our read: the next attempt may win it.
      const again = await store.write(key, record, { onlyIfNew: true }, options);
      return again !== undefined ? won(key, record, again) : outcomeOf((await readRecord<T>(key, options))?.value ?? { ...record, state: "pending" });
    }
    if (existing.value.state === "pending" && existing.value.leaseUntil <= options.now) {
      // Its holder stopped before finishing: take it over, unless someone else just did.
      const taken = await store.write(key, record, { onlyIfMatch: existing.etag }, options);
      if (taken !== undefined) return won(key, record, taken);
      return outcomeOf((await readRecord<T>(key, options))?.value ?? existing.value);
    }
    return outcomeOf(existing.value);
  }

  return {
    claim<T extends ClaimResult>(name: string, options: ClaimOptions): Promise<ClaimOutcome<T>> {
      // Claims of one name within this instance run one after the other: the second sees the first's record.
      return store.exclusive(`claim:${name}`, async () => {
        const key = claimKey(name, options.now);
        const previousKey = withinHorizon(options.now, options.horizonMs) ? claimKey(name, options.now - 7 * DAY_MS) : undefined;
        const record: ClaimRecord<T> = { state: "pending", owner: randomUUID(), at: options.now, leaseUntil: options.now + options.leaseMs };
        try {
          return await attempt<T>(key, previousKey, record, options);
        } catch (error) {
          return unavailable(key, record, error);
        }
      });
    },

    async peek<T extends ClaimResult>(name: string, options: Pick<ClaimOptions, "now" | "horizonMs" | "deadline">): Promise<Seen<T>> {
      try {
        const current = await readRecord<T>(claimKey(name, options.now), options);
        if (current) return outcomeOf(current.value);
        if (!withinHorizon(options.now, options.horizonMs)) return { kind: "none" } as const;
        const previous = await readRecord<T>(claimKey(name, options.now - 7 * DAY_MS), options);
        return previous ? outcomeOf(previous.value) : ({ kind: "none" } as const);
      } catch (error) {
        return { kind: "unavailable", error: error instanceof StoreError ? error : new StoreError("unavailable", String(error), { cause: error }) } as const;
      }
    },
  };
}

const DAY_MS = 86_400_000;

/** The claim's key: `claims/<ISO week, UTC>/<name>`. */
export function claimKey(name: string, now: number): string {
  return `claims/${isoWeek(now)}/${name}`;
}

/** "2026-W48": the ISO 8601 week (weeks start on Monday; week 1 holds the year's first Thursday), in UTC. */
export function isoWeek(now: number): string {
  const date = new Date(now);
  const day = date.getUTCDay() || 7;
  // The Thursday of this week decides the year.
  const thursday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 4 - day));
  const yearStart = Date.UTC(thursday.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((thursday.getTime() - yearStart) / DAY_MS + 1) / 7);
  return `${thursday.getUTCFullYear()}-W${String(week).padStart(2, "0")}`;
}

/** Whether `now` is within `horizonMs` of the start of its ISO week (Monday 00:00 UTC). */
function withinHorizon(now: number, horizonMs: number): boolean {
  const date = new Date(now);
  const day = date.getUTCDay() || 7;
  const monday = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1 - day);
  return now - monday < horizonMs;
}
