import { describe, expect, it } from "vitest";
import { applySeen, emailKey, mergeRefresh, personIdFor, tasksOf, type BoardSnapshot, type SnapshotTask } from "../../src/notion/board-snapshot.js";
import { boardOf, taskOf } from "../../dev/tasks.js";

const board = boardOf({ status: { name: "Status", id: "s", type: "status", initial: "Not started", done: ["Done"], groups: { to_do: ["Not started"], in_progress: ["In progress"], complete: ["Done"] } } });

function task(id: string, seenAt: number, fields: Partial<SnapshotTask> = {}): SnapshotTask {
  return { ...taskOf(id), requesterIds: [], assigneeIds: [], seenAt, ...fields };
}

function snapshot(tasks: SnapshotTask[], closed: Record<string, number> = {}): BoardSnapshot {
  return { v: 1, at: 1_000, board, boardAt: 1_000, people: {}, peopleAt: 0, tasks, complete: true, closed };
}

const ids = (s: BoardSnapshot) => s.tasks.map((t) => t.id);

describe("applySeen", () => {
  it("adds an open task in due order, drops a closed one and remembers when", () => {
    const next = applySeen(snapshot([task("a", 1, { due: "2025-01-09" }), task("b", 1)]), [task("c", 5, { due: "2025-01-02" }), task("a", 5, { status: "Done" })], []);
    expect(ids(next)).toEqual(["c", "b"]);
    expect(next.closed).toEqual({ a: 5 });
  });

  it("ignores a sighting older than the one held", () => {
    const next = applySeen(snapshot([task("a", 9, { status: "In progress" })]), [task("a", 5, { status: "Not started" })], []);
    expect(next.tasks[0]?.status).toBe("In progress");
  });

  it("does not bring back a task seen closed later than the sighting", () => {
    expect(ids(applySeen(snapshot([], { a: 9 }), [task("a", 5)], []))).toEqual([]);
  });
});

describe("mergeRefresh", () => {
  it("keeps what was seen after the refresh began (less the query lag), and what was closed since", () => {
    const fresh = snapshot([task("a", 100), task("b", 100)]);
    const current = snapshot([task("a", 10), task("new", 95), task("old", 50)], { b: 98 });
    expect(ids(mergeRefresh(fresh, current, 100, 10))).toEqual(["a", "new"]);
  });

  it("keeps a status move seen just before the refresh began over the lagging query's older copy", () => {
    // Moved to In progress at 99 (setStatus's answer); the refresh began at 100 and its query, lagging, still says Not started.
    const current = snapshot([task("a", 99, { status: "In progress" })]);
    const fresh = snapshot([task("a", 130, { status: "Not started" })]);
    expect(mergeRefresh(fresh, current, 100, 10).tasks[0]?.status).toBe("In progress");
  });

  it("drops closed marks older than the refresh: it is newer", () => {
    expect(mergeRefresh(snapshot([task("a", 100)]), snapshot([], { a: 20 }), 100, 10).tasks.map((t) => t.id)).toEqual(["a"]);
  });
});

describe("whose tasks", () => {
  it("finds a text requester by Slack id and an assignee by the hash of their email", async () => {
    const s = { ...snapshot([task("a", 1, { requesterIds: ["U1"] }), task("b", 1, { assigneeIds: ["n-1"] })]), people: { [emailKey("Ann@Example.com ")]: "n-1" } };
    const ann = { platform: "slack" as const, userId: "U1", email: async () => "ann@example.com" };
    expect(tasksOf(s.tasks, "requester", (await personIdFor(s, ann, "requester"))!).map((t) => t.id)).toEqual(["a"]);
    expect(tasksOf(s.tasks, "assignee", (await personIdFor(s, ann, "assignee"))!).map((t) => t.id)).toEqual(["b"]);
    expect(await personIdFor(s, { platform: "slack", userId: "U2", email: async () => "bob@example.com" }, "assignee")).toBeUndefined();
  });

  it("finds a Discord requester by platform and id, never a Slack requester whose id has the same digits", async () => {
    const s = snapshot([task("a", 1, { requesterIds: ["discord:1400000000000000002"] }), task("b", 1, { requesterIds: ["U1400000000000000002"] })]);
    const dana = { platform: "discord" as const, userId: "1400000000000000002" };
    expect(tasksOf(s.tasks, "requester", (await personIdFor(s, dana, "requester"))!).map((t) => t.id)).toEqual(["a"]);
  });

  it("keys people by a hash, so the store holds no email", () => {
    expect(emailKey("ann@example.com")).toMatch(/^[0-9a-f]{64}$/);
    expect(emailKey("ann@example.com")).not.toContain("ann");
  });
});
