import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { botUserIdOf, parseEventsApiPayload } from "../../src/slack/payloads.js";
import { appHomeOpened, appMention, eventBody, eventCallback, urlVerification } from "../../dev/slack-payloads.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";

describe("parseEventsApiPayload", () => {
  it("reads Slack's URL check", () => {
    expect(parseEventsApiPayload(eventBody(urlVerification("abc123")))).toEqual({ kind: "url_verification", challenge: "abc123" });
  });

  it("reads an app_home_opened event in its envelope", () => {
    const parsed = parseEventsApiPayload(eventBody(eventCallback(appHomeOpened({ user: SLACK_SEED.bob }), { eventId: "Ev0ABC123" })));
    expect(parsed).toMatchObject({ kind: "event_callback", type: "app_home_opened", callback: { event_id: "Ev0ABC123", team_id: SLACK_SEED.teamId, event: { user: SLACK_SEED.bob, tab: "home" } } });
  });

  it("reads an app_mention in a thread", () => {
    const parsed = parseEventsApiPayload(eventBody(eventCallback(appMention({ text: "list", ts: "1760000002.000200", threadTs: "1760000001.000100" }))));
    expect(parsed).toMatchObject({ kind: "event_callback", type: "app_mention", callback: { event: { text: `<@${SLACK_SEED.botUserId}> list`, thread_ts: "1760000001.000100" } } });
  });

  it.each([
    ["an event the bot does not subscribe to", eventCallback({ type: "reaction_added" }), { kind: "unhandled_event", type: "reaction_added" }],
    ["an inherited name as the event type", eventCallback({ type: "constructor" }), { kind: "unhandled_event", type: "constructor" }],
    ["another kind of request", { type: "app_rate_limited" }, { kind: "other", type: "app_rate_limited" }],
    ["an envelope without its event", { ...eventCallback({}), event: undefined }, { kind: "invalid", problem: "event: invalid_type" }],
    ["an event_id that could not be a key", eventCallback(appHomeOpened(), { eventId: "../../etc" }), { kind: "invalid", problem: "event_id: invalid_format" }],
    ["a mention whose channel is no channel id", eventCallback(appMention({ text: "x", channel: "<!channel>" })), { kind: "invalid", problem: "event.channel: invalid_format", eventType: "app_mention" }],
    ["a Home tab opened by no user id", eventCallback(appHomeOpened({ user: "nobody" })), { kind: "invalid", problem: "event.user: invalid_format", eventType: "app_home_opened" }],
    ["a challenge too long to echo", urlVerification("c".repeat(256)), { kind: "invalid", problem: "challenge: too_big" }],
  ])("tells %s apart", (_name, payload, expected) => {
    expect(parseEventsApiPayload(eventBody(payload))).toMatchObject(expected);
  });

  it.each(["", "{", "null", "[]", '"event_callback"', '{"type":1}'])("calls %j invalid", (body) => {
    expect(parseEventsApiPayload(body).kind).toBe("invalid");
  });

  it("never throws, whatever the body", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.jsonValue().map((value) => JSON.stringify(value)), fc.jsonValue().map((event) => JSON.stringify({ ...eventCallback({}), event }))), (body) => {
        expect(() => parseEventsApiPayload(body)).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });
});

describe("botUserIdOf", () => {
  it("is the user id of the bot's own authorization", () => {
    expect(botUserIdOf(eventCallback({}) as Parameters<typeof botUserIdOf>[0])).toBe(SLACK_SEED.botUserId);
  });

  it("is unknown when Slack sends no authorization for a bot", () => {
    expect(botUserIdOf({ authorizations: [{ user_id: "U0PERSON", is_bot: false }] })).toBeUndefined();
    expect(botUserIdOf({})).toBeUndefined();
  });
});
