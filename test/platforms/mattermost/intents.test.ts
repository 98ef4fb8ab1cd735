import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { postIdOf, readCommand } from "../../../src/platforms/mattermost/intents.js";
import { parseAction, parseCommand, parseDialogSubmission } from "../../../src/platforms/mattermost/payloads.js";

const server = "https://chat.example.com";
const post = "abcdefghijklmnopqrstuvwxyz";
const command = (text: string) => {
  const parsed = parseCommand(new URLSearchParams({ command: "/task", text, user_id: "u".repeat(26), user_name: "alice", channel_id: "c".repeat(26), team_id: "t".repeat(26), trigger_id: "tr", response_url: `${server}/hooks/commands/x` }));
  if (!parsed.ok) throw new Error(parsed.problem);
  return parsed.value;
};
const subcommands = new Set(["help", "list", "review"]);

describe("readCommand", () => {
  it("reads a known word (any case) as a subcommand, and any other text as a title", () => {
    expect(readCommand(command(" List "), subcommands, server)).toMatchObject({ kind: "intent", intent: { kind: "subcommand", name: "list" } });
    expect(readCommand(command("list my tasks"), subcommands, server)).toMatchObject({ kind: "intent", intent: { kind: "ask_for_task", text: "list my tasks" } });
    expect(readCommand(command("remind me to deploy"), subcommands, server)).toMatchObject({ kind: "intent", intent: { kind: "ask_for_task", text: "remind me to deploy" } });
  });

  it("reads remind and from with one permalink as the shortcuts, and answers a link elsewhere or not to a post", () => {
    expect(readCommand(command(`remind ${server}/alpha/pl/${post}`), subcommands, server)).toMatchObject({ kind: "post", shortcut: "remind_process", postId: post });
    expect(readCommand(command(`FROM ${server}/_redirect/pl/${post}`), subcommands, server)).toMatchObject({ kind: "post", shortcut: "create_task", postId: post });
    expect(readCommand(command(`from https://evil.example/alpha/pl/${post}`), subcommands, server)).toMatchObject({ kind: "answer", outcome: "permalink_elsewhere" });
    expect(readCommand(command(`from ${server}/alpha/channels/town-square`), subcommands, server)).toMatchObject({ kind: "answer", outcome: "not_a_permalink" });
  });
});

describe("postIdOf", () => {
  it("keeps to the site's origin and path", () => {
    expect(postIdOf(`https://example.com/chat/alpha/pl/${post}`, "https://example.com/chat")).toEqual({ kind: "post", postId: post });
    expect(postIdOf(`https://example.com/alpha/pl/${post}`, "https://example.com/chat")).toEqual({ kind: "elsewhere" });
    expect(postIdOf(`http://chat.example.com/alpha/pl/${post}`, server)).toEqual({ kind: "elsewhere" });
    expect(postIdOf(`https://chat.example.com:8443/alpha/pl/${post}`, server)).toEqual({ kind: "elsewhere" });
    expect(postIdOf(`${server}/alpha/pl/${post.toUpperCase()}`, server)).toEqual({ kind: "not_a_post" });
  });
});

describe("the parsers take any body without throwing (property)", () => {
  it("a command's form, a dialog's or an action's JSON", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.dictionary(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 })), (text, fields) => {
        expect(() => parseCommand(new URLSearchParams(fields))).not.toThrow();
        expect(() => parseDialogSubmission(text)).not.toThrow();
        expect(() => parseAction(JSON.stringify(fields))).not.toThrow();
        const parsed = parseAction(text);
        if (parsed.ok) expect(parsed.value.post_id).toMatch(/^[a-z0-9]{26}$/);
      }),
    );
  });

  it("refuses a repeated field rather than pick one", () => {
    expect(parseCommand(new URLSearchParams("text=a&text=b"))).toEqual({ ok: false, problem: "text: repeated" });
  });
});
