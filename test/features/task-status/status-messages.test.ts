import { describe, expect, it } from "vitest";
import { buildMovedNote, buildMoveRefusal as buildRefusalCard, buildStatusNotification as buildNotificationCard, type StatusNotification } from "../../../src/features/task-status/status-messages.js";
import { plainTextOf } from "../../../src/chat/rich-text.js";
import { renderCard as renderDiscordCard } from "../../../src/platforms/discord/render.js";
import { renderSlackCard } from "../../../src/platforms/slack/render-card.js";
import { renderRichText as renderTeamsText } from "../../../src/platforms/teams/render.js";
import { buildAnnouncement, buildConfirmation, buildAnnouncement as buildAnnouncementCard, buildConfirmation as buildConfirmationCard } from "../../../src/features/task-request/messages.js";
import type { StatusGroups } from "../../../src/tasks/status.js";

const task = { title: "Fix the login page", url: "https://www.notion.so/153104cd477e809d8dc4ff2d96ae3090" };
const alice = { platform: "slack" as const, userId: "U0ALICE" };
/** The cards as Slack draws them: the Block Kit Slack's messages have always had. */
const buildStatusNotification = (input: StatusNotification) => renderSlackCard(buildNotificationCard(input));
const buildMoveRefusal = (...args: Parameters<typeof buildRefusalCard>) => renderSlackCard(buildRefusalCard(...args));
const open = { type: "button", action_id: "open_in_notion", text: { type: "plain_text", text: "Open in Notion", emoji: true }, url: task.url };

describe("buildStatusNotification", () => {
  it("tells the requester in a direct message: title, new status, who moved it, and the link", () => {
    expect(buildStatusNotification({ task, status: "Done", group: "complete", requester: alice, by: { notionName: "Dana" }, inThread: false })).toEqual({
      text: "Your task Fix the login page is now Done, moved by Dana in Notion.",
      blocks: [
        {
          type: "section",
          text: { type: "mrkdwn", text: `:white_check_mark: Your task *<${task.url}|Fix the login page>* is now *Done*, moved by Dana in Notion.` },
          accessory: open,
        },
      ],
    });
  });

  it("mentions the requester in a thread, and names nobody when Notion did not say who", () => {
    const message = buildStatusNotification({ task, status: "In review", group: "in_progress", requester: alice, by: undefined, inThread: true });
    expect(message.text).toBe("<@U0ALICE>, your task Fix the login page is now In review.");
  });

  it("mentions who pressed a status button, on the requester's platform or as text elsewhere", () => {
    expect(buildStatusNotification({ task, status: "In progress", group: "in_progress", requester: alice, by: { person: { platform: "slack", userId: "U0BOB" } }, inThread: false }).text).toBe(
      "Your task Fix the login page is now In progress, moved by <@U0BOB>.",
    );
    const discord = buildNotificationCard({ task, status: "Done", group: "complete", requester: { platform: "discord", userId: "1400000000000000002" }, by: undefined, inThread: true });
    expect(discord.summary[0]).toEqual({ mention: { platform: "discord", userId: "1400000000000000002" } });
  });

  it("names a presser on another platform in words that platform can show, never by an id it cannot read", () => {
    const bob = { platform: "discord" as const, userId: "1400000000000000002" };
    const byAlice = { person: { platform: "slack" as const, userId: "U0ALICE", displayName: "alice" } };
    const told = buildNotificationCard({ task, status: "Done", group: "complete", requester: bob, by: byAlice, inThread: true });
    expect(told.summary.slice(-4)).toEqual([", moved by ", "alice", " on Slack", "."]);
    expect(renderDiscordCard(told, { ping: bob.userId }).body.content).toMatch(/^✅ <@1400000000000000002>, your task .+ is now \*\*Done\*\*, moved by alice on Slack\.$/);
    // A press that came without a name (or an owed send kept before names were): where, not an id.
    const nameless = buildNotificationCard({ task, status: "Done", group: "complete", requester: bob, by: { person: { platform: "slack", userId: "U0ALICE" } }, inThread: false });
    expect(plainTextOf(nameless.summary)).toBe("Your task Fix the login page is now Done, moved by someone on Slack.");
    expect(JSON.stringify(nameless)).not.toContain("U0ALICE");
  });

  it("mentions a presser on the requester's own platform as before, their name known or not", () => {
    const named = { person: { platform: "slack" as const, userId: "U0BOB", displayName: "bob" } };
    expect(buildStatusNotification({ task, status: "Done", group: "complete", requester: alice, by: named, inThread: true }).text).toBe("<@U0ALICE>, your task Fix the login page is now Done, moved by <@U0BOB>.");
    const discordBob = { platform: "discord" as const, userId: "1400000000000000002" };
    const byDiscordAlice = { person: { platform: "discord" as const, userId: "1400000000000000001", displayName: "Alice" } };
    expect(renderDiscordCard(buildNotificationCard({ task, status: "Done", group: "complete", requester: discordBob, by: byDiscordAlice, inThread: false })).body.content).toMatch(/, moved by <@1400000000000000001>\.$/);
    // Teams draws a mention that does not ping as text: the name the press gave, not the 29:… id.
    const teamsBob = { platform: "teams" as const, userId: "29:1bob" };
    const byTeamsAlice = { person: { platform: "teams" as const, userId: "29:1alice", displayName: "Alice Doe" } };
    expect(renderTeamsText(buildNotificationCard({ task, status: "Done", group: "complete", requester: teamsBob, by: byTeamsAlice, inThread: false }).summary)).toMatch(/, moved by @Alice Doe\\\.$/);
  });

  it("escapes the name another platform gave a presser, as a name from Notion", () => {
    const byDiscord = { person: { platform: "discord" as const, userId: "1400000000000000001", displayName: "<!channel> <@U0BOSS>" } };
    const message = JSON.stringify(buildStatusNotification({ task, status: "Done", group: "complete", requester: alice, by: byDiscord, inThread: true }));
    expect(message).not.toMatch(/<!channel>|<@U0BOSS>/);
    expect(message).toContain("moved by &lt;!channel&gt; &lt;@U0BOSS&gt; on Discord.");
  });

  it("escapes what came from Notion: the title, the status and the person's name", () => {
    const message = JSON.stringify(buildStatusNotification({ task: { ...task, title: "<!channel> now" }, status: "<!here>", group: "complete", requester: alice, by: { notionName: "<@U0BOSS>" }, inThread: false }));
    expect(message).not.toMatch(/<!channel>|<!here>|<@U0BOSS>/);
  });
});

describe("messages about a task carry its status buttons", () => {
  // As Slack draws them (the builders return Cards since the chat port).
  const buildConfirmation = (...args: Parameters<typeof buildConfirmationCard>) => renderSlackCard(buildConfirmationCard(...args));
  const buildAnnouncement = (t: typeof task, requesterId: string, view?: Parameters<typeof buildAnnouncementCard>[2]) => renderSlackCard(buildAnnouncementCard(t, { platform: "slack", userId: requesterId }, view));
  const groups: StatusGroups = { to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done"] };
  const status = { pageId: "153104cd-477e-809d-8dc4-ff2d96ae3090", group: "in_progress" as const, groups };

  it("the confirmation, redrawn after a move: the new status, who moved it, the next step", () => {
    const blocks = buildConfirmation(task, { ...status, shown: { status: "In progress", by: { platform: "slack", userId: "U0BOB" } } }).blocks!;
    expect(blocks.slice(1)).toEqual([
      { type: "context", elements: [{ type: "mrkdwn", text: "Status: *In progress*, moved by <@U0BOB>" }] },
      { type: "actions", block_id: "task_status/confirmation", elements: [{ type: "button", action_id: "task_status_done", text: { type: "plain_text", text: "Done", emoji: true }, value: status.pageId, style: "primary" }] },
    ]);
  });

  it("the status line without a mover when the press found the task moved already", () => {
    const blocks = buildAnnouncement(task, "U0ALICE", { ...status, group: "complete", shown: { status: "Done" } }).blocks!;
    expect(blocks.slice(1)).toEqual([{ type: "context", elements: [{ type: "mrkdwn", text: "Status: *Done*" }] }]);
  });

  it("the status line names a mover from another platform in words: a press that found another platform's press done", () => {
    const shown = { status: "Done", by: { platform: "slack" as const, userId: "U0ALICE", displayName: "alice" }, on: "discord" as const };
    const card = buildAnnouncementCard(task, { platform: "discord", userId: "1400000000000000002" }, { ...status, group: "complete", shown });
    expect(card.blocks.at(-1)).toEqual({ kind: "note", text: ["Status: ", { bold: "Done" }, ", moved by ", "alice", " on Slack"] });
    // On the mover's own platform (and by default, `on` absent), a mention, as before.
    expect(buildConfirmation(task, { ...status, shown: { ...shown, on: "slack" } }).blocks![1]).toEqual({ type: "context", elements: [{ type: "mrkdwn", text: "Status: *Done*, moved by <@U0ALICE>" }] });
  });

  it("the announcement, and neither without a status on the board", () => {
    expect(buildAnnouncement(task, "U0ALICE", status).blocks!.at(-1)).toMatchObject({ type: "actions", block_id: "task_status/announcement" });
    expect(buildAnnouncement(task, "U0ALICE").blocks).toHaveLength(1);
    expect(buildConfirmation(task).blocks).toHaveLength(1);
  });
});

describe("buildMovedNote", () => {
  it("says where the task went when its message was not redrawn, the status escaped", () => {
    expect(renderSlackCard(buildMovedNote("In review"))).toEqual({ text: ":white_check_mark: Moved to *In review*." });
    expect(renderSlackCard(buildMovedNote("<!here>")).text).not.toContain("<!here>");
  });
});

describe("buildMoveRefusal", () => {
  it("says what happened to a task that was deleted, trashed or moved off the board", () => {
    expect(buildMoveRefusal({ kind: "not_found" }).text).toMatch(/deleted in Notion.*Nothing was changed/);
    expect(buildMoveRefusal({ kind: "trashed" }, "Old task").text).toBe(":wastebasket: *Old task* was moved to the trash in Notion, so it can't be moved from here. Restore it in Notion first.");
    expect(buildMoveRefusal({ kind: "outside" }).text).toMatch(/moved out of the task board/);
  });
});
