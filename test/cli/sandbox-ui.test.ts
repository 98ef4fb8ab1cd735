/** The sandbox page's server-side pure parts: where answers land among messages, the log lines it reads, when it opens a browser. */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MATTERMOST_SEED, startMattermostEmulator, type MattermostEmulator } from "../../dev/mattermost-emulator.js";
import { startNotionEmulator, type NotionEmulator } from "../../dev/notion-emulator.js";
import { startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";
import { browserOpener } from "../../src/cli/open-browser.js";
import { parseSandboxFlags } from "../../src/cli/sandbox-flags.js";
import type { SandboxState } from "../../src/cli/sandbox-control.js";
import { parseLogLine } from "../../src/cli/sandbox-ui-server.js";
import { messagesOf, SlackClientState } from "../../src/cli/sandbox-ui-snapshot.js";
import type { DiscordSandboxState } from "../../src/cli/sandbox-control-discord.js";
import { DiscordClientState, discordSnapshot, snowflakeTime } from "../../src/cli/sandbox-ui-discord.js";
import { createSandboxControlClient, startSandboxControl, type SandboxControl, type SandboxControlClient } from "../../src/cli/sandbox-control.js";
import type { MattermostSandboxState } from "../../src/cli/sandbox-control-mattermost.js";
import { SANDBOX_BOARD, SANDBOX_MATTERMOST } from "../../src/cli/sandbox-seed.js";
import { MattermostClientState, mattermostSnapshot, mattermostState } from "../../src/cli/sandbox-ui-mattermost.js";
import type { TeamsSandboxState } from "../../src/cli/sandbox-control-teams.js";
import { TeamsClientState, teamsSnapshot } from "../../src/cli/sandbox-ui-teams.js";

function state(fields: Partial<SandboxState>): SandboxState {
  return { users: [], channels: [], messages: [], views: [], homes: [], responses: [], pages: [], activity: 0, ...fields };
}

const announcement = { kind: "message" as const, channel: "C0TASKS", text: "Alice asked for Fix login", blocks: [], ts: "1700000000.000100" };

describe("messagesOf: what Slack's client shows of answers", () => {
  it("a slash command's reply is shown only to the person, in the conversation it came from", () => {
    const client = new SlackClientState();
    client.replies.push({ channel: "C0GENERAL", user: "U0ALICE", at: 1_700_000_001_000, body: { response_type: "ephemeral", text: "Your open tasks" } });
    expect(messagesOf(state({}), client)).toEqual([
      { id: "answer:r0", channel: "C0GENERAL", ts: "1700000001.000000", thread_ts: undefined, visibleTo: "U0ALICE", text: "Your open tasks", blocks: undefined, via: "reply" },
    ]);
  });

  it("replace_original through a click's response_url redraws the clicked message in place, for everyone, marked edited", () => {
    const client = new SlackClientState();
    client.origins.set("http://slack/actions/1", { channel: "C0TASKS", user: "U0BOB", target: "C0TASKS/1700000000.000100" });
    const shown = messagesOf(state({ messages: [announcement], responses: [{ url: "http://slack/actions/1", body: { replace_original: true, text: "In progress" }, at: 1_700_000_002_000 }] }), client);
    expect(shown).toEqual([{ id: "C0TASKS/1700000000.000100", channel: "C0TASKS", ts: announcement.ts, thread_ts: undefined, author: undefined, visibleTo: undefined, text: "In progress", blocks: undefined, edited: true }]);
  });

  it("delete_original removes the message it answers; in_channel shows an answer to everyone; the rest is ephemeral, in time order", () => {
    const client = new SlackClientState();
    client.origins.set("u1", { channel: "C0TASKS", user: "U0BOB", target: "C0TASKS/1700000000.000100" });
    client.origins.set("u2", { channel: "C0TASKS", user: "U0BOB" });
    client.origins.set("u3", { channel: "C0TASKS", user: "U0BOB", thread_ts: "1700000000.000100" });
    const responses = [
      { url: "u1", body: { delete_original: true }, at: 1_700_000_003_000 },
      { url: "u2", body: { response_type: "in_channel", text: "for all" }, at: 1_700_000_004_000 },
      { url: "u3", body: { response_type: "ephemeral", text: "for Bob, in the thread" }, at: 1_700_000_005_000 },
    ];
    const shown = messagesOf(state({ messages: [announcement], responses }), client);
    expect(shown.map((m) => [m.text, m.visibleTo, m.thread_ts])).toEqual([
      ["for all", undefined, undefined],
      ["for Bob, in the thread", "U0BOB", "1700000000.000100"],
    ]);
  });

  it("a response_url the CLI minted lands where the control server says it came from", () => {
    const shown = messagesOf(state({ responses: [{ url: "cli", body: { text: "hi" }, at: 1_700_000_000_000, channel: "C0GENERAL", user: "U0ALICE" }] }), new SlackClientState());
    expect(shown).toMatchObject([{ channel: "C0GENERAL", visibleTo: "U0ALICE", text: "hi", via: "response_url" }]);
  });
});

describe("discordSnapshot: what Discord's client shows of the guild", () => {
  const BOT = "1100000000000000001";
  const ALICE = "1400000000000000001";
  const BOB = "1400000000000000002";
  const GENERAL = "1300000000000000001";
  // Snowflakes of 2026-12-06 12:00 UTC, one a second apart: the order Discord shows them in.
  const at = (second: number) => String((BigInt(Date.UTC(2026, 11, 6, 12, 0, second)) - 1_420_070_400_000n) << 22n);
  const guild = (fields: Partial<DiscordSandboxState>): DiscordSandboxState => ({
    guild: { id: "1200000000000000001", name: "g" },
    botId: BOT,
    channels: [{ id: GENERAL, name: "general" }],
    people: [{ id: ALICE, name: "alice" }],
    dms: [],
    messages: [],
    interactions: [],
    commands: [],
    ...fields,
  });
  const message = (id: string, fields: Partial<DiscordSandboxState["messages"][number]> = {}) => ({ id, channel: GENERAL, author: BOT, content: "", components: [], flags: 0, edited: false, ...fields });
  const interaction = (id: string, fields: Partial<DiscordSandboxState["interactions"][number]> = {}) => ({ id, token: `t${id}`, type: 2, channel: GENERAL, user: ALICE, at: 0, ...fields });

  it("reads a snowflake's time as Discord does: ms since 2015 in its top 42 bits", () => {
    expect(snowflakeTime(at(7))).toBe(Date.UTC(2026, 11, 6, 12, 0, 7));
    expect(snowflakeTime("not a snowflake")).toBe(0);
  });

  it("an interaction's ephemeral answer is its person's alone, under who used what; a deferred one not yet filled is the bot thinking", () => {
    const state = guild({
      interactions: [interaction(at(1), { name: "/task", response: { type: 5, data: { flags: 64 } } })],
      messages: [message(at(2), { flags: 64, interaction: at(1) }), message(at(3), { flags: 64, interaction: at(1), content: "a follow-up" })],
    });
    const [answer, followUp] = discordSnapshot(state, new DiscordClientState(), "chatops").messages;
    expect(answer).toMatchObject({ ephemeralTo: ALICE, usedBy: { user: ALICE, name: "/task" }, thinking: true });
    // Only the interaction's first message is its response: a follow-up shows no "used" line.
    expect(followUp).toMatchObject({ ephemeralTo: ALICE, content: "a follow-up" });
    expect(followUp?.usedBy).toBeUndefined();
    // Filled in by an edit of @original: no longer thinking, and not marked edited.
    const filled = guild({ ...state, messages: [message(at(2), { flags: 64, interaction: at(1), content: "saved", edited: true })] });
    expect(discordSnapshot(filled, new DiscordClientState(), "chatops").messages[0]).toMatchObject({ content: "saved", edited: false });
    expect(discordSnapshot(filled, new DiscordClientState(), "chatops").messages[0]?.thinking).toBeUndefined();
  });

  it("a reply shows what it replies to, or that it is gone; messages come in time order whatever the emulator's order", () => {
    const state = guild({ messages: [message(at(5), { replyTo: at(1) }), message(at(2), { author: BOB, content: "can someone fix it?" }), message(at(3), { replyTo: at(2) })] });
    const shown = discordSnapshot(state, new DiscordClientState(), "chatops").messages;
    expect(shown.map((m) => m.id)).toEqual([at(2), at(3), at(5)]);
    expect(shown[1]?.replyTo).toEqual({ id: at(2), author: BOB, content: "can someone fix it?" });
    expect(shown[2]?.replyTo).toEqual({ id: at(1), missing: true });
  });

  it("a modal answered with type 9 stays open on its person's screen until it is submitted or closed", () => {
    const modal = { custom_id: "task_modal", title: "New task", components: [] };
    const state = guild({ interactions: [interaction(at(1), { response: { type: 9, data: modal } }), interaction(at(2), { response: { type: 4, data: {} } })] });
    const client = new DiscordClientState();
    expect(discordSnapshot(state, client, "chatops").modals).toEqual([{ id: at(1), user: ALICE, modal }]);
    client.closedModals.add(at(1));
    expect(discordSnapshot(state, client, "chatops").modals).toEqual([]);
  });
});

describe("mattermostSnapshot: what Mattermost's web app shows of the team", () => {
  const team = (fields: Partial<MattermostSandboxState>): MattermostSandboxState => ({
    botId: MATTERMOST_SEED.botUserId,
    channels: [{ id: MATTERMOST_SEED.townSquare, name: "town-square" }],
    people: [{ id: MATTERMOST_SEED.alice, name: "alice" }],
    posts: [],
    dialogs: [],
    responses: [],
    directs: [],
    ...fields,
  });
  const site = { url: "http://127.0.0.1:3006", teamName: "alpha", botName: "chatops" };
  const post = (id: string, fields: Partial<MattermostSandboxState["posts"][number]> = {}) => ({ id, channel_id: MATTERMOST_SEED.townSquare, user_id: MATTERMOST_SEED.botUserId, root_id: "", message: "", props: {}, edited: false, create_at: 1_700_000_000_000, ...fields });

  it("a post keeps its thread's root, its attachments and its permalink; an ephemeral one is its person's alone", () => {
    const attachments = [{ fallback: "x", actions: [{ id: "b0", name: "Start", type: "button" }] }];
    const state = team({ posts: [post("p1", { user_id: MATTERMOST_SEED.bob, message: "help?" }), post("p2", { root_id: "p1", props: { attachments } }), post("p3", { ephemeralFor: MATTERMOST_SEED.alice, message: "only you" })] });
    expect(mattermostSnapshot(state, new MattermostClientState(), site).posts).toEqual([
      { id: "p1", channel: MATTERMOST_SEED.townSquare, author: MATTERMOST_SEED.bob, root: "", message: "help?", attachments: [], edited: false, at: 1_700_000_000_000, permalink: "http://127.0.0.1:3006/alpha/pl/p1" },
      { id: "p2", channel: MATTERMOST_SEED.townSquare, author: MATTERMOST_SEED.botUserId, root: "p1", message: "", attachments, edited: false, at: 1_700_000_000_000, permalink: "http://127.0.0.1:3006/alpha/pl/p2" },
      { id: "p3", channel: MATTERMOST_SEED.townSquare, author: MATTERMOST_SEED.botUserId, root: "", message: "only you", attachments: [], ephemeralTo: MATTERMOST_SEED.alice, edited: false, at: 1_700_000_000_000, permalink: "http://127.0.0.1:3006/alpha/pl/p3" },
    ]);
  });

  it("a dialog stays open on its person's screen, with the bot's errors, until it is closed", () => {
    const dialog = { title: "New task", elements: [] };
    // Which are closed the control server says (closed by the page or by npm run mattermost -- submit).
    const state = team({ dialogs: [{ userId: MATTERMOST_SEED.alice, url: "http://site/mattermost/dialogs", dialog }, { userId: MATTERMOST_SEED.bob, url: "http://site/mattermost/dialogs", dialog, closed: true }] });
    const client = new MattermostClientState();
    client.dialogAnswers.set(0, { errors: { due: "That date has passed." } });
    expect(mattermostSnapshot(state, client, site).dialogs).toEqual([{ id: 0, user: MATTERMOST_SEED.alice, dialog, errors: { due: "That date has passed." } }]);
    const closed = { ...state, dialogs: state.dialogs.map((opened) => ({ ...opened, closed: true as const })) };
    expect(mattermostSnapshot(closed, client, site).dialogs).toEqual([]);
  });
});

describe("teamsSnapshot: what Teams' client shows of the tenant", () => {
  const BOT = "28:00000000-0000-4000-8000-00000000b07a";
  const GENERAL = "19:general@thread.tacv2";
  const card = (text: string) => ({ type: "AdaptiveCard", version: "1.5", body: [{ type: "TextBlock", text }] });
  const activity = (text: string) => ({ type: "message", summary: text, attachments: [{ contentType: "application/vnd.microsoft.card.adaptive", content: card(text) }] });
  const tenant = (fields: Partial<TeamsSandboxState>): TeamsSandboxState => ({
    botId: BOT,
    conversations: [{ id: GENERAL, name: "General", type: "channel" }],
    people: [
      { id: "29:1alice", name: "alice", displayName: "Alice Example", aadObjectId: "a" },
      { id: "29:1bob", name: "bob", displayName: "Bob Example", aadObjectId: "b" },
    ],
    messages: [],
    dialogs: [],
    calls: 0,
    ...fields,
  });

  it("a bot's message carries its card; a reply in a channel thread names its root, its conversation the channel's", () => {
    const state = tenant({
      messages: [
        { id: "1", conversationId: GENERAL, from: "29:1bob", text: "help?", updated: false, at: 1 },
        { id: "2", conversationId: `${GENERAL};messageid=1`, replyTo: "1", from: BOT, activity: activity("Hi Bob"), text: "Hi Bob", updated: false, at: 2 },
      ],
    });
    expect(teamsSnapshot(state, new TeamsClientState(), "chatops").messages).toEqual([
      { id: "1", conversation: GENERAL, from: "29:1bob", text: "help?", updated: false, at: 1 },
      { id: "2", conversation: GENERAL, replyTo: "1", from: BOT, text: "Hi Bob", card: card("Hi Bob"), updated: false, at: 2 },
    ]);
  });

  it("the card an Action.Execute answered with is the presser's alone, until the bot redraws the message for everyone", () => {
    const posted = { id: "2", conversationId: GENERAL, from: BOT, activity: activity("Start?"), text: "Start?", updated: false, at: 2 };
    const client = new TeamsClientState();
    client.refreshed.set("29:1alice/2", { card: card("In progress"), over: JSON.stringify(posted.activity) });
    expect(teamsSnapshot(tenant({ messages: [posted] }), client, "chatops").messages[0]).toMatchObject({ card: card("Start?"), cardFor: { "29:1alice": card("In progress") } });
    const redrawn = { ...posted, activity: activity("Done"), updated: true };
    expect(teamsSnapshot(tenant({ messages: [redrawn] }), client, "chatops").messages[0]?.cardFor).toBeUndefined();
  });

  it("a dialog kept by the control server is open on its person's screen until it is closed", () => {
    const form = { type: "AdaptiveCard", body: [{ type: "Input.Text", id: "title" }] };
    const state = tenant({ dialogs: [{ user: "29:1alice", conversation: "a:1personal-alice", invoke: "task/fetch", dialog: { title: "New task", card: { contentType: "application/vnd.microsoft.card.adaptive", content: form } } }] });
    const client = new TeamsClientState();
    expect(teamsSnapshot(state, client, "chatops").dialogs).toEqual([{ id: 0, user: "29:1alice", title: "New task", card: form }]);
    // Closed by the page or by npm run teams -- submit: the control server says so, for both.
    const closed = { ...state, dialogs: state.dialogs.map((dialog) => ({ ...dialog, closed: true as const })) };
    expect(teamsSnapshot(closed, client, "chatops").dialogs).toEqual([]);
  });
});

describe("a command's answers, as Mattermost shows them (the emulator through the control server)", () => {
  let dir: string;
  let slack: SlackEmulator;
  let notion: NotionEmulator;
  let mattermost: MattermostEmulator;
  let control: SandboxControl;
  let client: SandboxControlClient;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "chatops-sandbox-ui-"));
    slack = await startSlackEmulator({ statePath: join(dir, "slack.json") });
    notion = await startNotionEmulator({ statePath: join(dir, "notion.json") });
    mattermost = await startMattermostEmulator({ botToken: SANDBOX_MATTERMOST.botToken });
    control = await startSandboxControl({
      slack,
      notion,
      dataSourceId: SANDBOX_BOARD.dataSourceId,
      slackStatePath: join(dir, "slack.json"),
      port: 0,
      mattermost: { emulator: mattermost, directory: { botId: SANDBOX_MATTERMOST.botUserId, channels: Object.values(SANDBOX_MATTERMOST.channels), people: SANDBOX_MATTERMOST.people } },
    });
    client = createSandboxControlClient(control.url);
  });
  afterAll(async () => {
    await control.close();
    await Promise.all([slack.close(), notion.close(), mattermost.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  it("the command's own answer is an ephemeral post for whoever typed it, buttons kept; in_channel one for all; an empty one nothing", async () => {
    const attachments = [{ fallback: "x", actions: [{ id: "b0", name: "Create task from this message", type: "button", integration: { url: "http://site/mattermost/actions", context: {} } }] }];
    const mine = await client.mattermost.commandAnswer({ channel: MATTERMOST_SEED.townSquare, user: MATTERMOST_SEED.alice, body: { response_type: "ephemeral", text: "I reminded @bob", props: { attachments } } });
    const all = await client.mattermost.commandAnswer({ channel: MATTERMOST_SEED.townSquare, user: MATTERMOST_SEED.alice, body: { response_type: "in_channel", text: "for all" } });
    expect(await client.mattermost.commandAnswer({ channel: MATTERMOST_SEED.townSquare, user: MATTERMOST_SEED.alice, body: {} })).toEqual({});
    const posts = (await client.mattermost.state()).posts;
    expect(posts.find((p) => p.id === mine.post)).toMatchObject({ user_id: MATTERMOST_SEED.botUserId, ephemeralFor: MATTERMOST_SEED.alice, message: "I reminded @bob", props: { attachments } });
    expect(posts.find((p) => p.id === all.post)?.ephemeralFor).toBeUndefined();
    // Its button is pressed as any post's is.
    await expect(client.mattermost.action({ post: mine.post!, button: "Create task from this message", user: MATTERMOST_SEED.alice })).resolves.toMatchObject({ url: "http://site/mattermost/actions" });
  });

  it("what the bot posts later to a response_url the page minted is shown once, to its person where the command was typed; another's is left alone", async () => {
    const state = new MattermostClientState();
    const minted = mattermost.issueResponseUrl();
    const other = mattermost.issueResponseUrl();
    state.origins.set(minted, { channel: MATTERMOST_SEED.tasks, user: MATTERMOST_SEED.bob });
    const before = mattermost.posts.length;
    for (const [url, text] of [[minted, "late answer"], [other, "the CLI's"]] as const) {
      expect((await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ response_type: "ephemeral", text }) })).status).toBe(200);
    }
    const seen = await mattermostState(client, state);
    expect(seen.posts.slice(before).map((p) => [p.channel_id, p.ephemeralFor, p.message])).toEqual([[MATTERMOST_SEED.tasks, MATTERMOST_SEED.bob, "late answer"]]);
    await mattermostState(client, state);
    expect(mattermost.posts.length).toBe(before + 1);
  });

  it("a reply names its thread's root, which must be a root post in the same channel", async () => {
    const root = await client.mattermost.postMessage({ channel: MATTERMOST_SEED.townSquare, author: MATTERMOST_SEED.bob, message: "can someone look?" });
    const reply = await client.mattermost.postMessage({ channel: MATTERMOST_SEED.townSquare, author: MATTERMOST_SEED.alice, message: "on it", root: root.post });
    expect(mattermost.posts.find((p) => p.id === reply.post)?.root_id).toBe(root.post);
    await expect(client.mattermost.postMessage({ channel: MATTERMOST_SEED.tasks, author: MATTERMOST_SEED.alice, message: "x", root: root.post })).rejects.toThrow(/no post .* to reply to in that channel/);
    await expect(client.mattermost.postMessage({ channel: MATTERMOST_SEED.townSquare, author: MATTERMOST_SEED.alice, message: "x", root: reply.post })).rejects.toThrow(/to reply to/);
  });
});

describe("parseLogLine", () => {
  it("reads the functions' JSON line, also behind netlify dev's prefix and colours", () => {
    expect(parseLogLine('\x1b[2m[slack-commands]\x1b[22m {"level":"info","event":"request","kind":"command","status":200}', 1, 5)).toEqual({
      seq: 1,
      at: 5,
      level: "info",
      event: "request",
      fields: { kind: "command", status: 200 },
    });
  });

  it("leaves out netlify dev's own lines and JSON that is no log line", () => {
    expect(parseLogLine("◈ Loaded function slack-commands", 1, 0)).toBeUndefined();
    expect(parseLogLine('{"no":"event"}', 1, 0)).toBeUndefined();
    expect(parseLogLine("Request from {weird", 1, 0)).toBeUndefined();
  });
});

describe("browserOpener", () => {
  it("opens nothing under CI, in a test run, or on Linux without a display", () => {
    expect(browserOpener("linux", { CI: "true", DISPLAY: ":0" })).toBeUndefined();
    expect(browserOpener("darwin", { VITEST: "true" })).toBeUndefined();
    expect(browserOpener("linux", {})).toBeUndefined();
  });

  it("uses the platform's opener where a browser is at hand", () => {
    expect(browserOpener("linux", { DISPLAY: ":0" })).toEqual({ command: "xdg-open", args: [] });
    expect(browserOpener("linux", { WAYLAND_DISPLAY: "wayland-0" })).toEqual({ command: "xdg-open", args: [] });
    expect(browserOpener("darwin", {})).toEqual({ command: "open", args: [] });
  });
});

describe("the page costs the functions nothing", () => {
  it("no function's bundle holds a file of the page or of its server", async () => {
    const dir = fileURLToPath(new URL("../../netlify/functions/", import.meta.url));
    const entries = readdirSync(dir).filter((name) => name.endsWith(".ts")).map((name) => `${dir}${name}`);
    // As Netlify bundles a function (its own imports, followed); packages left out: only our files matter here.
    const result = await build({
      entryPoints: entries,
      bundle: true,
      write: false,
      platform: "node",
      format: "esm",
      packages: "external",
      outdir: "/out",
      metafile: true,
      logLevel: "silent",
      // The metafile's paths are relative to this: the project's root, wherever the test runs from.
      absWorkingDir: fileURLToPath(new URL("../..", import.meta.url)),
    });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.startsWith("src/features/"))).toBe(true);
    expect(inputs.filter((path) => path.startsWith("sandbox-ui/") || path.startsWith("src/cli/"))).toEqual([]);
  });
});

describe("the sandbox's page flags", () => {
  it("serves the page on 3004 and opens it unless --no-open; --ui-port and SANDBOX_UI_PORT move it", () => {
    expect(parseSandboxFlags([], {})).toMatchObject({ uiPort: 3004, open: true });
    expect(parseSandboxFlags(["--no-open", "--ui-port", "0"], {})).toMatchObject({ uiPort: 0, open: false });
    expect(parseSandboxFlags([], { SANDBOX_UI_PORT: "4100" })).toMatchObject({ uiPort: 4100 });
  });
});
