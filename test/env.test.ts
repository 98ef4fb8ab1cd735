import { describe, expect, it } from "vitest";
import { EnvError, readEnv } from "../src/env.js";

const complete = {
  SLACK_SIGNING_SECRET: "0123456789abcdef0123456789abcdef",
  SLACK_BOT_TOKEN: "xoxb-1-2-abc",
  NOTION_TOKEN: "ntn_abcdefghijklmnop",
  NOTION_DATABASE_ID: "1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d",
  SLACK_REVIEW_CHANNEL_ID: "C0REVIEW",
};

function problemsOf(run: () => unknown): readonly string[] {
  try {
    run();
  } catch (error) {
    if (error instanceof EnvError) return error.problems;
    throw error;
  }
  throw new Error("expected an EnvError");
}

describe("readEnv", () => {
  it("returns the required variables, typed and normalised", () => {
    const env = readEnv(["SLACK_BOT_TOKEN", "NOTION_DATABASE_ID"], complete);
    expect(env.SLACK_BOT_TOKEN).toBe("xoxb-1-2-abc");
    expect(env.NOTION_DATABASE_ID).toBe("1a2b3c4d-5e6f-7a8b-9c0d-1e2f3a4b5c6d");
  });

  it("lists every missing variable in one error, each with where to find it", () => {
    const problems = problemsOf(() => readEnv(["SLACK_SIGNING_SECRET", "SLACK_BOT_TOKEN", "NOTION_TOKEN"], {}));
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^SLACK_SIGNING_SECRET is missing: Slack app settings -> Basic Information/);
    expect(problems[1]).toMatch(/^SLACK_BOT_TOKEN is missing: .*OAuth & Permissions/);
    expect(problems[2]).toMatch(/^NOTION_TOKEN is missing: .*integrations/);
  });

  it("never repeats a malformed value in the error", () => {
    const secretLookingValue = "xoxp-this-is-a-user-token-not-a-bot-one";
    const run = () => readEnv(["SLACK_BOT_TOKEN", "NOTION_TOKEN"], { SLACK_BOT_TOKEN: secretLookingValue, NOTION_TOKEN: "nope-secret-value" });
    expect(problemsOf(run).join("\n")).not.toContain(secretLookingValue);
    expect(problemsOf(run).join("\n")).not.toContain("nope-secret-value");
    expect(problemsOf(run)[0]).toMatch(/SLACK_BOT_TOKEN must be a bot token starting with xoxb-/);
  });

  it("requires only what the caller names", () => {
    expect(() => readEnv(["SLACK_BOT_TOKEN"], { SLACK_BOT_TOKEN: "xoxb-1" })).not.toThrow();
  });

  it("reports a malformed optional variable even though it is not required", () => {
    const problems = problemsOf(() => readEnv(["SLACK_BOT_TOKEN"], { SLACK_BOT_TOKEN: "xoxb-1", SLACK_API_URL: "not a url" }));
    expect(problems).toEqual([expect.stringMatching(/^SLACK_API_URL must be an http\(s\) URL/)]);
  });

  it("treats an empty value as missing", () => {
    expect(problemsOf(() => readEnv(["NOTION_TOKEN"], { NOTION_TOKEN: "  " }))[0]).toMatch(/^NOTION_TOKEN is missing/);
  });

  it("parses comma-separated id lists and flags", () => {
    const env = readEnv([], { SLACK_ALLOWED_TEAM_IDS: "T1, T2,,", WEEKLY_REVIEW_SKIP_EMPTY: "true" });
    expect(env.SLACK_ALLOWED_TEAM_IDS).toEqual(["T1", "T2"]);
    expect(env.WEEKLY_REVIEW_SKIP_EMPTY).toBe(true);
  });

  it("keeps an unknown time zone to the features that use it: reported in problems, UTC in the meantime", () => {
    const env = readEnv(["SLACK_BOT_TOKEN"], { SLACK_BOT_TOKEN: "xoxb-1", REVIEW_TIMEZONE: "Mars/Olympus" });
    expect(env.problems.REVIEW_TIMEZONE).toMatch(/^REVIEW_TIMEZONE must be an IANA time zone/);
    expect(env.REVIEW_TIMEZONE).toBe("UTC");
  });

  it("fills in defaults for unset variables that have one", () => {
    const env = readEnv([], {});
    expect(env).toMatchObject({ REVIEW_TIMEZONE: "UTC", WEEKLY_REVIEW_SKIP_EMPTY: false, NOTION_STATUS_PROPERTY: "Status", NOTION_REQUESTER_PROPERTY: "Requested by" });
    expect(env.problems).toEqual({});
  });

  it("still refuses a contained variable that the caller requires", () => {
    expect(problemsOf(() => readEnv(["SLACK_REVIEW_CHANNEL_ID"], { SLACK_REVIEW_CHANNEL_ID: "general" }))[0]).toMatch(/^SLACK_REVIEW_CHANNEL_ID must be a channel id/);
  });
});

describe("Discord's variables", () => {
  const discord = {
    DISCORD_APPLICATION_ID: "1100000000000000001",
    DISCORD_PUBLIC_KEY: "a".repeat(64),
    DISCORD_BOT_TOKEN: "MTEwMDAwMDAwMDAwMDAwMDAwMQ.Gabcde.abcdefghijklmnopqrstuvwxyz",
  };

  it("reads the application id, the public key and the token, and the guild list as ids", () => {
    const env = readEnv(["DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_BOT_TOKEN"], { ...discord, DISCORD_ALLOWED_GUILD_IDS: "1200000000000000001, 1200000000000000002" });
    expect([env.DISCORD_APPLICATION_ID, env.DISCORD_PUBLIC_KEY, env.DISCORD_ALLOWED_GUILD_IDS]).toEqual([discord.DISCORD_APPLICATION_ID, discord.DISCORD_PUBLIC_KEY, ["1200000000000000001", "1200000000000000002"]]);
  });

  it("refuses a public key that is not 64 hex characters and an id that is not a snowflake", () => {
    const problems = problemsOf(() => readEnv([], { DISCORD_PUBLIC_KEY: "a".repeat(63), DISCORD_APPLICATION_ID: "my-app", DISCORD_ALLOWED_GUILD_IDS: "1200000000000000001,guild" }));
    expect(problems.map((problem) => problem.split(" ")[0])).toEqual(["DISCORD_APPLICATION_ID", "DISCORD_PUBLIC_KEY", "DISCORD_ALLOWED_GUILD_IDS"]);
  });

  it("takes an https API URL without a trailing slash, and http only on this machine", () => {
    expect(readEnv([], { DISCORD_API_URL: "http://127.0.0.1:4010/api/v10" }).DISCORD_API_URL).toBe("http://127.0.0.1:4010/api/v10");
    expect(readEnv([], { DISCORD_API_URL: "https://proxy.example/api/v10" }).DISCORD_API_URL).toBe("https://proxy.example/api/v10");
    expect(problemsOf(() => readEnv([], { DISCORD_API_URL: "http://proxy.example/api/v10" }))[0]).toMatch(/^DISCORD_API_URL must be https \(http only for 127.0.0.1/);
    expect(problemsOf(() => readEnv([], { DISCORD_API_URL: "https://discord.com/api/v10/" }))[0]).toMatch(/^DISCORD_API_URL must not end with a slash/);
  });

  it("reads Mattermost's: a Site URL on https (http only on this machine, a subpath kept, no trailing slash), tokens and channel ids of 26 letters and digits", () => {
    const mattermost = { MATTERMOST_URL: "https://example.com/chat", MATTERMOST_BOT_TOKEN: "b".repeat(26), MATTERMOST_COMMAND_TOKEN: "c".repeat(26) };
    expect(readEnv(["MATTERMOST_URL", "MATTERMOST_BOT_TOKEN", "MATTERMOST_COMMAND_TOKEN"], mattermost).MATTERMOST_URL).toBe("https://example.com/chat");
    expect(readEnv([], { MATTERMOST_URL: "http://localhost:8065" }).MATTERMOST_URL).toBe("http://localhost:8065");
    expect(problemsOf(() => readEnv([], { MATTERMOST_URL: "http://chat.internal" }))[0]).toMatch(/^MATTERMOST_URL must be https/);
    expect(problemsOf(() => readEnv([], { MATTERMOST_URL: "https://chat.example.com/" }))[0]).toMatch(/^MATTERMOST_URL must not end with a slash \(e\.g\. https:\/\/chat\.example\.com\)/);
    expect(problemsOf(() => readEnv([], { MATTERMOST_BOT_TOKEN: "xoxb-1", MATTERMOST_COMMAND_TOKEN: "C".repeat(26) })).map((problem) => problem.split(" ")[0])).toEqual(["MATTERMOST_BOT_TOKEN", "MATTERMOST_COMMAND_TOKEN"]);
    const env = readEnv([], { MATTERMOST_REVIEW_CHANNEL_ID: "town-square" });
    expect([env.MATTERMOST_REVIEW_CHANNEL_ID, env.problems.MATTERMOST_REVIEW_CHANNEL_ID]).toEqual([undefined, expect.stringMatching(/^MATTERMOST_REVIEW_CHANNEL_ID must be a Mattermost channel id/)]);
  });

  it("keeps a malformed review or tasks channel to the features that use it", () => {
    const env = readEnv([], { DISCORD_REVIEW_CHANNEL_ID: "#general" });
    expect(env.DISCORD_REVIEW_CHANNEL_ID).toBeUndefined();
    expect(env.problems.DISCORD_REVIEW_CHANNEL_ID).toMatch(/^DISCORD_REVIEW_CHANNEL_ID must be a Discord id/);
  });
});

describe("Teams' variables", () => {
  it("reads the app id and the tenant as GUIDs, and the allowed serviceUrls as origins", () => {
    const env = readEnv(["TEAMS_APP_ID", "TEAMS_TENANT_ID"], {
      TEAMS_APP_ID: "00000000-0000-4000-8000-00000000b07a",
      TEAMS_TENANT_ID: "00000000-0000-4000-8000-0000000071e1",
      TEAMS_SERVICE_URL_ALLOW: "http://127.0.0.1:4010/, https://smba.infra.gcc.teams.microsoft.com/teams",
    });
    expect(env.TEAMS_SERVICE_URL_ALLOW).toEqual(["http://127.0.0.1:4010", "https://smba.infra.gcc.teams.microsoft.com"]);
  });

  it("refuses an app id that is not a GUID, a serviceUrl origin in clear off this machine, and an http token URL off it", () => {
    const problems = problemsOf(() => readEnv([], { TEAMS_APP_ID: "my-bot", TEAMS_TOKEN_URL: "http://login.example/token", TEAMS_SERVICE_URL_ALLOW: "http://smba.example" }));
    expect(problems.map((problem) => problem.split(" ")[0])).toEqual(["TEAMS_APP_ID", "TEAMS_TOKEN_URL", "TEAMS_SERVICE_URL_ALLOW"]);
  });

  it("keeps a malformed review conversation to the review", () => {
    const env = readEnv([], { TEAMS_REVIEW_CONVERSATION_ID: "19:has a space" });
    expect(env.TEAMS_REVIEW_CONVERSATION_ID).toBeUndefined();
    expect(env.problems.TEAMS_REVIEW_CONVERSATION_ID).toMatch(/^TEAMS_REVIEW_CONVERSATION_ID must be a Teams conversation id/);
  });
});
