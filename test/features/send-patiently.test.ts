/**
 * sendPatiently reads the port's ChatError (any platform's 429 and its retryAfterMs), and Slack's own
 * error from code not yet on the port, the same way. A virtual clock: no test waits.
 */
import { describe, expect, it } from "vitest";
import { ChatError } from "../../src/chat/chat-error.js";
import { createLogger } from "../../src/log.js";
import { DISCORD_TIMEOUT_MS } from "../../src/platforms/discord/rest.js";
import { SLACK_TIMEOUT_MS, SlackApiError } from "../../src/platforms/slack/client.js";
import { describeSendError, SEND_TIMEOUT_MS, sendPatiently } from "../../src/features/send-patiently.js";

/** A context whose clock moves only when it sleeps, with `budgetMs` left of the invocation. */
function virtualContext(budgetMs: number) {
  let now = Date.parse("2026-12-07T10:00:00Z");
  const end = now + budgetMs;
  const lines: Record<string, unknown>[] = [];
  const slept: number[] = [];
  return {
    ctx: {
      now: () => new Date(now),
      sleep: async (ms: number) => {
        slept.push(ms);
        now += ms;
      },
      budget: { at: end, remainingMs: () => Math.max(0, end - now) },
      log: createLogger((line) => lines.push(JSON.parse(line) as Record<string, unknown>)),
    },
    lines,
    slept,
    at: () => now,
  };
}

/** A send refused with each error in turn, then answered. */
function refusedWith(...errors: Error[]) {
  let calls = 0;
  return {
    send: async () => {
      const error = errors[calls++];
      if (error) throw error;
      return "sent";
    },
    calls: () => calls,
  };
}

describe("sendPatiently", () => {
  it("waits out a Discord 429's retry_after while the invocation has time, then sends", async () => {
    const { ctx, slept, lines } = virtualContext(20_000);
    const send = refusedWith(new ChatError("rate_limited", "discord", { platformCode: 429, retryAfterMs: 1_250 }));
    expect(await sendPatiently(ctx, send.send)).toEqual({ ok: true, value: "sent" });
    expect(slept).toEqual([1_250]);
    expect(lines.find((line) => line.event === "discord.waiting")).toMatchObject({ error_code: "rate_limited", wait_ms: 1_250 });
  });

  it("says when to ask again, to owe the send, when the wait does not fit in what is left", async () => {
    const { ctx, at } = virtualContext(5_000);
    const send = refusedWith(new ChatError("rate_limited", "slack", { platformCode: "ratelimited", retryAfterMs: 30_000 }));
    const sent = await sendPatiently(ctx, send.send);
    expect(sent).toMatchObject({ ok: false, retryAt: at() + 30_000 });
    expect(send.calls()).toBe(1);
  });

  it("reads Slack's own error (the Home tab's publish, not on the port) in seconds, as before", async () => {
    const { ctx, slept } = virtualContext(20_000);
    const send = refusedWith(new SlackApiError("rate_limited", "views.publish", { retryAfterSeconds: 2 }));
    expect((await sendPatiently(ctx, send.send, {}, { idempotent: true })).ok).toBe(true);
    expect(slept).toEqual([2_000]);
  });

  it("never tries again, nor owes, a message the platform may have posted (a 5xx, a timeout)", async () => {
    for (const code of ["http_error", "timeout", "network_error"] as const) {
      const { ctx } = virtualContext(20_000);
      const send = refusedWith(new ChatError(code, "discord"));
      expect(await sendPatiently(ctx, send.send)).toMatchObject({ ok: false, retryAt: undefined });
      expect(send.calls()).toBe(1);
    }
  });

  it("tries once more after a pause, then owes, a send that never went out (Teams' token endpoint failing: ChatError.unsent)", async () => {
    for (const code of ["http_error", "timeout", "network_error"] as const) {
      const { ctx, slept, at } = virtualContext(20_000);
      const unsent = () => new ChatError(code, "teams", { platformCode: "temporarily_unavailable", unsent: true });
      const send = refusedWith(unsent(), unsent(), unsent());
      expect(await sendPatiently(ctx, send.send)).toMatchObject({ ok: false, retryAt: at() + 500 });
      expect([send.calls(), slept]).toEqual([2, [500]]);
      // Back after the pause: sent.
      const again = refusedWith(unsent());
      expect(await sendPatiently(virtualContext(20_000).ctx, again.send)).toEqual({ ok: true, value: "sent" });
    }
  });

  it("refused for good: no wait, nothing owed", async () => {
    const { ctx } = virtualContext(20_000);
    const sent = await sendPatiently(ctx, refusedWith(new ChatError("cannot_message_user", "discord", { platformCode: 50007 })).send);
    expect(sent).toMatchObject({ ok: false, retryAt: undefined, error: { code: "cannot_message_user" } });
  });

  it("begins a wait only when a call after it fits: the same 2.5 s every platform's client stops at", () => {
    expect(SEND_TIMEOUT_MS).toBe(SLACK_TIMEOUT_MS);
    expect(SEND_TIMEOUT_MS).toBe(DISCORD_TIMEOUT_MS);
  });
});

describe("describeSendError", () => {
  it("logs the platform's own word as the error code, which is what an admin searches for", () => {
    const slack = new ChatError("forbidden", "slack", { platformCode: "not_in_channel", cause: new SlackApiError("not_in_channel", "chat.postMessage") });
    expect(describeSendError(slack)).toMatchObject({ error_code: "not_in_channel", chat_error: "forbidden" });
    expect(describeSendError(new ChatError("cannot_message_user", "discord", { platformCode: 50007 }))).toMatchObject({ error_code: "50007" });
    expect(describeSendError(new SlackApiError("rate_limited", "chat.postMessage"))).toMatchObject({ error_code: "rate_limited" });
  });
});
