import { describe, expect, it } from "vitest";
import type { FeatureContext } from "../../../src/features/context.js";
import { SAVE_POLL_MS, saveOnce } from "../../../src/features/task-request/save-once.js";
import { createLogger } from "../../../src/log.js";
import type { Claims } from "../../../src/store/claims.js";
import { virtualClock } from "../../../dev/virtual-clock.js";

const START = Date.UTC(2026, 10, 30, 12, 0, 0);

/** A second submission's view of the store: the first one's claim, pending until `doneAfterPolls` looks. */
function pendingElsewhere(doneAfterPolls = Infinity) {
  const clock = virtualClock(START);
  const peeks: { at: number; remainingMs: number | undefined }[] = [];
  const claims: Claims = {
    claim: async () => ({ kind: "pending", at: START - 1_000 }) as never,
    peek: async (_name, options) => {
      peeks.push({ at: clock.now(), remainingMs: options.deadline?.remainingMs() });
      return (peeks.length >= doneAfterPolls ? { kind: "done", at: START - 1_000, result: { pageId: "p-1" } } : { kind: "pending", at: START - 1_000 }) as never;
    },
  };
  const ctx = {
    claims,
    log: createLogger(() => {}),
    now: () => new Date(clock.now()),
    sleep: clock.sleep,
    deadline: { at: START + 2_000, remainingMs: () => START + 2_000 - clock.now() },
  } as unknown as FeatureContext;
  return { clock, peeks, ctx };
}

const input = { task: { title: "Twice", requestKey: "slack-view:V1" } as never, instance: "V1", requesterEmail: async () => undefined };

describe("a second submission waiting for the first one's page", () => {
  it("waits and looks only within what is left of the deadline, however short", async () => {
    const { clock, peeks, ctx } = pendingElsewhere();
    const once = await saveOnce(input, ctx);
    if (once.kind !== "elsewhere") throw new Error(`expected elsewhere, got ${once.kind}`);
    expect(await once.wait(100)).toEqual({ kind: "pending" });
    expect(clock.now() - START).toBeLessThanOrEqual(100);
    expect(clock.sleeps.reduce((sum, ms) => sum + ms, 0)).toBeLessThanOrEqual(100);
    // Every look at the store is bounded by the same moment.
    for (const peek of peeks) expect(peek.remainingMs).toBe(START + 100 - peek.at);
  });

  it("polls every SAVE_POLL_MS until the page lands", async () => {
    const { clock, ctx } = pendingElsewhere(3);
    const once = await saveOnce(input, ctx);
    if (once.kind !== "elsewhere") throw new Error(`expected elsewhere, got ${once.kind}`);
    expect(await once.wait(2_000)).toMatchObject({ kind: "landed", saved: { id: "p-1", title: "Twice", existing: true } });
    expect(clock.sleeps).toEqual([SAVE_POLL_MS, SAVE_POLL_MS, SAVE_POLL_MS]);
  });
});
