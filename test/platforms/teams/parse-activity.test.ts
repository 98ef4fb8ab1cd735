import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TEAMS_SEED } from "../../../dev/teams-emulator.js";
import { teamsInvoke, teamsMessage } from "../../../dev/teams-harness.js";
import { parseTeamsActivity, plainTextFromHtml, unverifiedOrigin } from "../../../src/platforms/teams/parse-activity.js";

const SUBCOMMANDS = new Set(["list", "review", "help"]);
const serviceUrl = "https://smba.trafficmanager.net/emea/";
const parse = (activity: unknown) => parseTeamsActivity(JSON.stringify(activity), SUBCOMMANDS);
const alice = { platform: "teams", workspace: TEAMS_SEED.tenantId, userId: TEAMS_SEED.alice.id, displayName: TEAMS_SEED.alice.name };

describe("parseTeamsActivity", () => {
  it("reads `task list` as the subcommand, and any other text after `task` as a title", () => {
    expect(parse(teamsMessage(serviceUrl, "task list", { id: "1" }))).toMatchObject({ kind: "intent", intent: { kind: "subcommand", name: "list", rest: "", person: alice } });
    expect(parse(teamsMessage(serviceUrl, "Task   Fix login on Safari", { id: "1" }))).toMatchObject({ kind: "intent", intent: { kind: "ask_for_task", text: "Fix login on Safari" } });
    expect(parse(teamsMessage(serviceUrl, "task", { id: "1" }))).toMatchObject({ kind: "intent", intent: { kind: "ask_for_task", text: "" } });
  });

  it("drops the bot's leading mention in a channel, and keeps the thread of a channel conversation", () => {
    const parsed = parse(teamsMessage(serviceUrl, "<at>chatops</at> task help", { id: "1700000000002", conversation: { id: `${TEAMS_SEED.channel};messageid=1700000000001`, conversationType: "channel" } }));
    expect(parsed).toMatchObject({ kind: "intent", intent: { kind: "subcommand", name: "help", place: { conversation: TEAMS_SEED.channel, thread: "1700000000001", message: "1700000000002" } } });
  });

  it("ignores a message that does not start with task, and an invoke it does not know", () => {
    expect(parse(teamsMessage(serviceUrl, "hello"))).toMatchObject({ kind: "other", what: "message" });
    expect(parse(teamsInvoke(serviceUrl, "signin/verifyState", {}))).toMatchObject({ kind: "other", what: "signin/verifyState" });
  });

  it("reads an Action.Execute as a button with its verb, value and row, on the message it came from", () => {
    const parsed = parse(teamsInvoke(serviceUrl, "adaptiveCard/action", { action: { type: "Action.Execute", verb: "task_status_start", data: { value: "page-1", rowId: "task_status/confirmation" } } }, { replyToId: "1700000000009" }));
    expect(parsed).toMatchObject({ kind: "intent", intent: { kind: "button", action: "task_status_start", value: "page-1", rowId: "task_status/confirmation", message: { message: "1700000000009" } } });
  });

  it("keeps a form's values and context as own keys, so `__proto__` is a key like any other", () => {
    const parsed = parseTeamsActivity(`{"type":"invoke","name":"task/submit","id":"9","serviceUrl":"${serviceUrl}","channelId":"msteams","from":{"id":"29:1a"},"recipient":{"id":"28:b"},"conversation":{"id":"a:1","tenantId":"t"},"value":{"data":{"chatops.form":"task_modal","chatops.context":{"o":"7","__proto__":"x"},"__proto__":"y","title":"T"}}}`, SUBCOMMANDS);
    expect(parsed).toMatchObject({ kind: "intent", intent: { kind: "submit_form", form: "task_modal", instance: "29:1a/7" } });
    if (parsed.kind !== "intent" || parsed.intent.kind !== "submit_form") throw new Error("not a form");
    expect(Object.hasOwn(parsed.intent.values, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(parsed.intent.values)).toBe(Object.prototype);
  });

  it("refuses an activity without a tenant", () => {
    const activity = teamsMessage(serviceUrl, "task list");
    expect(parse({ ...activity, conversation: { id: "a:1" }, channelData: {} })).toEqual({ kind: "invalid", problem: "conversation.tenantId: no tenant" });
  });

  it("never throws, whatever the body (hostile input)", () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom("message", "invoke", "conversationUpdate"), fc.constantFrom("task/fetch", "task/submit", "composeExtension/fetchTask", "composeExtension/submitAction", "adaptiveCard/action"), (value, type, name) => {
          const activity = { ...teamsMessage(serviceUrl, "task x"), type, name, value };
          expect(() => parse(activity)).not.toThrow();
          expect(() => parseTeamsActivity(JSON.stringify(value), SUBCOMMANDS)).not.toThrow();
          expect(() => unverifiedOrigin(JSON.stringify(value))).not.toThrow();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe("plainTextFromHtml", () => {
  it("reads Teams' HTML as the text a person sees", () => {
    expect(plainTextFromHtml("<p>Fix <b>login</b> &amp; signup</p><p>on&nbsp;Safari &#128512; &#xD800;</p>")).toBe("Fix login & signup\non Safari 😀 \ufffd\n");
  });
});
