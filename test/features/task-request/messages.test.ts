import { describe, expect, it } from "vitest";
import { renderSlackCard } from "../../../src/platforms/slack/render-card.js";
import { buildTaskList } from "../../../src/features/task-list/task-list-message.js";
import { buildAnnouncement as buildAnnouncementCard, buildConfirmation as buildConfirmationCard, buildReturnedInput as buildReturnedInputCard } from "../../../src/features/task-request/messages.js";

// As Slack draws them: these assertions are the ones made of the Block Kit builders before the chat port.
const buildConfirmation = (...args: Parameters<typeof buildConfirmationCard>) => renderSlackCard(buildConfirmationCard(...args));
const buildAnnouncement = (task: { title: string; url: string }, requesterId: string) => renderSlackCard(buildAnnouncementCard(task, { platform: "slack", userId: requesterId }));
const buildReturnedInput = (...args: Parameters<typeof buildReturnedInputCard>) => renderSlackCard(buildReturnedInputCard(...args));

const hostile = "<!channel> <https://evil.example|click> & <@U0BOSS>";

describe("task messages escape what people typed", () => {
  it("a confirmation pings no one and links nowhere but the page", () => {
    const message = JSON.stringify(buildConfirmation({ title: hostile, url: "https://www.notion.so/p1" }));
    expect(message).not.toContain("<!channel>");
    expect(message).not.toContain("<https://evil.example");
    expect(message).not.toContain("<@U0BOSS>");
    expect(message).toContain("&lt;!channel&gt;");
  });

  it("the returned input keeps every character, escaped", () => {
    const { text } = buildReturnedInput({ title: hostile, description: "line 1\nline 2 <!here>", priority: "High", due: undefined }, "Notion is down.");
    expect(text).toContain("&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; &lt;@U0BOSS&gt;");
    expect(text).toContain("line 1\nline 2 &lt;!here&gt;");
    expect(text).not.toContain("<!here>");
  });

  it("the returned input of a save that may have landed says so, never \"couldn't save\", and still keeps every character", () => {
    const { text } = buildReturnedInput({ title: hostile, description: "typed with care", priority: undefined, due: undefined }, "unused", { unconfirmed: true });
    expect(text.split("\n").slice(0, 2)).toEqual([
      ":warning: I couldn't tell whether your task was saved: Notion didn't answer, and the board couldn't be checked.",
      "Look for it on the board before making it again. In case it isn't there, here is everything you typed, for `/task`:",
    ]);
    expect(text).not.toContain("couldn't save");
    expect(text).toContain("&lt;!channel&gt; &lt;https://evil.example|click&gt; &amp; &lt;@U0BOSS&gt;");
    expect(text).toContain("typed with care");
  });

  it("a task list shows a title with a | as typed, escaped, beside its link, so the | cannot end a label", () => {
    const task = { id: "1", url: "https://www.notion.so/1", title: "a|b <!everyone>", status: "Not started", priority: undefined, due: undefined, requester: undefined, requesterId: undefined, createdTime: "" };
    const list = JSON.stringify(renderSlackCard(buildTaskList([task], { command: "/task", now: new Date("2025-01-06T09:00:00Z"), timeZone: "UTC" })));
    expect(list).toContain("a|b &lt;!everyone&gt; (<https://www.notion.so/1|open>)");
    expect(list).not.toContain("¦");
  });

  it("a confirmation shows a title with a | exactly as typed, in bold beside an open link", () => {
    const message = buildConfirmation({ title: "Fix A | B <!here>", url: "https://www.notion.so/p1" });
    expect(message.blocks?.[0]).toMatchObject({ text: { text: ":white_check_mark: *Fix A | B &lt;!here&gt;* (<https://www.notion.so/p1|open>) is on the board." } });
    expect(JSON.stringify(message)).not.toContain("¦");
  });

  it("an announcement shows a title with a | exactly as typed, in bold beside an open link", () => {
    const message = buildAnnouncement({ title: "Fix A | B", url: "https://www.notion.so/p1" }, "U0ALICE");
    expect(message.blocks?.[0]).toMatchObject({ text: { text: ":new: <@U0ALICE> asked for *Fix A | B* (<https://www.notion.so/p1|open>)" } });
    expect(message.text).toBe("New task from <@U0ALICE>: Fix A | B");
  });

  it("a confirmation of a task an earlier submission saved says so in its notification text too, not \"Task created\"", () => {
    const message = buildConfirmation({ title: "Fix login", url: "https://www.notion.so/p1", existing: true });
    expect(message.text).toBe("Already on the board: Fix login https://www.notion.so/p1");
    expect(message.blocks?.[0]).toMatchObject({ text: { text: ":white_check_mark: *<https://www.notion.so/p1|Fix login>* was already on the board." } });
    expect(buildConfirmation({ title: "Fix login", url: "https://www.notion.so/p1" }).text).toBe("Task created: Fix login https://www.notion.so/p1");
  });
});

describe("task messages on any platform", () => {
  it("mention the requester as a person on their platform, never as text Slack would read", () => {
    const card = buildAnnouncementCard({ title: "Fix", url: "https://www.notion.so/p1" }, { platform: "discord", userId: "1400000000000000002" });
    expect(card.summary).toEqual(["New task from ", { mention: { platform: "discord", userId: "1400000000000000002" } }, ": ", "Fix"]);
    // Slack writes another platform's person as plain text: no ping, no <@…>.
    expect(renderSlackCard(card).text).toBe("New task from @1400000000000000002: Fix");
  });

  it("keep what a person typed as plain pieces, for each adapter to escape", () => {
    const card = buildReturnedInputCard({ title: "**bold** <@U1>", description: "", priority: undefined, due: undefined }, "Notion is down.");
    expect(card.summary).toContain("**bold** <@U1>");
    expect(card.blocks).toEqual([]);
  });
});
