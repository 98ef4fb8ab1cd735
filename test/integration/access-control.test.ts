import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../dev/harness.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { taskModalValues, viewSubmission } from "../../dev/slack-payloads.js";

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
    expect(answer.json).toEqual({ response_type: "ephemeral", text: "This bot isn't available in this workspace." });
    expect(h.slack.calls).toHaveLength(0);
    expect(h.logs.some((line) => line.includes('"outcome":"team_not_allowed"'))).toBe(true);
  });

  it("refuses a payload from another app when SLACK_APP_ID is set", async () => {
    h = await startHarness({ env: { SLACK_ALLOWED_TEAM_IDS: SLACK_SEED.teamId, SLACK_APP_ID: "A0MINE" } });
    await h.command("", { api_app_id: "A0MINE" });
    const view = h.slack.views[0]!;
    const answer = await h.interact(viewSubmission({ view, values: taskModalValues({ title: "x" }) }, { api_app_id: "A0IMPOSTOR" }));
    expect(answer.json?.response_action).toBe("update");
    expect(JSON.stringify(answer.json)).toContain("This bot isn't available in this workspace.");
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
