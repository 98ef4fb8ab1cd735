/**
 * `npm run doctor`'s Mattermost checks against the Mattermost emulator (and Notion's for the whole
 * run): only when a Mattermost variable is set; each failure's line and fix, and what it skips.
 */
import { afterEach, describe, expect, it } from "vitest";
import { MATTERMOST_SEED, startMattermostEmulator, type MattermostEmulator, type MattermostEmulatorOptions } from "../../dev/mattermost-emulator.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator } from "../../dev/notion-emulator.js";
import { runDoctor } from "../../src/cli/doctor.js";
import { checkMattermost } from "../../src/cli/doctor-mattermost.js";
import { createReport, MARKS } from "../../src/cli/report.js";

let mattermost: MattermostEmulator | undefined;
let notion: NotionEmulator | undefined;

afterEach(async () => {
  await Promise.all([mattermost?.close(), notion?.close()]);
  mattermost = notion = undefined;
});

async function start(options: MattermostEmulatorOptions = {}) {
  mattermost = await startMattermostEmulator(options);
  return mattermost;
}

function mattermostEnv(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    MATTERMOST_URL: mattermost?.url,
    MATTERMOST_BOT_TOKEN: MATTERMOST_SEED.botToken,
    MATTERMOST_COMMAND_TOKEN: MATTERMOST_SEED.commandToken,
    MATTERMOST_REVIEW_CHANNEL_ID: MATTERMOST_SEED.review,
    MATTERMOST_TASKS_CHANNEL_ID: MATTERMOST_SEED.tasks,
    ...overrides,
  };
}

/** Only the Mattermost section, as doctor prints it. */
async function check(env: Record<string, string | undefined>) {
  let text = "";
  const report = createReport({ write: (chunk: string) => (text += chunk) });
  await checkMattermost(report, env, { timeoutMs: 5_000 });
  return { lines: text.split("\n").map((line) => line.trim()).filter(Boolean), text, failures: report.failures };
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
/** A failure's line: the problem, then its fix (which mentions `fix`) on the same line. */
const failed = (problem: string, fix: string) => expect.stringMatching(new RegExp(`^${escaped(`${MARKS.fail} ${problem}`)} — fix: .*${escaped(fix)}`));

describe("doctor's Mattermost checks", () => {
  it("are all green on a server set up as docs/mattermost.md says", async () => {
    await start();
    const { lines, failures } = await check(mattermostEnv());
    expect(lines).toEqual([
      `Mattermost (at ${mattermost!.url})`,
      `${MARKS.ok} MATTERMOST_URL answers as a Mattermost server (GET /api/v4/system/ping)`,
      `${MARKS.ok} MATTERMOST_BOT_TOKEN is a bot account's: @chatops (${MATTERMOST_SEED.botUserId})`,
      `${MARKS.ok} review channel ~review: the bot is in it`,
      `${MARKS.ok} tasks channel ~tasks: the bot is in it`,
    ]);
    expect(failures).toBe(0);
    expect(mattermost!.calls.map((call) => call.route)).toEqual(["ping", "get_me", "get_channel", "get_channel_member", "get_channel", "get_channel_member"]);
  });

  it("fails when MATTERMOST_URL is not a Mattermost server, and asks nothing more of it", async () => {
    await start();
    mattermost!.fail("ping", { kind: "http", status: 404 });
    const { lines, failures } = await check(mattermostEnv());
    expect(lines.slice(1)).toEqual([
      failed(`${mattermost!.url}/api/v4/system/ping answered 404: MATTERMOST_URL is not a Mattermost server's Site URL`, "System Console -> Web Server"),
      `${MARKS.skip} the bot token and the channels not checked: the server must answer first`,
    ]);
    expect(failures).toBe(1);
    expect(mattermost!.calls.map((call) => call.route)).toEqual(["ping"]);
  });

  it("fails when the server does not answer", async () => {
    await start();
    mattermost!.fail("ping", { kind: "drop" });
    const { lines } = await check(mattermostEnv());
    expect(lines[1]).toEqual(failed(`could not reach Mattermost at ${mattermost!.url} (network_error)`, "check MATTERMOST_URL"));
    expect(mattermost!.callsTo("get_me")).toEqual([]);
  });

  it("fails on a token Mattermost refuses, skipping the channels, and never prints it", async () => {
    await start();
    const wrong = "zzzzzzzzzzzzzzzzzzzzzzzzzz";
    const { lines, text } = await check(mattermostEnv({ MATTERMOST_BOT_TOKEN: wrong }));
    expect(lines.slice(2)).toEqual([
      failed("Mattermost refused MATTERMOST_BOT_TOKEN (401 api.context.session_expired.app_error)", "Integrations -> Bot Accounts"),
      `${MARKS.skip} the channels not checked: the token must be the bot's first`,
    ]);
    expect(text).not.toContain(wrong);
    expect(mattermost!.callsTo("get_channel")).toEqual([]);
  });

  it("fails on a person's personal access token: the bot would post as them", async () => {
    await start({ tokenUserId: MATTERMOST_SEED.alice });
    const { lines, failures } = await check(mattermostEnv());
    expect(lines.slice(2)).toEqual([
      failed("MATTERMOST_BOT_TOKEN is the person @alice's, not a bot account's: the bot would post as them", "Add Bot Account"),
      `${MARKS.skip} the channels not checked: the token must be the bot's first`,
    ]);
    expect(failures).toBe(1);
  });

  it("fails on a channel the bot cannot read and on one that does not exist, each with its fix", async () => {
    await start();
    const missing = "nochannel0000000000000000x";
    const { lines, failures } = await check(mattermostEnv({ MATTERMOST_REVIEW_CHANNEL_ID: MATTERMOST_SEED.secret, MATTERMOST_TASKS_CHANNEL_ID: missing }));
    expect(lines.slice(3)).toEqual([
      failed(`the bot cannot read the review channel ${MATTERMOST_SEED.secret} (403 api.context.permissions.app_error)`, "/invite @"),
      failed(`Mattermost has no channel ${missing} (MATTERMOST_TASKS_CHANNEL_ID)`, "View Info"),
    ]);
    expect(failures).toBe(2);
  });

  it("fails on a public channel the bot reads but is not in: it could not post there", async () => {
    await start();
    const { lines, failures } = await check(mattermostEnv({ MATTERMOST_TASKS_CHANNEL_ID: MATTERMOST_SEED.lobby }));
    expect(lines.at(-1)).toEqual(failed("the bot is not in the tasks channel ~lobby, so it cannot post there", "/invite @"));
    expect(failures).toBe(1);
  });

  it("skips everything but the Environment section's word when MATTERMOST_URL is unusable", async () => {
    await start();
    const { lines } = await check(mattermostEnv({ MATTERMOST_URL: "ftp://chat.example.com" }));
    expect(lines).toEqual(["Mattermost", `${MARKS.skip} the server, the bot token and the channels not checked: MATTERMOST_URL is not usable (see above)`]);
    expect(mattermost!.calls).toEqual([]);
  });
});

describe("npm run doctor with Mattermost", () => {
  async function doctor(env: Record<string, string | undefined>) {
    let text = "";
    const code = await runDoctor({ env, out: { write: (chunk: string) => (text += chunk) }, timeoutMs: 5_000, envFile: "/project/.env" });
    return { code, text, lines: text.split("\n").map((line) => line.trim()) };
  }

  async function notionEnv() {
    notion = await startNotionEmulator({ token: "ntn_doctor_token_abcdef123456" });
    const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema() });
    return { NOTION_TOKEN: "ntn_doctor_token_abcdef123456", NOTION_DATABASE_ID: board.databaseId, NOTION_API_URL: notion.url };
  }

  it("with only Mattermost's variables and Notion's, serves Mattermost alone: Slack's are not missing", async () => {
    await start();
    const { code, lines, text } = await doctor({ ...(await notionEnv()), ...mattermostEnv() });
    expect(lines).toContain(`${MARKS.skip} Slack not checked: no Slack variable is set, so the bot serves Mattermost alone`);
    expect(text).not.toContain("SLACK_SIGNING_SECRET is missing");
    expect(lines).toContain(`${MARKS.ok} MATTERMOST_COMMAND_TOKEN is set`);
    expect(lines).toContain(`${MARKS.ok} MATTERMOST_BOT_TOKEN is a bot account's: @chatops (${MATTERMOST_SEED.botUserId})`);
    expect(lines.filter((line) => line.startsWith(`${MARKS.fail} `))).toEqual([]);
    expect(code).toBe(0);
  });

  it("asks for the three required variables once one Mattermost variable is set", async () => {
    const { code, text } = await doctor({ ...(await notionEnv()), MATTERMOST_REVIEW_CHANNEL_ID: MATTERMOST_SEED.review });
    expect(text).toContain("MATTERMOST_URL is missing");
    expect(text).toContain("MATTERMOST_BOT_TOKEN is missing");
    expect(text).toContain("MATTERMOST_COMMAND_TOKEN is missing");
    expect(code).toBe(1);
  });

  it("with no Mattermost variable, checks nothing of Mattermost, as before", async () => {
    const { lines } = await doctor({ ...(await notionEnv()) });
    expect(lines.some((line) => line.startsWith("Mattermost"))).toBe(false);
  });
});
