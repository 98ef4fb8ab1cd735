import { describe, expect, it } from "vitest";
import { messageOfButton } from "../../../src/features/process-reminder/create-task-from-reminder.js";

const message = { platform: "slack" as const, workspace: "T0TEAM", conversation: "C0GENERAL", message: "1760000001.000101" };
const alice = { platform: "slack" as const, workspace: "T0TEAM", userId: "U0ALICE", displayName: undefined };

describe("messageOfButton", () => {
  it("is the message the value names, its author a person of its workspace, its text the excerpt", () => {
    expect(messageOfButton({ message: { ...message, thread: "1760000000.000001" }, authorId: "U0ALICE", excerpt: "Fix login" }, { thread: "1760000009.000009" })).toEqual({
      place: { ...message, thread: "1760000000.000001" },
      author: alice,
      text: "Fix login",
      link: undefined,
    });
  });

  it("takes the clicked message's thread when the value names none (a v1 value, or a message that started the reminder's thread)", () => {
    expect(messageOfButton({ message, authorId: undefined, excerpt: "" }, { thread: "1760000001.000101" }).place).toEqual({ ...message, thread: "1760000001.000101" });
    expect(messageOfButton({ message, authorId: undefined, excerpt: "" }, undefined).place).toEqual(message);
  });
});
