/**
 * The redraw's stand-in Cards draw, on Slack, exactly what the task request's Block Kit builders
 * send: a message redrawn by a status button is the message it was, with its new status.
 */
import { describe, expect, it } from "vitest";
import { buildAnnouncement as slackAnnouncement, buildConfirmation as slackConfirmation } from "../../../src/features/task-request/messages.js";
import { buildAnnouncement, buildConfirmation, type TaskStatusView } from "../../../src/features/task-status/redrawn-messages.js";
import { renderSlackCard } from "../../../src/platforms/slack/render-card.js";
import type { StatusGroups } from "../../../src/tasks/status.js";

const task = { title: "Fix <login> & *Safari* | now", url: "https://www.notion.so/153104cd477e809d8dc4ff2d96ae3090" };
const groups: StatusGroups = { to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done"] };
const pageId = "153104cd-477e-809d-8dc4-ff2d96ae3090";
const views: (TaskStatusView | undefined)[] = [
  undefined,
  { pageId, group: "to_do", groups },
  { pageId, group: "in_progress", groups, shown: { status: "In progress", by: { platform: "slack", userId: "U0BOB" } } },
  { pageId, group: "complete", groups, shown: { status: "Done <3" } },
];
/** The legacy builders' status view: the presser by Slack id. */
const legacy = (view: TaskStatusView | undefined) => view && { ...view, shown: view.shown && { status: view.shown.status, bySlackUserId: view.shown.by?.userId } };

describe("the redrawn confirmation and announcement", () => {
  it("draw on Slack as the task request's Block Kit, whatever the status shows", () => {
    for (const view of views) {
      expect(renderSlackCard(buildConfirmation(task, view))).toEqual(slackConfirmation(task, legacy(view)));
      expect(renderSlackCard(buildConfirmation({ ...task, existing: true }, view))).toEqual(slackConfirmation({ ...task, existing: true }, legacy(view)));
      expect(renderSlackCard(buildAnnouncement(task, { platform: "slack", userId: "U0ALICE" }, view))).toEqual(slackAnnouncement(task, "U0ALICE", legacy(view)));
    }
  });

  it("mention a Discord requester and presser as Discord people", () => {
    const card = buildAnnouncement(task, { platform: "discord", userId: "1400000000000000002" }, { pageId, group: "in_progress", groups, shown: { status: "In progress", by: { platform: "discord", userId: "1400000000000000003" } } });
    expect(card.summary).toContainEqual({ mention: { platform: "discord", userId: "1400000000000000002" } });
    expect(card.blocks[1]).toEqual({ kind: "note", text: ["Status: ", { bold: "In progress" }, ", moved by ", { mention: { platform: "discord", userId: "1400000000000000003" } }] });
  });
});
