import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LIMITS } from "../../../src/platforms/slack/blocks.js";
import { botUserIdOf, parseEventsApiPayload, parseInteraction, parseSlashCommand } from "../../../src/platforms/slack/payloads.js";
import { appHomeOpened, appMention, blockActions, eventBody, eventCallback, messageAction, slackMessage, slashCommandBody, taskModalValues, urlVerification, viewSubmission } from "../../../dev/slack-payloads.js";
import { SLACK_SEED } from "../../../dev/slack-emulator.js";

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
    ["an event type past Slack's 255 for ids", eventCallback({ type: "t".repeat(256) }), { kind: "invalid", problem: "event.type: too_big" }],
    ["a mention's author id past 255", eventCallback(appMention({ text: "x", user: "U".repeat(256) })), { kind: "invalid", problem: "event.user: too_big", eventType: "app_mention" }],
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

const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) });
const shortcut = (overrides: Record<string, unknown> = {}) => messageAction({ callbackId: "create_task", triggerId: "1.2.abc", responseUrl: "https://hooks.slack.com/actions/T0TEAM/1/abc" }, overrides);
const click = (action: { action_id: string; block_id?: string; value?: string }) =>
  blockActions({ message: slackMessage(), action, triggerId: "1.2.abc", responseUrl: "https://hooks.slack.com/actions/T0TEAM/1/abc" });
const submission = (view: Record<string, unknown>, values = taskModalValues({ title: "A task" })) =>
  viewSubmission({ view: { id: "V0VIEW", hash: "1.abc", view: { type: "modal", callback_id: "task_modal", ...view } }, values });

describe("Slack's limits at the boundary", () => {
  it.each([
    ["a shortcut's callback_id", (n: number) => shortcut({ callback_id: "c".repeat(n) }), LIMITS.callbackId, "callback_id: too_big"],
    ["a modal's callback_id", (n: number) => submission({ callback_id: "c".repeat(n) }), LIMITS.callbackId, "view.callback_id: too_big"],
    ["a modal's private_metadata", (n: number) => submission({ private_metadata: "m".repeat(n) }), LIMITS.privateMetadata, "view.private_metadata: too_big"],
    ["a button's action_id", (n: number) => click({ action_id: "a".repeat(n) }), LIMITS.actionId, "actions.0.action_id: too_big"],
    ["a button's block_id", (n: number) => click({ action_id: "a", block_id: "b".repeat(n) }), LIMITS.blockId, "actions.0.block_id: too_big"],
    ["a button's value", (n: number) => click({ action_id: "a", value: "v".repeat(n) }), LIMITS.buttonValue, "actions.0.value: too_big"],
    ["a user id", (n: number) => shortcut({ user: { id: "U".repeat(n) } }), 255, "user.id: too_big"],
    ["a team id", (n: number) => shortcut({ team: { id: "T".repeat(n) } }), 255, "team.id: too_big"],
    ["an app id", (n: number) => shortcut({ api_app_id: "A".repeat(n) }), 255, "api_app_id: too_big"],
    ["a channel's name", (n: number) => shortcut({ channel: { id: "C0GENERAL", name: "n".repeat(n) } }), 255, "channel.name: too_big"],
    ["a message's ts", (n: number) => shortcut({ message: slackMessage({ ts: "1".repeat(n) }) }), 255, "message.ts: too_big"],
  ])("takes %s at Slack's limit and refuses one character more", (_name, build, limit, problem) => {
    expect(parseInteraction(form(build(limit))).kind).not.toBe("invalid");
    expect(parseInteraction(form(build(limit + 1)))).toMatchObject({ kind: "invalid", problem });
  });

  it("refuses a block_id or an action_id over 255 as a key of a modal's state", () => {
    const values = { ["b".repeat(256)]: { title_input: { type: "plain_text_input", value: "x" } } };
    expect(parseInteraction(form(submission({}, values)))).toMatchObject({ kind: "invalid", problem: expect.stringMatching(/^view\.state\.values/) });
    const actions = { title: { ["a".repeat(256)]: { type: "plain_text_input", value: "x" } } };
    expect(parseInteraction(form(submission({}, actions)))).toMatchObject({ kind: "invalid", problem: expect.stringMatching(/^view\.state\.values/) });
  });

  it("leaves typed text to the task rules: a long input still parses, so the modal can say what is wrong with it", () => {
    const parsed = parseInteraction(form(submission({}, taskModalValues({ title: "t".repeat(10_000) }))));
    expect(parsed.kind).toBe("view_submission");
  });

  it("keeps an unreadable payload's response_url, to answer through it if the outbound rule allows", () => {
    expect(parseInteraction(form(shortcut({ callback_id: "c".repeat(256) })))).toMatchObject({ kind: "invalid", responseUrl: "https://hooks.slack.com/actions/T0TEAM/1/abc" });
    expect(parseInteraction(form(shortcut({ callback_id: 1, response_url: { href: "x" } })))).not.toHaveProperty("responseUrl");
  });

  it.each([
    ["team_id", 255],
    ["user_id", 255],
    ["channel_id", 255],
    ["trigger_id", 255],
    ["user_name", 255],
    ["channel_name", 255],
    ["api_app_id", 255],
    ["enterprise_id", 255],
  ])("takes a slash command's %s at %i characters and refuses one more", (field, limit) => {
    expect(parseSlashCommand(new URLSearchParams(slashCommandBody({}, { [field]: "x".repeat(limit) }))).ok).toBe(true);
    expect(parseSlashCommand(new URLSearchParams(slashCommandBody({}, { [field]: "x".repeat(limit + 1) })))).toEqual({ ok: false, problem: `${field}: too_big` });
  });
});
