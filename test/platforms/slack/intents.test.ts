import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hostileCommandBodies, hostileInteractionBodies, withLiveUrls } from "../../../dev/hostile-payloads.js";
import type { Intent } from "../../../src/chat/intent.js";
import type { Place } from "../../../src/chat/model.js";
import { decodePlace, encodePlace } from "../../../src/chat/place.js";
import { SLACK_SEED } from "../../../dev/slack-emulator.js";
import { blockActions, botMessage, elementState, messageAction, slackMessage, slashCommandBody, taskModalValues, viewSubmission } from "../../../dev/slack-payloads.js";
import { decodeTaskContext } from "../../../src/features/task-request/modal.js";
import { intentOfBlockActions, intentOfCommand, intentOfInteraction, intentOfMessageAction, intentOfViewSubmission, unusableIntent } from "../../../src/platforms/slack/intents.js";
import { blockActionsSchema, messageActionSchema, parseInteraction, parseSlashCommand, viewSubmissionSchema } from "../../../src/platforms/slack/payloads.js";

const TEAM = SLACK_SEED.teamId;
const alice = { platform: "slack", workspace: TEAM, userId: SLACK_SEED.alice, displayName: "alice" } as const;
const bob = { platform: "slack", workspace: TEAM, userId: SLACK_SEED.bob, displayName: "bob" } as const;
const general = { platform: "slack", workspace: TEAM, conversation: SLACK_SEED.general } as const;

function command(text: string) {
  const parsed = parseSlashCommand(new URLSearchParams(slashCommandBody({ text })));
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.command;
}

const view = (metadata: string | undefined) => ({ id: "V0VIEW", hash: "h1", view: { type: "modal", callback_id: "task_modal", ...(metadata === undefined ? {} : { private_metadata: metadata }) } });
const submission = (values: Record<string, Record<string, unknown>>, metadata?: string) => viewSubmissionSchema().parse(viewSubmission({ view: view(metadata), values }));

describe("intentOfCommand", () => {
  it("reads /task <text> as ask_for_task, the text as a person reads it", () => {
    expect(intentOfCommand(command("Fix &lt;login&gt; for <@U0BOB|bob>"), ["list"])).toEqual({ kind: "ask_for_task", person: alice, place: general, text: "Fix <login> for @bob" });
  });

  it("reads a known one-word subcommand, in any case and with spaces around it, as subcommand", () => {
    expect(intentOfCommand(command("  LIST "), ["list", "help"])).toEqual({ kind: "subcommand", person: alice, place: general, name: "list", rest: "" });
  });

  it("takes an unknown word, or a known word with more text, as a title", () => {
    expect(intentOfCommand(command("lsit"), ["list"])).toMatchObject({ kind: "ask_for_task", text: "lsit" });
    expect(intentOfCommand(command("list my tasks"), ["list"])).toMatchObject({ kind: "ask_for_task", text: "list my tasks" });
    // A word of Object.prototype is no subcommand.
    expect(intentOfCommand(command("constructor"), ["list"])).toMatchObject({ kind: "ask_for_task" });
  });
});

describe("intentOfMessageAction", () => {
  it("reads the shortcut, the message's place, author, plain text and archive link", () => {
    const payload = messageActionSchema().parse(
      messageAction({ callbackId: "create_task", triggerId: "t", responseUrl: "https://hooks.slack.com/actions/T/1/x", message: slackMessage({ ts: "1700000000.000200", thread_ts: "1700000000.000100", text: "Broken &amp; slow" }) }),
    );
    expect(intentOfMessageAction(payload)).toEqual({
      kind: "message_shortcut",
      person: bob,
      place: general,
      shortcut: "create_task",
      message: {
        place: { ...general, thread: "1700000000.000100", message: "1700000000.000200" },
        conversationKind: "public",
        author: { platform: "slack", workspace: TEAM, userId: SLACK_SEED.alice, displayName: undefined },
        text: "Broken & slow",
        link: `https://slack.com/archives/${SLACK_SEED.general}/p1700000000000200?thread_ts=1700000000.000100&cid=${SLACK_SEED.general}`,
      },
    });
  });

  it("reads the conversation's kind from the channel's id and name (a group DM's is mpdm-…)", () => {
    const kindIn = (channel: { id: string; name: string }) =>
      intentOfMessageAction(messageActionSchema().parse(messageAction({ callbackId: "remind_process", channel, triggerId: "t", responseUrl: "https://hooks.slack.com/actions/T/1/x" }))).message.conversationKind;
    expect(kindIn({ id: "G0MPIM", name: "mpdm-alice--bob-1" })).toBe("group_dm");
    expect(kindIn({ id: "D0ALICEBOB", name: "directmessage" })).toBe("dm");
    expect(kindIn({ id: "G0SECRET", name: "secret" })).toBe("private");
  });

  it("gives a bot's message no author", () => {
    const payload = messageActionSchema().parse(messageAction({ callbackId: "remind_process", triggerId: "t", responseUrl: "https://hooks.slack.com/actions/T/1/x", message: botMessage() }));
    expect(intentOfMessageAction(payload).message.author).toBeUndefined();
  });
});

describe("intentOfBlockActions", () => {
  it("reads the action, its value, the row (block_id) and the message it was on", () => {
    const payload = blockActionsSchema().parse(
      blockActions({ message: slackMessage({ ts: "1700000000.000300" }), action: { action_id: "task_status_start", value: "page-1", block_id: "task_status/confirmation" }, triggerId: "t", responseUrl: "https://hooks.slack.com/actions/T/1/x" }),
    );
    expect(intentOfBlockActions(payload)).toEqual({
      kind: "button",
      person: bob,
      place: general,
      action: "task_status_start",
      value: "page-1",
      rowId: "task_status/confirmation",
      message: { ...general, message: "1700000000.000300" },
    });
  });

  it("has no message for a button that was on none (the Home tab)", () => {
    const payload = blockActionsSchema().parse({
      type: "block_actions",
      trigger_id: "t",
      team: { id: TEAM },
      user: { id: SLACK_SEED.alice, team_id: TEAM },
      view: { id: "V0HOME", type: "home" },
      actions: [{ action_id: "home_new_task" }],
    });
    expect(intentOfBlockActions(payload)).toMatchObject({ kind: "button", place: undefined, message: undefined, value: undefined, rowId: undefined });
  });
});

describe("intentOfViewSubmission", () => {
  it("reads the form, its instance (the view id), each input's value by block_id and the metadata's strings", () => {
    const values = taskModalValues({ title: "Fix login", priority: "High", due: "2025-01-10" });
    const intent = intentOfViewSubmission(submission(values, JSON.stringify({ channelId: "C1", slackLink: "https://x", count: 3, nested: { a: 1 } })));
    expect(intent).toEqual({
      kind: "submit_form",
      person: alice,
      place: undefined,
      form: "task_modal",
      instance: "V0VIEW",
      values: { title: "Fix login", description: undefined, priority: "High", due: "2025-01-10" },
      // slackLink is a pre-port task modal's: read as the task form's `link` too (the form keeps only a chat's link).
      context: { channelId: "C1", slackLink: "https://x", link: "https://x" },
    });
  });

  it("reads an emptied input as undefined", () => {
    const intent = intentOfViewSubmission(submission({ a: { a_input: elementState.text("") }, b: { b_input: elementState.select(undefined) }, c: { c_input: elementState.date(undefined) } }));
    expect(intent.values).toEqual({ a: undefined, b: undefined, c: undefined });
  });

  it("flattens the legacy nested messageAuthor, so a modal open across the deploy keeps its author", () => {
    const legacy = JSON.stringify({ channelId: "C1", messageAuthor: { id: "U0ALICE", name: "Alice" } });
    expect(intentOfViewSubmission(submission({}, legacy)).context).toEqual({ channelId: "C1", authorId: "U0ALICE", authorName: "Alice" });
    // The flat fields written since win over the nested ones.
    const both = JSON.stringify({ authorId: "U0BOB", messageAuthor: { id: "U0ALICE", name: "Alice" } });
    expect(intentOfViewSubmission(submission({}, both)).context).toEqual({ authorId: "U0BOB", authorName: "Alice" });
  });

  it("reads a task modal opened before the port in the task form's words, so its link, its thread and its Home tab survive the deploy", () => {
    const link = "https://example.slack.com/archives/C0GENERAL/p1700000000000200";
    const legacy = JSON.stringify({ channelId: "C0GENERAL", responseUrl: "https://hooks.slack.com/x", slackLink: link, threadTs: "1700000000.000100", openedFrom: "home" });
    const { context, person } = intentOfViewSubmission(submission({}, legacy));
    expect(context).toMatchObject({ link, from: "home", place: `slack:${person.workspace}:C0GENERAL:1700000000.000100`, channelId: "C0GENERAL", responseUrl: "https://hooks.slack.com/x" });
    expect(decodeTaskContext(context, person)).toEqual({ message: { platform: "slack", workspace: person.workspace, conversation: "C0GENERAL", thread: "1700000000.000100" }, link, from: "home" });
    // A thread that is not a channel and a ts is no place.
    expect(intentOfViewSubmission(submission({}, JSON.stringify({ channelId: "not a channel", threadTs: "x" }))).context).not.toHaveProperty("place");
  });

  it("takes metadata that is not a JSON object as no context, and a __proto__ key as a plain key", () => {
    for (const metadata of ["not json", "[1,2]", "\"text\"", "null", ""]) expect(intentOfViewSubmission(submission({}, metadata)).context).toEqual({});
    const forged = intentOfViewSubmission(submission({}, '{"__proto__":"x","toString":"y"}')).context;
    expect(Object.getPrototypeOf(forged)).toBe(Object.prototype);
    expect(Object.keys(forged)).toEqual(["__proto__", "toString"]);
  });
});

describe("unusableIntent", () => {
  it("says why when an id holds whitespace or a control character, which a record's place cannot", () => {
    for (const team_id of ["T0 TEAM", "T\u0000", "T\n"]) expect(unusableIntent(intentOfCommand({ ...command("Fix"), team_id }, []))).toMatch(/no Slack id/);
    expect(unusableIntent(intentOfCommand(command("Fix"), []))).toBeUndefined();
  });
});

describe("intents from hostile payloads", () => {
  const live = { responseUrl: () => "https://hooks.slack.com/actions/T0TEAM/1/x", triggerId: () => "1.2.x" };

  /** Every place an intent holds, as a feature would store it. */
  function placesOf(intent: Intent): Place[] {
    const places = [intent.place, intent.kind === "message_shortcut" ? intent.message.place : undefined, intent.kind === "button" ? intent.message : undefined];
    return places.filter((place): place is Place => place !== undefined);
  }

  it("reads every interaction Slack's schema lets through into an intent whose places a record can keep, values and context all strings", () => {
    fc.assert(
      fc.property(hostileInteractionBodies, ({ body }) => {
        const interaction = parseInteraction(new URLSearchParams(withLiveUrls(body, live)));
        if (interaction.kind === "invalid" || interaction.kind === "other") return;
        const intent = intentOfInteraction(interaction);
        // Either the port is told it cannot take it, or each place is one a record keeps.
        if (unusableIntent(intent) === undefined) for (const place of placesOf(intent)) expect(decodePlace(encodePlace(place))).toEqual(place);
        expect(intent.person.platform).toBe("slack");
        if (intent.kind === "submit_form") {
          for (const value of [...Object.values(intent.values), ...Object.values(intent.context)]) expect(value === undefined || typeof value === "string").toBe(true);
          expect(Object.values(intent.context).every((value) => typeof value === "string")).toBe(true);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("reads every command Slack's schema lets through into an intent whose place a record can keep", () => {
    fc.assert(
      fc.property(hostileCommandBodies, (body) => {
        const parsed = parseSlashCommand(new URLSearchParams(withLiveUrls(body, live)));
        if (!parsed.ok) return;
        const intent = intentOfCommand(parsed.command, ["help", "list", "review"]);
        if (unusableIntent(intent) === undefined) for (const place of placesOf(intent)) expect(decodePlace(encodePlace(place))).toEqual(place);
        if (intent.kind === "subcommand") expect(["help", "list", "review"]).toContain(intent.name);
      }),
      { numRuns: 300 },
    );
  });
});
