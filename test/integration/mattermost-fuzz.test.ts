/**
 * Hostile requests at the three Mattermost functions: a command with the right token and any text,
 * ids and response_url; dialog submissions and button actions of any shape, with state and context
 * forged, tampered or of the wrong type. Never a 5xx or a throw, one log line each, nothing routed
 * without the bot's own signature, and no call anywhere but MATTERMOST_URL, Notion and the store.
 */
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FORBIDDEN_RESPONSE_URLS, hostileText } from "../../dev/hostile-payloads.js";
import { MATTERMOST_SEED } from "../../dev/mattermost-emulator.js";
import { startMattermostHarness, type MattermostHarness } from "../../dev/mattermost-harness.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 60;
const fetched: string[] = [];
const recordingFetch: typeof fetch = (input, init) => {
  fetched.push(input instanceof Request ? input.url : String(input));
  return fetch(input, init);
};

let h: MattermostHarness;
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);
beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  h = await startMattermostHarness({ fetch: recordingFetch, ackDeadlineMs: 1_000 });
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await h?.close();
});
afterEach(() => {
  expect(unhandled).toEqual([]);
});

const idLike = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(MATTERMOST_SEED.alice, MATTERMOST_SEED.bob, MATTERMOST_SEED.townSquare, MATTERMOST_SEED.teamId, MATTERMOST_SEED.secret) },
  { weight: 1, arbitrary: hostileText },
);
const anyValue = fc.oneof(hostileText, fc.jsonValue({ maxDepth: 2 }));
const commandText = fc.oneof(
  hostileText,
  fc.constantFrom("help", "list", "review", "LIST", "remind", "from", "remind https://evil.example/a/pl/abcdefghijklmnopqrstuvwxyz", "from http://169.254.169.254/a/pl/abcdefghijklmnopqrstuvwxyz"),
  fc.tuple(fc.constantFrom("remind ", "from "), hostileText).map(([word, rest]) => word + rest),
);

/** Sends one body and checks what every request must hold; returns the response's status. */
async function sendChecked(path: "/mattermost/commands" | "/mattermost/actions" | "/mattermost/dialogs", body: string, headers: Record<string, string>): Promise<number> {
  const before = h.logs.length;
  fetched.length = 0;
  h.mattermost.calls.length = 0;
  const answer = await h.post(path, body, headers);
  await h.settle();
  expect(answer.status).toBeLessThan(500);
  const written = h.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
  expect(written.filter((line) => line.event === "request")).toHaveLength(1);
  expect(written.filter((line) => line.outcome === "error" || line.event === "deferred.failed")).toEqual([]);
  const allowed = [new URL(h.mattermost.url).origin, new URL(h.env.NOTION_API_URL!).origin, new URL(h.blobs.connection.edgeURL).origin];
  for (const url of fetched) expect(allowed, url).toContain(new URL(url).origin);
  return answer.status;
}

describe("hostile requests at the Mattermost functions", () => {
  it("a command with the right token and any text, ids or response_url", async () => {
    await fc.assert(
      fc.asyncProperty(commandText, idLike, idLike, fc.constantFrom(...FORBIDDEN_RESPONSE_URLS, "https://chat.elsewhere.example/hooks/commands/x"), async (text, userId, channelId, responseUrl) => {
        const body = new URLSearchParams(h.mattermost.commandBody({ text, responseUrl }));
        body.set("user_id", userId);
        body.set("channel_id", channelId);
        await sendChecked("/mattermost/commands", body.toString(), { "content-type": "application/x-www-form-urlencoded" });
      }),
      { numRuns: RUNS },
    );
  });

  it("dialog submissions and button actions of any shape: refused unless the bot signed them, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom("/mattermost/actions" as const, "/mattermost/dialogs" as const),
        fc.dictionary(fc.constantFrom("user_id", "channel_id", "team_id", "post_id", "callback_id", "state", "context", "submission", "cancelled", "trigger_id", "type"), fc.oneof(idLike, anyValue), { maxKeys: 11 }),
        fc.oneof(fc.constant(undefined), hostileText),
        async (path, fields, raw) => {
          const status = await sendChecked(path, raw ?? JSON.stringify(fields), { "content-type": "application/json" });
          expect([200, 400, 401, 413]).toContain(status);
          // Without the bot's signature nothing is routed: no post, no dialog, no patch.
          expect(h.mattermost.calls.filter((call) => ["create_post", "patch_post", "open_dialog", "create_ephemeral_post"].includes(call.route))).toEqual([]);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
