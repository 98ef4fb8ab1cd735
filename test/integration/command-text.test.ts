/**
 * The text after /task as Slack sends it: &, < and > escaped as entities (and, when the command's
 * "escape channels, users, and links" setting is on, mentions and links as <…> sequences), at most
 * as long as Slack's message box holds.
 */
import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../dev/harness.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";

let h: Harness;
afterEach(async () => h?.close());

function prefilledTitle(): string | undefined {
  const blocks = h.slack.views[0]!.view.blocks as { block_id?: string; element?: { initial_value?: string } }[];
  return blocks.find((block) => block.block_id === "title")?.element?.initial_value;
}

describe("the text after /task", () => {
  it("prefills the title as typed, with Slack's &amp; &lt; &gt; decoded", async () => {
    h = await startHarness();
    await h.command("R&amp;D budget &lt;Q3&gt; &amp;lt;sic&amp;gt;");
    expect(prefilledTitle()).toBe("R&D budget <Q3> &lt;sic&gt;");
  });

  it("reads mentions, channels and links the way a person wrote them when Slack escapes them", async () => {
    h = await startHarness();
    await h.command(`Ask <@${SLACK_SEED.bob}|bob> about <#${SLACK_SEED.general}|general> and <https://example.com/spec|the spec>`);
    expect(prefilledTitle()).toBe("Ask @bob about #general and the spec (https://example.com/spec)");
  });

  it("gives back what was typed, as typed, when the form cannot open", async () => {
    h = await startHarness();
    h.slack.fail("views.open", { kind: "error", error: "expired_trigger_id" });
    const answer = await h.command("R&amp;D &lt;now&gt;");
    // Escaped once for mrkdwn, so Slack shows "R&D <now>".
    expect(String(answer.json?.text)).toMatch(/\nWhat you typed: R&amp;D &lt;now&gt;$/);
  });

  it("says a text over Slack's 4,000 characters is too long, and what to do, opening nothing", async () => {
    h = await startHarness();
    const answer = await h.command("x".repeat(5_000));
    expect(answer.json).toEqual({
      response_type: "ephemeral",
      text: "That's too long for /task: it takes at most 4,000 characters, and yours has 5,000. Type a short title after /task, then add the details in the form.",
    });
    expect(h.slack.calls).toHaveLength(0);
    const line = h.logs.map((text) => JSON.parse(text) as Record<string, unknown>).find((entry) => entry.event === "request");
    expect(line).toMatchObject({ outcome: "text_too_long", text_length: 5_000 });
    expect(h.logs.join("\n")).not.toContain("x".repeat(50));
  });

  it("still opens the form for a text of exactly 4,000 characters", async () => {
    h = await startHarness();
    await h.command(`Title\n${"y".repeat(3_994)}`);
    expect(h.slack.views).toHaveLength(1);
  });
});
