import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../dev/harness.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { blockActions, clickButton, messageAction, slackMessage, taskModalValues, viewSubmission } from "../../dev/slack-payloads.js";
import { CREATE_TASK_FROM_REMINDER_ACTION } from "../../src/features/process-reminder/reminder-message.js";

const REFUSAL = "Sorry, this bot only works for people in the workspaces it was set up for, so it can't take this from you.";

/** A Slack Connect guest: a person of another workspace, acting in a shared channel of ours (Slack reports their workspace as user.team_id). */
const GUEST = { id: "U0GUEST", username: "gina", name: "gina", team_id: "T0OTHER" };

let h: Harness;
afterEach(async () => h?.close());

describe("access control", () => {
  it("is off by default: any workspace and channel may use /task", async () => {
    h = await startHarness();
    await h.command("", { team_id: "T0OTHER", channel_id: "C0ANYWHERE" });
    expect(h.slack.callsTo("views.open")).toHaveLength(1);
  });

  it("refuses a command from a workspace not in SLACK_ALLOWED_TEAM_IDS, without calling Slack", async () => {
    h = await startHarness({ env: { SLACK_ALLOWED_TEAM_IDS: `${SLACK_SEED.teamId},T0SISTER` } });
    const answer = await h.command("", { team_id: "T0OTHER" });
    expect(answer.json).toEqual({ response_type: "ephemeral", text: REFUSAL });
    expect(h.slack.calls).toHaveLength(0);
    expect(h.logs.some((line) => line.includes('"outcome":"team_not_allowed"'))).toBe(true);
  });

  it("refuses a payload from another app when SLACK_APP_ID is set", async () => {
    h = await startHarness({ env: { SLACK_ALLOWED_TEAM_IDS: SLACK_SEED.teamId, SLACK_APP_ID: "A0MINE" } });
    await h.command("", { api_app_id: "A0MINE" });
    const view = h.slack.views[0]!;
    const answer = await h.interact(viewSubmission({ view, values: taskModalValues({ title: "x" }) }, { api_app_id: "A0IMPOSTOR" }));
    expect(answer.json).toEqual({ response_action: "errors", errors: { title: REFUSAL } });
    expect(h.notion.requestsTo("pages.create")).toHaveLength(0);
  });

  it("answers /task politely outside TASK_ALLOWED_CHANNEL_IDS, naming where it works", async () => {
    h = await startHarness({ env: { TASK_ALLOWED_CHANNEL_IDS: "C0REQUESTS" } });
    const answer = await h.command("", { channel_id: SLACK_SEED.random });
    expect(answer.json).toEqual({ response_type: "ephemeral", text: "/task isn't used in this channel. Try it in <#C0REQUESTS>." });
    expect(h.slack.calls).toHaveLength(0);
    await h.command("", { channel_id: "C0REQUESTS" });
    expect(h.slack.callsTo("views.open")).toHaveLength(1);
  });
});

describe("org boundaries: the allow-list applies to the person's own workspace, as Slack reports it", () => {
  /** Harness allowing the seed workspace only; returns the response_url the next payload carries. */
  async function start(allowed: string = SLACK_SEED.teamId) {
    h = await startHarness({ env: { SLACK_ALLOWED_TEAM_IDS: allowed } });
  }

  /** What was posted to `url` (Slack shows it to the person, ephemerally). */
  const answeredAt = (url: string) => h.slack.responses.filter((response) => response.url === url).map((response) => response.body.text);

  function refusedLine(): Record<string, unknown> | undefined {
    return h.logs.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.event === "request" && line.outcome === "team_not_allowed");
  }

  it("refuses a Slack Connect guest's Create task shortcut through its response_url, opening no form", async () => {
    await start();
    const responseUrl = h.slack.responseUrl();
    const answer = await h.interact(messageAction({ callbackId: "create_task", triggerId: h.slack.triggerId(GUEST.id), responseUrl }, { user: GUEST }));
    await h.settle();
    expect(answer.status).toBe(200);
    expect(answer.text).toBe("");
    expect(h.slack.callsTo("views.open")).toHaveLength(0);
    expect(answeredAt(responseUrl)).toEqual([REFUSAL]);
    expect(refusedLine()).toMatchObject({ team: SLACK_SEED.teamId, workspaces: "T0OTHER" });
  });

  it("refuses a guest's Remind of process, posting no reminder", async () => {
    await start();
    const responseUrl = h.slack.responseUrl();
    await h.interact(messageAction({ callbackId: "remind_process", triggerId: h.slack.triggerId(GUEST.id), responseUrl }, { user: GUEST }));
    await h.settle();
    expect(h.slack.messages.filter((message) => message.kind === "message")).toHaveLength(0);
    expect(answeredAt(responseUrl)).toEqual([REFUSAL]);
  });

  it("refuses a guest's click on a reminder's button (team T0TEAM, user.team_id T0OTHER), opening no form", async () => {
    await start();
    // A member asks for the reminder; the guest presses its button.
    await h.interact(messageAction({ callbackId: "remind_process", triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
    await h.settle();
    const reminder = h.slack.messages.find((message) => message.kind === "message")!;
    const responseUrl = h.slack.responseUrl();
    const click = { ...clickButton(reminder, CREATE_TASK_FROM_REMINDER_ACTION, { triggerId: h.slack.triggerId(GUEST.id), responseUrl }), user: GUEST };
    const answer = await h.interact(click);
    await h.settle();
    expect(answer.text).toBe("");
    expect(h.slack.callsTo("views.open")).toHaveLength(0);
    expect(answeredAt(responseUrl)).toEqual([REFUSAL]);
  });

  it("refuses a guest's form submission in the form, under its first input, so what they typed stays", async () => {
    await start();
    await h.command("");
    const view = h.slack.views[0]!;
    const answer = await h.interact(viewSubmission({ view, values: taskModalValues({ title: "Sneaky", description: "typed with care" }) }, { user: GUEST }));
    expect(answer.json).toEqual({ response_action: "errors", errors: { title: REFUSAL } });
    expect(h.notion.requestsTo("pages.create")).toHaveLength(0);
  });

  it("refuses /task from a workspace not listed, and lets an Enterprise Grid org's members in when the org's id is listed", async () => {
    await start(`${SLACK_SEED.teamId},E0ORG`);
    const outside = await h.command("", { team_id: "T0OTHER" });
    expect(outside.json).toEqual({ response_type: "ephemeral", text: REFUSAL });
    await h.command("", { team_id: "T0SISTER", enterprise_id: "E0ORG" });
    expect(h.slack.callsTo("views.open")).toHaveLength(1);
  });

  describe("Enterprise Grid, where Slack reports a member's user.team_id as the org's E… id", () => {
    const grid = (user: { team_id: string }, team: Record<string, unknown> | null) => ({
      user: { id: SLACK_SEED.bob, username: "bob", name: "bob", ...user },
      team,
      enterprise: { id: "E0ORG", name: "Example Org" },
      is_enterprise_install: team === null,
    });
    const shortcut = (fields: Record<string, unknown>) =>
      h.interact(messageAction({ callbackId: "create_task", message: slackMessage(), triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }, fields));

    it("lets in a member of the org acting in a listed workspace of it", async () => {
      await start();
      await shortcut(grid({ team_id: "E0ORG" }, { id: SLACK_SEED.teamId, domain: "example", enterprise_id: "E0ORG" }));
      expect(h.slack.callsTo("views.open")).toHaveLength(1);
    });

    it("refuses a guest from another org in a shared channel of a listed workspace", async () => {
      await start();
      await shortcut(grid({ team_id: "E0THEIRS" }, { id: SLACK_SEED.teamId, domain: "example", enterprise_id: "E0ORG" }));
      await h.settle();
      expect(h.slack.callsTo("views.open")).toHaveLength(0);
    });

    it("with an org-wide install (team: null), goes by the person's user.team_id", async () => {
      await start("E0ORG");
      await shortcut(grid({ team_id: "E0ORG" }, null));
      expect(h.slack.callsTo("views.open")).toHaveLength(1);
      await h.close();

      await start(SLACK_SEED.teamId);
      await shortcut(grid({ team_id: "E0ORG" }, null));
      await h.settle();
      // Slack did not say which workspace: only the org's id, which is not listed.
      expect(h.slack.callsTo("views.open")).toHaveLength(0);
    });
  });

  it("lets in a member whose payload says no more than before (team and user.team_id the same)", async () => {
    await start();
    await h.interact(blockActions({ message: slackMessage(), action: { action_id: "open_in_notion" }, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: h.slack.responseUrl() }));
    expect(refusedLine()).toBeUndefined();
  });
});
