/**
 * Hostile activities at /teams/messages (dev/hostile-teams.ts, which `npm run hostile -- --teams`
 * also sends), signed by the emulator's key for whatever serviceUrl the body names (a token proves
 * who sent a body, not that it is sane): never a 5xx or a throw, one log line and no error in it, an
 * invoke always answered with a body, no call anywhere but the emulators, nothing a person typed in
 * a log. Unsigned or wrongly signed: a bare 401 (413 past the size limit) and nothing called or
 * kept. A token replayed: its activity is done once, and with another body's serviceUrl it is refused.
 */
import fc from "fast-check";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hostileTeamsActivities, tamperedAuthorization, teamsAnswerProblem, TOKEN_TAMPERINGS, TYPED_CANARY, withServiceUrl } from "../../dev/hostile-teams.js";
import { startTeamsHarness, teamsMessage, type TeamsHarness } from "../../dev/teams-harness.js";
import { MAX_BODY_BYTES } from "../../src/handlers/teams-messages.js";

const RUNS = Number(process.env.FUZZ_RUNS ?? 0) || 150;
let h: TeamsHarness;
const called: string[] = [];
const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown) => void unhandled.push(reason);

beforeAll(async () => {
  process.on("unhandledRejection", onUnhandled);
  h = await startTeamsHarness({ ackDeadlineMs: 1_000, fetch: (input, init) => (called.push(new URL(input instanceof Request ? input.url : String(input)).origin), fetch(input, init)) });
  // A warm instance: the keys are read once, by this first activity (their fetch ends by its deadline).
  expect((await h.send(teamsMessage(h.teams.serviceUrl, "task help"))).status).toBe(200);
  await h.settle();
});
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  await h?.close();
});
afterEach(() => expect(unhandled).toEqual([]));

const allowed = () => new Set([h.teams.origin, new URL(h.notion.url).origin, new URL(h.blobs.connection.edgeURL).origin]);
const escaped = () => called.filter((origin) => !allowed().has(origin));

describe("hostile activities, signed", () => {
  it("never a 5xx or a throw, one log line without an error, an invoke answered with a body, calls only to the emulators, nothing typed in a log", async () => {
    await fc.assert(
      fc.asyncProperty(hostileTeamsActivities, async (hostile) => {
        const { body, serviceUrl } = withServiceUrl(hostile, h.teams.serviceUrl);
        const before = h.logs.length;
        const answer = await h.send({}, { body, authorization: serviceUrl === undefined ? null : h.teams.authorization({ serviceUrl }) });
        await h.settle();
        if (serviceUrl === undefined) expect([400, 401, 413]).toContain(answer.status);
        else expect(teamsAnswerProblem({ body, type: hostile.type }, answer), h.logs.at(-1)).toBeUndefined();
        const lines = h.logs.slice(before);
        const parsed = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
        expect(parsed.filter((line) => line.event === "request")).toHaveLength(1);
        expect(parsed.filter((line) => line.outcome === "error" || line.event === "deferred.failed")).toEqual([]);
        expect(lines.filter((line) => line.includes(TYPED_CANARY))).toEqual([]);
        expect(escaped()).toEqual([]);
      }),
      { numRuns: RUNS },
    );
  }, 600_000);
});

describe("the same activities unsigned or wrongly signed", () => {
  it("always get a bare 401 (413 past the size limit), and nothing is called or kept", async () => {
    await fc.assert(
      fc.asyncProperty(hostileTeamsActivities, fc.constantFrom(...TOKEN_TAMPERINGS), async (hostile, how) => {
        const { body, serviceUrl } = withServiceUrl(hostile, h.teams.serviceUrl);
        const calls = h.teams.calls.filter((call) => call.route !== "keys" && call.route !== "openid").length + h.notion.requests.length + h.blobs.requests.length;
        const answer = await h.send({}, { body, authorization: tamperedAuthorization(h.teams, serviceUrl ?? h.teams.serviceUrl, how, Date.now()) });
        await h.settle();
        const expected = Buffer.byteLength(body) > MAX_BODY_BYTES ? 413 : 401;
        expect(answer.status).toBe(expected);
        if (expected === 401) expect(answer.text).toBe("Unauthorized");
        expect(h.teams.calls.filter((call) => call.route !== "keys" && call.route !== "openid").length + h.notion.requests.length + h.blobs.requests.length).toBe(calls);
        expect(escaped()).toEqual([]);
      }),
      { numRuns: Math.ceil(RUNS / 2) },
    );
  }, 600_000);
});

describe("replayed tokens", () => {
  it("an activity delivered again with its token is done once; the token with a body naming another serviceUrl is refused; another tenant's activity is ignored", async () => {
    const authorization = h.teams.authorization();
    const activity = teamsMessage(h.teams.serviceUrl, "task help");
    const before = h.teams.activities.length;
    for (let i = 0; i < 3; i++) expect((await h.send(activity, { authorization })).status).toBe(200);
    await h.settle();
    expect(h.teams.activities.length - before).toBe(1);
    // The same token over a body that sends the answers elsewhere.
    for (const forged of ["https://evil.example/", "https://smba.trafficmanager.net/emea/"]) {
      const answer = await h.send(teamsMessage(forged, "task help"), { authorization });
      expect([answer.status, answer.text]).toEqual([401, "Unauthorized"]);
    }
    // Another tenant, correctly signed: nothing said, kept or claimed for it.
    const stored = (await h.store.list("")).keys;
    const calls = h.teams.calls.length;
    const other = await h.send(teamsMessage(h.teams.serviceUrl, "task help", { tenantId: "00000000-0000-4000-8000-0000000e0e0e" }));
    await h.settle();
    expect(other.status).toBe(200);
    expect(h.logs.at(-1)).toContain('"outcome":"tenant_not_allowed"');
    expect(h.teams.calls.slice(calls).filter((call) => call.route !== "keys" && call.route !== "openid")).toEqual([]);
    expect((await h.store.list("")).keys).toEqual(stored);
  });
});
