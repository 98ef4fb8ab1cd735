/**
 * Hostile activities at /teams/messages, signed by the emulator's key for whatever serviceUrl the
 * body names (a token proves who sent a body, not that it is sane): never a 5xx or a throw, one log
 * line, an invoke always answered with a body, and no call anywhere but the emulators.
 */
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hostileText, INHERITED } from "../../dev/hostile-payloads.js";
import { TEAMS_SEED } from "../../dev/teams-emulator.js";
import { startTeamsHarness, type TeamsHarness } from "../../dev/teams-harness.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 150;
let h: TeamsHarness;
const called: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  h = await startTeamsHarness({ ackDeadlineMs: 1_000, fetch: (input, init) => (called.push(new URL(input instanceof Request ? input.url : String(input)).origin), fetch(input, init)) });
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await h?.close();
});
afterEach(() => expect(unhandled).toEqual([]));

const wrongType: fc.Arbitrary<unknown> = fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(null, 0, -1, true, [], {}, [null]));
const field = <T>(good: fc.Arbitrary<T>) => fc.oneof({ weight: 8, arbitrary: good }, { weight: 1, arbitrary: hostileText }, { weight: 1, arbitrary: wrongType }, { weight: 1, arbitrary: fc.constant(undefined) });

describe("hostile activities, signed", () => {
  it("never a 5xx or a throw, one log line, an invoke answered with a body, and calls only to the emulators", async () => {
    const serviceUrls = fc.constantFrom("__EMULATOR__", "https://evil.example/", "https://smba.trafficmanager.net.evil.example/", "http://169.254.169.254/", "javascript:alert(1)");
    const account = fc.record({ id: field(fc.constantFrom(TEAMS_SEED.alice.id, ...INHERITED)), name: field(hostileText) });
    const activities = fc.record({
      type: field(fc.constantFrom("message", "invoke", "conversationUpdate", "typing")),
      id: field(fc.string({ minLength: 1, maxLength: 20 })),
      serviceUrl: field(serviceUrls),
      channelId: field(fc.constantFrom("msteams", "webchat")),
      from: field(account),
      recipient: field(account),
      conversation: field(fc.record({ id: field(fc.constantFrom(TEAMS_SEED.personal, TEAMS_SEED.channel, `${TEAMS_SEED.channel};messageid=1`, "__proto__")), conversationType: field(fc.constantFrom("personal", "channel", "groupChat")), tenantId: field(fc.constantFrom(TEAMS_SEED.tenantId, "other-tenant")) })),
      text: field(fc.oneof(fc.constantFrom("task help", "task list", "<at>bot</at> task Fix it", "task __proto__"), hostileText)),
      name: field(fc.constantFrom("task/fetch", "task/submit", "composeExtension/fetchTask", "composeExtension/submitAction", "adaptiveCard/action", ...INHERITED)),
      value: field(
        fc.record({
          commandId: field(fc.constantFrom("remindProcess", "createTask", ...INHERITED)),
          messagePayload: field(fc.record({ id: field(fc.constant("1700000000777")), body: field(fc.record({ content: field(hostileText) })), from: field(fc.record({ user: field(fc.record({ id: field(hostileText), displayName: field(hostileText) })) })) })),
          action: field(fc.record({ type: field(fc.constant("Action.Execute")), verb: field(fc.constantFrom("task_status_start", "task_status_done", ...INHERITED)), data: field(fc.record({ value: field(hostileText) })) })),
          data: field(fc.dictionary(fc.constantFrom("chatops.form", "chatops.context", "chatops.open", "title", "__proto__"), fc.oneof(hostileText, wrongType), { maxKeys: 4 })),
        }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(activities, async (activity) => {
        const body = JSON.stringify(activity).replaceAll("__EMULATOR__", h.teams.serviceUrl);
        const serviceUrl = activity.serviceUrl === "__EMULATOR__" ? h.teams.serviceUrl : activity.serviceUrl;
        const before = h.logs.length;
        const answer = await h.send({}, { body, authorization: typeof serviceUrl === "string" ? h.teams.authorization({ serviceUrl }) : null });
        await h.settle();
        expect([200, 400, 401]).toContain(answer.status);
        const lines = h.logs.slice(before).map((line) => JSON.parse(line) as Record<string, unknown>);
        expect(lines.filter((line) => line.event === "request")).toHaveLength(1);
        expect(lines.filter((line) => line.outcome === "error")).toEqual([]);
        if (answer.status === 200 && activity.type === "invoke") expect(answer.text).not.toBe("");
        const allowed = new Set([h.teams.origin, new URL(h.notion.url).origin, new URL(h.blobs.connection.edgeURL).origin]);
        expect(called.filter((origin) => !allowed.has(origin))).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  });
});
