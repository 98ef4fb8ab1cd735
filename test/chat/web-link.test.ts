import { describe, expect, it } from "vitest";
import { isChatWebUrl, isDiscordWebUrl, isSlackWebUrl } from "../../src/chat/web-link.js";

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
