import { describe, expect, it } from "vitest";
import { isChatWebUrl, isDiscordWebUrl, isMattermostWebUrl, isSlackWebUrl, isTeamsWebUrl, webLinkOf } from "../../src/chat/web-link.js";

describe("isDiscordWebUrl: the Discord links a task's link may hold", () => {
  it.each([
    "https://discord.com/channels/1200000000000000001/1300000000000000001/1500000000000000001",
    "https://discord.com/channels/1200000000000000001/1300000000000000001",
    "https://discord.com/channels/@me/1300000000000000001/1500000000000000001",
  ])("accepts %s", (url) => {
    expect(isDiscordWebUrl(url)).toBe(true);
    expect(isChatWebUrl(url)).toBe(true);
  });

  it.each([
    "http://discord.com/channels/1/2/3",
    "https://discord.com.evil.example/channels/1/2/3",
    "https://evildiscord.com/channels/1/2/3",
    "https://user@discord.com/channels/1/2/3",
    "https://discord.com:8443/channels/1/2/3",
    "https://discord.com/invite/abc",
    "https://discord.com/oauth2/authorize?client_id=1",
    "https://discord.com/channels/1/2/3?next=https://evil.example",
    "https://discord.com/channels/1/2/3/4",
    "https://discord.com/channels/x/2/3",
    "javascript:alert(1)",
  ])("refuses %s", (url) => {
    expect(isDiscordWebUrl(url)).toBe(false);
    expect(isChatWebUrl(url)).toBe(false);
  });

  it("takes a Slack link for Slack's only", () => {
    expect(isChatWebUrl("https://example.slack.com/archives/C1/p1")).toBe(true);
    expect(isDiscordWebUrl("https://example.slack.com/archives/C1/p1")).toBe(false);
    expect(isSlackWebUrl("https://discord.com/channels/1/2/3")).toBe(false);
  });
});

describe("webLinkOf: a link to a place, built from its ids", () => {
  it("links a Slack channel through app_redirect and a message through its archive URL", () => {
    expect(webLinkOf({ platform: "slack", workspace: "T0TEAM", conversation: "C0GENERAL" })).toBe("https://slack.com/app_redirect?channel=C0GENERAL&team=T0TEAM");
    expect(webLinkOf({ platform: "slack", workspace: "T0TEAM", conversation: "C0GENERAL", message: "1700000000.000100" })).toBe("https://slack.com/archives/C0GENERAL/p1700000000000100");
    expect(webLinkOf({ platform: "slack", workspace: "T0TEAM", conversation: "C0GENERAL", thread: "1700000000.000100", message: "1700000000.000200" })).toBe(
      "https://slack.com/archives/C0GENERAL/p1700000000000200?thread_ts=1700000000.000100&cid=C0GENERAL",
    );
  });

  it("links a Discord channel or message, in a guild or a DM, as Discord's Copy Link does", () => {
    expect(webLinkOf({ platform: "discord", workspace: "1200000000000000001", conversation: "1300000000000000001", message: "1500000000000000001" })).toBe(
      "https://discord.com/channels/1200000000000000001/1300000000000000001/1500000000000000001",
    );
    expect(webLinkOf({ platform: "discord", workspace: "@me", conversation: "1300000000000000001" })).toBe("https://discord.com/channels/@me/1300000000000000001");
  });

  it("writes only links a task may keep", () => {
    for (const place of [
      { platform: "slack" as const, workspace: "T0TEAM", conversation: "C0GENERAL" },
      { platform: "discord" as const, workspace: "1200000000000000001", conversation: "1300000000000000001", message: "1500000000000000001" },
      { platform: "teams" as const, workspace: "00000000-0000-4000-8000-0000000071e1", conversation: "19:general@thread.tacv2", thread: "1700000000001", message: "1700000000002" },
    ]) {
      expect(isChatWebUrl(webLinkOf(place)!)).toBe(true);
    }
  });
});

describe("isMattermostWebUrl", () => {
  it("keeps a post's link as the Mattermost adapter writes it, on any self-hosted server (a subpath too), and nothing else", () => {
    const id = "abcdefghijklmnopqrstuvwxyz";
    for (const url of [`https://chat.example.com/_redirect/pl/${id}`, `https://example.com/chat/_redirect/pl/${id}`, `http://127.0.0.1:8065/_redirect/pl/${id}`]) expect([isMattermostWebUrl(url), isChatWebUrl(url)]).toEqual([true, true]);
    for (const url of [`http://chat.example.com/_redirect/pl/${id}`, `https://chat.example.com:8443/_redirect/pl/${id}`, `https://u:p@chat.example.com/_redirect/pl/${id}`, `https://chat.example.com/_redirect/pl/${id}?x=1`, `https://chat.example.com/_redirect/pl/${id.toUpperCase()}`, `https://chat.example.com/login?redirect_to=/_redirect/pl/${id}`, "https://chat.example.com/"]) {
      expect(isMattermostWebUrl(url), url).toBe(false);
    }
  });
});

describe("isTeamsWebUrl: the Teams links a task's link may hold", () => {
  it("takes a message link as Teams copies it, and nothing else on teams.microsoft.com", () => {
    expect(isTeamsWebUrl("https://teams.microsoft.com/l/message/19%3Ageneral%40thread.tacv2/1700000000002?tenantId=t&groupId=g&parentMessageId=1700000000001")).toBe(true);
    for (const url of ["https://teams.microsoft.com/l/app/abc", "https://teams.microsoft.com.evil.example/l/message/19%3Ax/1", "http://teams.microsoft.com/l/message/19%3Ax/1", "https://teams.microsoft.com/l/message/19%3Ax/1#x"]) expect(isTeamsWebUrl(url), url).toBe(false);
  });
});
