/**
 * Hostile interactions at /discord/interactions (dev/hostile-discord.ts), correctly signed (a
 * signature proves who sent a body, not that it is sane) and unsigned or wrongly signed: never a
 * 5xx or a throw, an answer Discord accepts for the interaction (the emulator judges it), one log
 * line; and without a good signature a bare 401 with nothing called, as fuzz.test.ts holds for Slack.
 */
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { discordKeyPair, discordSignedHeaders } from "../../dev/discord-signed.js";
import { startDiscordHarness, type DiscordHarness } from "../../dev/discord-harness.js";
import { discordAnswerProblem, hostileDiscordBodies, withLiveInteraction } from "../../dev/hostile-discord.js";
import { MAX_BODY_BYTES } from "../../src/platforms/discord/read-interaction.js";

/** One clock for the handler, the signatures and the emulator: no run can cross a window by taking long. */
const NOW_MS = Date.UTC(2026, 10, 30, 12, 0, 0, 999);
const NOW_SECONDS = Math.floor(NOW_MS / 1000);
const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 150;

let h: DiscordHarness;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  h = await startDiscordHarness({ now: () => NOW_MS, discordNow: () => NOW_MS, ackDeadlineMs: 1_000 });
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await h?.close();
});
afterEach(() => {
  expect(unhandled).toEqual([]);
});

describe("correctly signed hostile interactions", () => {
  it("get an answer Discord accepts, never a 5xx or a throw, and one log line each", async () => {
    await fc.assert(
      fc.asyncProperty(hostileDiscordBodies, async (template) => {
        // Issued as the type the body declares, when it is one the emulator answers: Discord judges an answer by the interaction's type.
        const declared = typeOf(template);
        const live = h.discord.issueInteraction({ type: declared === 3 || declared === 5 ? declared : 2 });
        const body = withLiveInteraction(template, live);
        const before = h.logs.length;
        const response = await h.handler(new Request("http://localhost/discord/interactions", { method: "POST", headers: discordSignedHeaders(body, h.pair.privateKey, { timestamp: NOW_SECONDS }), body }));
        const text = await response.text();
        await h.settle();
        const tooLarge = Buffer.byteLength(body) > MAX_BODY_BYTES;
        expect(tooLarge ? [413] : [200, 400]).toContain(response.status);
        const written = h.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
        const requests = written.filter((line) => line.event === "request");
        expect(requests).toHaveLength(1);
        expect(requests[0]).toMatchObject({ outcome: expect.stringMatching(/^\w/), status: response.status });
        expect(written.filter((line) => line.outcome === "error" || line.event === "deferred.failed")).toEqual([]);
        expect(text).not.toContain(live.token);
        if (response.status !== 200) return;
        const json = JSON.parse(text) as unknown;
        expect(discordAnswerProblem(json)).toBeUndefined();
        // The answer as Discord takes it, when the body named the interaction the emulator issued.
        if (body.includes(live.token) && body.includes(live.id) && [2, 3, 5].includes(declared as number) && (json as { type: number }).type !== 1) {
          const refused = h.discord.receiveHttpResponse(live, json);
          // A modal is the one answer Discord refuses to a modal's submission: the bot never gives it there.
          expect(refused).toBeUndefined();
        }
      }),
      { numRuns: RUNS * 2 },
    );
  });
});

function typeOf(body: string): unknown {
  try {
    const json = JSON.parse(body) as unknown;
    return typeof json === "object" && json !== null && "type" in json ? json.type : undefined;
  } catch {
    return undefined;
  }
}

describe("the same interactions unsigned or wrongly signed", () => {
  const other = discordKeyPair();
  const tamper = fc.constantFrom("none", "other-key", "stale", "future", "garbage", "changed");

  it("always get a bare 401, and nothing is called", async () => {
    await fc.assert(
      fc.asyncProperty(hostileDiscordBodies, tamper, async (template, how) => {
        const body = withLiveInteraction(template, { id: "1500000000000000001", token: "token" });
        const headers: Record<string, string> =
          how === "none" ? { "content-type": "application/json" }
          : how === "other-key" ? discordSignedHeaders(body, other.privateKey, { timestamp: NOW_SECONDS })
          : how === "stale" ? discordSignedHeaders(body, h.pair.privateKey, { timestamp: NOW_SECONDS - 301 })
          : how === "future" ? discordSignedHeaders(body, h.pair.privateKey, { timestamp: NOW_SECONDS + 301 })
          : how === "garbage" ? { ...discordSignedHeaders(body, h.pair.privateKey, { timestamp: NOW_SECONDS }), "x-signature-ed25519": "zz".repeat(64) }
          : discordSignedHeaders(`${body} `, h.pair.privateKey, { timestamp: NOW_SECONDS });
        const calls = h.discord.calls.length + h.blobs.requests.length;
        const response = await h.handler(new Request("http://localhost/discord/interactions", { method: "POST", headers, body }));
        const expected = Buffer.byteLength(body) > MAX_BODY_BYTES ? 413 : 401;
        expect(response.status).toBe(expected);
        if (expected === 401) expect(await response.text()).toBe("Unauthorized");
        await h.settle();
        expect(h.discord.calls.length + h.blobs.requests.length).toBe(calls);
      }),
      { numRuns: RUNS },
    );
  });
});
