import { afterEach, describe, expect, it } from "vitest";
import { runDoctor, type DoctorOptions } from "../../src/cli/doctor.js";
import { startBlobsEmulator } from "../../dev/blobs-server.js";
import { HEALTHY_TIMEOUT_MS } from "../../dev/harness.js";
import { REFUSED_ORIGIN } from "../../dev/netlify-dev.js";
import { serveHandler } from "../../dev/serve-handler.js";
import { createNotionWebhooksHandler } from "../../src/handlers.js";
import { VERIFICATION_TOKEN_KEY } from "../../src/features/notion-setup/verification-token.js";
import { createBlobsStore } from "../../src/store/store.js";
import { readManifest } from "../../src/cli/manifest.js";
import { MARKS } from "../../src/cli/report.js";
import { startNotionEmulator, taskBoardSchema, type NotionEmulator, type PropertySchema } from "../../dev/notion-emulator.js";
import { TEST_SIGNING_SECRET } from "../../dev/signed-request.js";
import { SLACK_SEED, startSlackEmulator, type SlackEmulator } from "../../dev/slack-emulator.js";

const SLACK_TOKEN = "xoxb-doctor-token-123456";
const NOTION_TOKEN = "ntn_doctor_token_abcdef123456";
const WEBHOOK_SECRET = "secret_doctor_webhook_token_0123456789";
const MANIFEST_SCOPES = readManifest().oauth_config.scopes.bot;

let slack: SlackEmulator | undefined;
let notion: NotionEmulator | undefined;

afterEach(async () => {
  await Promise.all([slack?.close(), notion?.close()]);
  slack = notion = undefined;
});

interface Setup {
  scopes?: string[];
  schema?: Record<string, PropertySchema | null>;
  env?: Record<string, string | undefined>;
}

/** Both emulators, a board as setup:notion makes it, and the env the functions would get. */
async function start(setup: Setup = {}) {
  slack = await startSlackEmulator({ token: SLACK_TOKEN, scopes: setup.scopes ?? MANIFEST_SCOPES });
  notion = await startNotionEmulator({ token: NOTION_TOKEN });
  const board = notion.addDatabase({ title: "Tasks", properties: taskBoardSchema(setup.schema) });
  const env: Record<string, string | undefined> = {
    SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
    SLACK_BOT_TOKEN: SLACK_TOKEN,
    NOTION_TOKEN,
    NOTION_DATABASE_ID: board.databaseId,
    SLACK_REVIEW_CHANNEL_ID: SLACK_SEED.general,
    SLACK_API_URL: slack.apiUrl,
    NOTION_API_URL: notion.url,
    NOTION_WEBHOOK_SECRET: WEBHOOK_SECRET,
    ...setup.env,
  };
  return { slack, notion, board, env };
}

async function doctor(env: Record<string, string | undefined>, envFile?: string, options: Partial<DoctorOptions> = {}): Promise<{ code: number; text: string; lines: string[] }> {
  let text = "";
  const code = await runDoctor({ env, out: { write: (chunk: string) => (text += chunk) }, timeoutMs: 2_000, envFile, ...options });
  return { code, text, lines: text.split("\n").map((line) => line.trim()) };
}

/** The one line with this mark that contains `fragment`. */
function line(lines: string[], mark: keyof typeof MARKS, fragment: string): string | undefined {
  return lines.find((candidate) => candidate.startsWith(`${MARKS[mark]} `) && candidate.includes(fragment));
}

function marked(lines: string[], mark: keyof typeof MARKS): string[] {
  return lines.filter((candidate) => candidate.startsWith(`${MARKS[mark]} `));
}

describe("npm run doctor", () => {
  it("is all green, exit 0, on a workspace and board set up as the README says", async () => {
    const { env } = await start();
    const { code, lines, text } = await doctor(env);
    expect(marked(lines, "fail")).toEqual([]);
    expect(marked(lines, "warn")).toEqual([]);
    expect(code).toBe(0);
    expect(line(lines, "ok", "SLACK_BOT_TOKEN works: bot @chatops")).toBeDefined();
    expect(line(lines, "ok", "every scope manifest.yml asks for")).toBeDefined();
    expect(line(lines, "ok", "review channel #general: the bot is a member")).toBeDefined();
    expect(line(lines, "ok", "NOTION_DATABASE_ID is shared with")).toBeDefined();
    expect(line(lines, "ok", "status: “Status” (status); new tasks start as “Not started”, done means “Done”")).toBeDefined();
    expect(text.trim().endsWith("All checks passed.")).toBe(true);
  });

  it("never prints a secret", async () => {
    // A malformed secret, a good token and a refused one: none may be echoed.
    const { env } = await start({ env: { SLACK_SIGNING_SECRET: "Xq9-secret", NOTION_TOKEN: "ntn_wrong_but_well_formed" } });
    const { text } = await doctor(env);
    expect(text).toContain("SLACK_SIGNING_SECRET looks too short");
    for (const secret of ["Xq9-secret", SLACK_TOKEN, "ntn_wrong_but_well_formed"]) expect(text).not.toContain(secret);
  });

  describe("environment", () => {
    it("with no .env and nothing set in the shell, starts by saying so, with the two ways on", async () => {
      const { code, text } = await doctor({});
      expect(text.split("\n")[0]).toBe("no .env here: `cp .env.example .env`; to try without accounts, `npm start`");
      expect(text).toContain("✗ SLACK_SIGNING_SECRET is missing");
      expect(code).toBe(1);
    });

    it("names as also set only the optional variables that are set, not the defaults of the others", async () => {
      expect((await doctor({})).text).not.toContain("also set");
      const { env } = await start({ env: { REVIEW_TIMEZONE: "Europe/Paris" } });
      expect(line((await doctor(env)).lines, "ok", "also set:")).toBe("✓ also set: SLACK_API_URL, NOTION_API_URL, NOTION_WEBHOOK_SECRET, REVIEW_TIMEZONE");
    });

    it("says nothing of .env when one was read, or when the shell sets the variables", async () => {
      expect((await doctor({}, "/project/.env")).text).not.toContain("no .env here");
      expect((await doctor({ SLACK_BOT_TOKEN: "xoxb-from-the-shell" })).text).not.toContain("no .env here");
    });

    it("refuses a personal Netlify token in .env, which env:import would upload to the site, and never prints it", async () => {
      const { env } = await start();
      const token = "nfp_personal_access_token_0123456789";
      const { code, lines, text } = await doctor({ ...env, NETLIFY_AUTH_TOKEN: token }, "/project/.env", { envFileNames: ["SLACK_BOT_TOKEN", "NETLIFY_AUTH_TOKEN"] });
      expect(line(lines, "fail", "NETLIFY_AUTH_TOKEN is in .env: npx netlify env:import .env uploads it to the site")).toContain("npx netlify env:unset NETLIFY_AUTH_TOKEN");
      expect(text).not.toContain(token);
      expect(code).toBe(1);
      // Set in the shell only, it is doctor's to use.
      expect(line((await doctor({ ...env, NETLIFY_AUTH_TOKEN: token }, "/project/.env", { envFileNames: ["SLACK_BOT_TOKEN"] })).lines, "fail", "NETLIFY_AUTH_TOKEN")).toBeUndefined();
    });

    it("names each missing or malformed variable with where to find it, and skips what depends on it", async () => {
      const { env, slack, notion } = await start({ env: { NOTION_TOKEN: undefined, SLACK_BOT_TOKEN: "xoxp-a-user-token", REVIEW_TIMEZONE: "Mars/Olympus" } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "fail", "NOTION_TOKEN is missing — fix: notion.so/profile/integrations")).toBeDefined();
      expect(line(lines, "fail", "SLACK_BOT_TOKEN must be a bot token starting with xoxb- — fix: Slack app settings -> OAuth & Permissions")).toBeDefined();
      expect(line(lines, "fail", "REVIEW_TIMEZONE must be an IANA time zone such as Europe/Paris — fix: correct it or leave it unset")).toBeDefined();
      expect(line(lines, "ok", "NOTION_DATABASE_ID is set")).toBeDefined();
      expect(line(lines, "skip", "Slack not checked")).toBeDefined();
      expect(line(lines, "skip", "Notion not checked")).toBeDefined();
      expect(slack.calls).toEqual([]);
      expect(notion.requests).toEqual([]);
    });
  });

  describe("Slack", () => {
    it("fails on a token Slack refuses, saying where to copy the right one", async () => {
      const { env } = await start({ env: { SLACK_BOT_TOKEN: "xoxb-revoked-token-999" } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "fail", "Slack refused SLACK_BOT_TOKEN (invalid_auth) — fix: copy the Bot User OAuth Token")).toBeDefined();
      expect(line(lines, "skip", "scopes and channels not checked")).toBeDefined();
    });

    it("fails when Slack cannot be reached", async () => {
      const { env, slack } = await start();
      slack.fail("auth.test", { kind: "http", status: 503 });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "fail", "could not reach Slack (http_error) — fix: check the network connection (and SLACK_API_URL")).toBeDefined();
    });

    it("fails when SLACK_ALLOWED_TEAM_IDS leaves out the token's own workspace", async () => {
      const { env } = await start({ env: { SLACK_ALLOWED_TEAM_IDS: "T0ELSEWHERE" } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "fail", `the token's workspace ${SLACK_SEED.teamId} is not in SLACK_ALLOWED_TEAM_IDS — fix: add ${SLACK_SEED.teamId}`)).toBeDefined();
    });

    it("fails when the token lacks a scope the manifest asks for, naming it", async () => {
      const { env } = await start({ scopes: MANIFEST_SCOPES.filter((scope) => scope !== "users:read.email") });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "fail", "the token lacks users:read.email, which manifest.yml asks for — fix: add them in Slack app settings -> OAuth & Permissions")).toBeDefined();
    });

    it("fails when the token was installed before the bot heard mentions (no app_mentions:read), saying to reinstall", async () => {
      const { env } = await start({ scopes: ["commands", "chat:write", "users:read", "users:read.email"] });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "fail", "the token lacks app_mentions:read, which manifest.yml asks for — fix: add them in Slack app settings -> OAuth & Permissions")).toBeDefined();
      expect(line(lines, "fail", "reinstall the app to the workspace")).toBeDefined();
    });

    it("accepts extra scopes and names them", async () => {
      const { env } = await start({ scopes: [...MANIFEST_SCOPES, "chat:write.public"] });
      const { code, lines } = await doctor(env);
      expect(code).toBe(0);
      expect(line(lines, "ok", "(also chat:write.public, which chatops doesn't use)")).toBeDefined();
    });

    it("fails when the bot is not in the review channel, with the /invite to type", async () => {
      const { env } = await start({ env: { SLACK_REVIEW_CHANNEL_ID: SLACK_SEED.random } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "fail", "the bot is not in the review channel #random, so it cannot post there — fix: open the channel in Slack and type /invite @chatops")).toBeDefined();
    });

    it("fails when the review channel does not exist or is private without the bot", async () => {
      const { env } = await start({ env: { SLACK_REVIEW_CHANNEL_ID: SLACK_SEED.secret } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "fail", `Slack shows the bot no channel ${SLACK_SEED.secret} (SLACK_REVIEW_CHANNEL_ID) — fix: check SLACK_REVIEW_CHANNEL_ID`)).toBeDefined();
    });

    it("checks the optional tasks channel too when it is set", async () => {
      const { env } = await start({ env: { SLACK_TASKS_CHANNEL_ID: SLACK_SEED.random } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "ok", "review channel #general")).toBeDefined();
      expect(line(lines, "fail", "the bot is not in the tasks channel #random")).toBeDefined();
    });

    it("without channels:read, only warns: it checks the channel exists and asks to make sure the bot was invited", async () => {
      const { env, slack } = await start();
      slack.fail("conversations.info", { kind: "error", error: "missing_scope", extra: { needed: "channels:read" } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(0);
      expect(line(lines, "warn", `the review channel ${SLACK_SEED.general} exists, but whether the bot is in it needs channels:read`)).toBeDefined();
      expect(slack.callsTo("chat.getPermalink")).toHaveLength(1);
      expect(slack.callsTo("chat.postMessage")).toHaveLength(0);
    });

    it("without channels:read, still fails on a channel the bot cannot see", async () => {
      const { env, slack } = await start({ env: { SLACK_REVIEW_CHANNEL_ID: "C0NOSUCH" } });
      slack.fail("conversations.info", { kind: "error", error: "missing_scope" });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "fail", "Slack shows the bot no channel C0NOSUCH")).toBeDefined();
    });
  });

  describe("Notion", () => {
    it("fails on a token Notion refuses, saying where to copy the right one", async () => {
      const { env } = await start({ env: { NOTION_TOKEN: "ntn_not_the_right_one" } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "fail", "Notion refused NOTION_TOKEN (unauthorized) — fix: copy the Internal Integration Secret again")).toBeDefined();
      expect(line(lines, "skip", "database not checked")).toBeDefined();
    });

    it("fails when the database is not shared with the integration, saying how to connect it", async () => {
      const { env } = await start({ env: { NOTION_DATABASE_ID: "0123456789abcdef0123456789abcdef" } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(
        line(lines, "fail", "the integration can't see NOTION_DATABASE_ID: the database isn't shared with “chatops”, or the id is wrong — fix: open the database in Notion -> ••• -> Connections -> add “chatops”"),
      ).toBeDefined();
      expect(line(lines, "skip", "properties not checked")).toBeDefined();
    });

    it("accepts a data source id, or the database's URL, as the bot does", async () => {
      const { env, board } = await start();
      const bySource = await doctor({ ...env, NOTION_DATABASE_ID: board.dataSourceId });
      expect(bySource.code).toBe(0);
      expect(line(bySource.lines, "ok", "(given as a data source id)")).toBeDefined();
      const byUrl = await doctor({ ...env, NOTION_DATABASE_ID: `https://www.notion.so/team/Tasks-${board.databaseId.replaceAll("-", "")}?v=1234` });
      expect(byUrl.code).toBe(0);
      expect(line(byUrl.lines, "ok", "(given as a database id)")).toBeDefined();
    });

    it("fails on an expected property of a type the bot cannot write", async () => {
      const { env } = await start({ schema: { Due: { rich_text: {} } } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "fail", 'due date: property "Due" (due) is of type rich_text; expected date, so it is left out — fix: change “Due” to a Date property')).toBeDefined();
    });

    it("only warns when a property with its default name is absent: the bot knowingly saves without it", async () => {
      const { env } = await start({ schema: { Priority: null } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(0);
      expect(line(lines, "warn", "priority: no property “Priority”, so tasks are saved without it — to keep it, add a Select property named “Priority”")).toBeDefined();
    });

    it("only warns when the board has no assignee: the Home tab then has no “Assigned to me”", async () => {
      const { env } = await start({ schema: { Assignee: null } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(0);
      expect(line(lines, "warn", "assignee: no property “Assignee”, so the Home tab has no “Assigned to me” — to keep it, add a Person property named “Assignee”")).toBeDefined();
    });

    it("fails when a property named by a variable is absent", async () => {
      const { env } = await start({ env: { NOTION_PRIORITY_PROPERTY: "Urgency" } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(1);
      expect(line(lines, "fail", "NOTION_PRIORITY_PROPERTY names “Urgency”, which is not on the board")).toBeDefined();
    });

    it("follows renamed properties", async () => {
      const { env } = await start({ schema: { Status: null, State: taskBoardSchema().Status! }, env: { NOTION_STATUS_PROPERTY: "State" } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(0);
      expect(line(lines, "ok", "status: “State” (status)")).toBeDefined();
    });
  });

  describe("Notion webhooks", () => {
    it("warns, without failing, when the secret is not set, saying how to finish the set-up", async () => {
      const { env } = await start({ env: { NOTION_WEBHOOK_SECRET: undefined } });
      const { code, lines } = await doctor(env);
      expect(code).toBe(0);
      expect(line(lines, "warn", "NOTION_WEBHOOK_SECRET is not set")).toContain("netlify blobs:get chatops notion/verification-token");
      expect(line(lines, "skip", "the endpoint not checked: pass --site")).toBeDefined();
      expect(line(lines, "skip", "the store not checked: set NETLIFY_SITE_ID and NETLIFY_AUTH_TOKEN")).toBeDefined();
    });

    it("probes the deployed endpoint: a receiver refusing an unsigned request is reachable", async () => {
      const { env } = await start();
      const served = await serveHandler(createNotionWebhooksHandler({ env: env as Record<string, string>, logSink: () => {} }), {});
      try {
        const { lines } = await doctor(env, undefined, { siteUrl: served.origin });
        expect(line(lines, "ok", `${served.origin}/notion/webhooks answers, and refuses an unsigned request (401)`)).toBeDefined();
        const nothing = REFUSED_ORIGIN;
        const missing = await doctor(env, undefined, { siteUrl: nothing });
        expect(line(missing.lines, "fail", `could not reach ${nothing}/notion/webhooks`)).toBeDefined();
      } finally {
        await served.close();
      }
    });

    it("says a handshake's token is waiting in the store, and never prints it", async () => {
      const blobs = await startBlobsEmulator();
      try {
        const token = "secret_waiting_in_the_store_0000000000";
        await createBlobsStore({ connection: blobs.connection, timeoutMs: HEALTHY_TIMEOUT_MS }).write(VERIFICATION_TOKEN_KEY, { verification_token: token, received_at: "2025-10-01T09:00:00.000Z" });
        const { env } = await start({ env: { NOTION_WEBHOOK_SECRET: undefined } });
        const { text, lines } = await doctor(env, undefined, { blobs: blobs.connection });
        expect(line(lines, "warn", "a verification token from Notion's handshake is waiting in the store (since 2025-10-01T09:00:00.000Z)")).toContain("set it as NOTION_WEBHOOK_SECRET");
        for (const secret of [token, WEBHOOK_SECRET]) expect(text).not.toContain(secret);
      } finally {
        await blobs.close();
      }
    });
  });
});
