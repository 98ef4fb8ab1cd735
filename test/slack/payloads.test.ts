import { describe, expect, it } from "vitest";
import { LIMITS } from "../../src/slack/blocks.js";
import { parseInteraction, parseSlashCommand } from "../../src/slack/payloads.js";
import { blockActions, messageAction, slackMessage, slashCommandBody, taskModalValues, viewSubmission } from "../../dev/slack-payloads.js";

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
    ["text", 4_000],
  ])("takes a slash command's %s at %i characters and refuses one more", (field, limit) => {
    expect(parseSlashCommand(new URLSearchParams(slashCommandBody({}, { [field]: "x".repeat(limit) }))).ok).toBe(true);
    expect(parseSlashCommand(new URLSearchParams(slashCommandBody({}, { [field]: "x".repeat(limit + 1) })))).toEqual({ ok: false, problem: `${field}: too_big` });
  });
});
