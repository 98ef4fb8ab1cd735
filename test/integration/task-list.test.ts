import { afterEach, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../../dev/harness.js";

let h: Harness;
afterEach(async () => h?.close());

/** Monday 6 January 2025, 09:00 UTC. */
const NOW = Date.parse("2025-01-06T09:00:00Z");

describe("/task list, through the handler", () => {
  it("lists the caller's open tasks by due date, overdue first and marked, dated as the weekly review dates them", async () => {
    h = await startHarness({ now: () => NOW });
    const add = (title: string, due: string | undefined, createdTime: string) =>
      h.notion.addPage(
        h.board.dataSourceId,
        {
          Name: { title: [{ text: { content: title } }] },
          Status: { status: { name: "Not started" } },
          "Requested by": { rich_text: [{ text: { content: "alice (U0ALICE)" } }] },
          ...(due ? { Due: { date: { start: due } } } : {}),
        },
        { createdTime },
      );
    add("Renew TLS certificate", "2025-01-03", "2024-12-01T00:00:00.000Z");
    add("Fix login on Safari", "2025-01-08", "2024-12-20T00:00:00.000Z");
    add("Write onboarding guide", undefined, "2025-01-05T00:00:00.000Z");
    add("Plan Q1 offsite", "2025-02-10", "2025-01-04T00:00:00.000Z");
    const answer = await h.command("list");
    const text = (answer.json?.blocks as { text?: { text: string } }[]).map((block) => block.text?.text ?? "").join("\n");
    const order = ["Renew TLS certificate", "Fix login on Safari", "Plan Q1 offsite", "Write onboarding guide"].map((title) => text.indexOf(title));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).toContain("Renew TLS certificate> · Not started · :rotating_light: *overdue* since Fri 3 Jan");
    expect(text).toContain("Fix login on Safari> · Not started · due Wed 8 Jan");
    expect(text).toContain("Plan Q1 offsite> · Not started · due Mon 10 Feb");
  });
});
