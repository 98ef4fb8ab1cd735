import { describe, expect, it } from "vitest";
import { buildMentionReply, CREATE_TASK_FROM_MENTION_ACTION } from "../../../../src/platforms/slack/mention/answer-mention.js";
import { decodeReminderButton } from "../../../../src/features/process-reminder/reminder-message.js";
import { LIMITS } from "../../../../src/platforms/slack/blocks.js";

const root = { platform: "slack" as const, workspace: "T0TEAM", conversation: "C0GENERAL", message: "1760000001.000100" };
const team = { platform: "slack" as const, workspace: "T0TEAM" };
type Button = { action_id: string; value: string; text: { text: string } };

function buttonOf(reply: ReturnType<typeof buildMentionReply>): Button {
  const block = reply.blocks?.find((candidate) => candidate.type === "actions") as { elements: Button[] } | undefined;
  return block!.elements[0]!;
}

describe("buildMentionReply", () => {
  it("offers the mention as a task, with a button that carries the thread's root, the author and the text", () => {
    const reply = buildMentionReply({ message: root, authorId: "U0ALICE", excerpt: "the CSV export times out" });
    expect(reply.text).toBe("Want this on the team's board? Press the button: I'll fill the task form in from your message, linked to this thread.");
    const button = buttonOf(reply);
    expect(button).toMatchObject({ action_id: CREATE_TASK_FROM_MENTION_ACTION, text: { text: "Create task from this" } });
    expect(decodeReminderButton(button.value, team)).toEqual({ message: root, authorId: "U0ALICE", excerpt: "the CSV export times out" });
  });

  it("keeps a long mention's excerpt within Slack's 2,000 units for a button value", () => {
    const excerpt = `${"😀\"".repeat(1_500)}`;
    const button = buttonOf(buildMentionReply({ message: root, authorId: "U0ALICE", excerpt }));
    expect(button.value.length).toBeLessThanOrEqual(LIMITS.buttonValue);
    const decoded = decodeReminderButton(button.value, team)!;
    expect(excerpt.startsWith(decoded.excerpt.slice(0, -1))).toBe(true);
    expect(decoded.excerpt.endsWith("…")).toBe(true);
  });
});
