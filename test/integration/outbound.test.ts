/**
 * The outbound rule, end to end: a response_url that is not on Slack's hooks host (or on the origin
 * SLACK_API_URL points at, the emulator here) is never called, whichever payload names it: a slash
 * command answered late, a message shortcut, a button, or a modal's private_metadata. The person is
 * answered another way (ephemeral, else a DM), and the log has one line saying the URL was refused.
 *
 * A listener on a loopback port that is not the emulator's proves that no request reaches a host the
 * bot must not call; the hosts nobody can listen on here (169.254.169.254, 10.0.0.1) are proven by
 * the fetch every client uses, which records every URL the bot asks for.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CREATE_TASK_FROM_REMINDER_ACTION } from "../../src/features/process-reminder/reminder-message.js";
import { startHarness, type Harness } from "../../dev/harness.js";
import { SNAPSHOT_KEY } from "../../src/notion/shared-board.js";
import { SLACK_SEED } from "../../dev/slack-emulator.js";
import { blockActions, messageAction, slackMessage } from "../../dev/slack-payloads.js";

/** A path no log line may ever hold: a response_url's path is a capability. */
const MARK = "capability-7f3a9c";

/** Each hostile form the issue names, with PORT for the listener's port, and the origin it refers to as parsed. */
const HOSTILE: [name: string, url: string, origin: string][] = [
  ["plain http to a host that is not Slack's", `http://127.0.0.1:PORT/latest/meta-data/${MARK}`, "http://127.0.0.1:PORT"],
  ["Slack's host as credentials before the real host", `https://hooks.slack.com@127.0.0.1:PORT/${MARK}`, "https://127.0.0.1:PORT"],
  ["loopback written as one hex number", `http://0x7f000001:PORT/${MARK}`, "http://127.0.0.1:PORT"],
  ["https to a host that is not Slack's", `https://127.0.0.1:PORT/${MARK}`, "https://127.0.0.1:PORT"],
  ["the cloud's metadata service", `http://169.254.169.254/latest/meta-data/${MARK}`, "http://169.254.169.254"],
  ["a private address", `http://10.0.0.1/${MARK}`, "http://10.0.0.1"],
];

let h: Harness;
let listener: Server;
let port = 0;
/** Connections the listener accepted: any at all means the bot called a host it must not. */
let reached = 0;
/** Every URL the bot's clients asked fetch for. */
const fetched: string[] = [];
let logsBefore = 0;
let messagesBefore = 0;
let responsesBefore = 0;

/** Records every URL; anything off loopback is refused here too, so a test never leaves the machine. */
const recordingFetch: typeof fetch = async (input, init) => {
  const url = input instanceof Request ? input.url : String(input);
  fetched.push(url);
  if (new URL(url).hostname !== "127.0.0.1") throw new TypeError(`test: ${url} is not loopback`);
  return fetch(input, init);
};

beforeAll(async () => {
  listener = createServer((_request, response) => response.end("reached"));
  listener.on("connection", () => void reached++);
  // A TLS handshake to a plain HTTP listener is still a connection: counted above, then dropped.
  listener.on("clientError", (_error, socket) => socket.destroy());
  await new Promise<void>((resolve) => listener.listen(0, "127.0.0.1", resolve));
  port = (listener.address() as AddressInfo).port;
  // A short deadline, so /task list answers later, through response_url; Notion is made slow below.
  h = await startHarness({ fetch: recordingFetch, ackDeadlineMs: 50 });
});
afterAll(async () => {
  await h?.close();
  listener.closeAllConnections();
  await new Promise<void>((resolve) => listener.close(() => resolve()));
});
beforeEach(async () => {
  // No shared board snapshot: /task list reads Notion, which the tests make slow, and answers through response_url.
  await h.store.delete(SNAPSHOT_KEY);
  reached = 0;
  fetched.length = 0;
  logsBefore = h.logs.length;
  messagesBefore = h.slack.messages.length;
  responsesBefore = h.slack.responses.length;
});
afterEach(() => {
  h.slack.clearFaults();
  h.notion.reset();
});

const withPort = (text: string) => text.replaceAll("PORT", String(port));

function newLines(): Record<string, unknown>[] {
  return h.logs.slice(logsBefore).map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Nothing reached the hostile host, the person got an ephemeral where they were, and one line says why. */
function expectRefusedAndAnsweredElsewhere(url: string, origin: string, person: string, words: RegExp): void {
  expect(reached, "connections to the listener").toBe(0);
  expect(fetched.filter((called) => called.includes(MARK))).toEqual([]);
  expect(fetched.filter((called) => URL.canParse(called) && new URL(called).origin === new URL(url).origin && new URL(url).hostname !== "127.0.0.1")).toEqual([]);
  const refusals = newLines().filter((line) => line.event === "slack.response_url_refused");
  expect(refusals).toEqual([expect.objectContaining({ level: "warn", error_code: "url_not_allowed", refused: origin, answered_via: "ephemeral" })]);
  expect(h.logs.slice(logsBefore).filter((line) => line.includes(MARK))).toEqual([]);
  const answered = h.slack.messages.slice(messagesBefore);
  expect(answered).toEqual([expect.objectContaining({ kind: "ephemeral", channel: SLACK_SEED.general, user: person, text: expect.stringMatching(words) })]);
  expect(h.slack.responses.length).toBe(responsesBefore);
}

describe.each(HOSTILE)("a response_url that is %s", (name, template, originTemplate) => {
  it("named by /task list, answered after the deadline: not called; the person gets an ephemeral", async () => {
    const url = withPort(template);
    h.notion.fail("dataSources.query", { kind: "delay", ms: 300 }, { times: Infinity });
    const answer = await h.command("list", { response_url: url });
    expect(answer).toMatchObject({ status: 200, text: "" });
    await h.settle();
    expectRefusedAndAnsweredElsewhere(url, withPort(originTemplate), SLACK_SEED.alice, /task/i);
  });

  it("named by a message shortcut whose modal cannot open: not called; the person gets an ephemeral", async () => {
    const url = withPort(template);
    h.slack.fail("views.open", { kind: "error", error: "expired_trigger_id" });
    await h.interact(messageAction({ callbackId: "create_task", triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: url }));
    await h.settle();
    expectRefusedAndAnsweredElsewhere(url, withPort(originTemplate), SLACK_SEED.bob, /form/);
  });

  it("named by a button whose value cannot be read: not called; the person gets an ephemeral", async () => {
    const url = withPort(template);
    const click = blockActions({ message: slackMessage(), action: { action_id: CREATE_TASK_FROM_REMINDER_ACTION, value: "not a reminder's button" }, triggerId: h.slack.triggerId(SLACK_SEED.bob), responseUrl: url });
    await h.interact(click);
    await h.settle();
    expectRefusedAndAnsweredElsewhere(url, withPort(originTemplate), SLACK_SEED.bob, /\w/);
  });

  it("forged into a modal's private_metadata: the task is saved once, the URL not called, the link sent as an ephemeral", async () => {
    const url = withPort(template);
    const opened = await h.openTaskModal();
    const forged = { ...opened, view: { ...opened.view, private_metadata: JSON.stringify({ channelId: SLACK_SEED.general, responseUrl: url }) } };
    messagesBefore = h.slack.messages.length;
    logsBefore = h.logs.length;
    const pagesBefore = h.notion.pages(h.board.dataSourceId).length;
    await h.submitTaskModal(forged, { title: `Forged metadata ${name}` });
    await h.settle();
    const pages = h.notion.pages(h.board.dataSourceId).slice(pagesBefore);
    expect(pages).toHaveLength(1);
    const link = pages[0]!.url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    expectRefusedAndAnsweredElsewhere(url, withPort(originTemplate), SLACK_SEED.alice, new RegExp(`^Task created: .*${link}$`));
  });
});

describe("a response_url on an allowed origin", () => {
  it("is called, and nothing else is (the control for the refusals above)", async () => {
    h.notion.fail("dataSources.query", { kind: "delay", ms: 300 }, { times: Infinity });
    await h.command("list");
    await h.settle();
    expect(h.slack.responses.length).toBe(responsesBefore + 1);
    expect(h.slack.messages.length).toBe(messagesBefore);
    expect(newLines().filter((line) => line.event === "slack.response_url_refused")).toEqual([]);
  });

  it("that redirects elsewhere is not followed: the redirect is a failed answer, and the person gets an ephemeral", async () => {
    h.notion.fail("dataSources.query", { kind: "delay", ms: 300 }, { times: Infinity });
    h.slack.fail("response_url", { kind: "redirect", location: withPort(`http://127.0.0.1:PORT/${MARK}`) });
    await h.command("list");
    await h.settle();
    expect(reached, "connections to the listener").toBe(0);
    expect(fetched.filter((called) => called.includes(MARK))).toEqual([]);
    expect(h.slack.messages.slice(messagesBefore)).toEqual([expect.objectContaining({ kind: "ephemeral", channel: SLACK_SEED.general, user: SLACK_SEED.alice })]);
    expect(newLines()).toContainEqual(expect.objectContaining({ event: "answer.fallback", via: "response_url", error_code: "http_error" }));
  });
});
