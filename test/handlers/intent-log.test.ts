import { describe, expect, it } from "vitest";
import type { Intent } from "../../src/chat/intent.js";
import { describeIntent, typedTextIn } from "../../src/handlers/intent-log.js";

const person = { platform: "discord", workspace: "1200000000000000001", userId: "1400000000000000001", displayName: "Alice" } as const;
const button = (value: string | undefined): Intent => ({ kind: "button", person, place: undefined, action: "create_task_from_reminder", value, rowId: undefined, message: undefined });

describe("typedTextIn", () => {
  it("masks a button value that carries text (a reminder's excerpt), as Slack's handler does, and never a page id the log needs", () => {
    expect(typedTextIn(button('{"v":2,"x":"Fix the export"}'))).toEqual(['{"v":2,"x":"Fix the export"}']);
    expect(typedTextIn(button("1f2e3d4c-5b6a-4978-8a7b-6c5d4e3f2a1b"))).toEqual([]);
    expect(typedTextIn(button("1f2e3d4c5b6a49788a7b6c5d4e3f2a1b"))).toEqual([]);
    expect(typedTextIn(button(undefined))).toEqual([]);
  });

  it("masks what a form held, and a command's and a shortcut's text", () => {
    expect(typedTextIn({ kind: "submit_form", person, place: undefined, form: "task_modal", instance: "1", values: { title: "Fix login", due: undefined }, context: {} })).toEqual(["Fix login"]);
    expect(typedTextIn({ kind: "ask_for_task", person, place: undefined, text: "Fix login" })).toEqual(["Fix login"]);
  });
});

describe("describeIntent", () => {
  it("names the intent by what routes it, with the person's workspace and id", () => {
    const line = {};
    describeIntent(line, { kind: "subcommand", person, place: undefined, name: "list", rest: "" });
    expect(line).toEqual({ kind: "subcommand", callback_id: "task list", team: person.workspace, user: person.userId });
  });
});
