import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isAllowedResponseUrl, refusedUrlForLog, isSlackWebUrl } from "../../../src/platforms/slack/outbound.js";

/** The right part most of the time, else one of the near misses: most URLs are wrong in one part only. */
const rightOr = (right: string, ...misses: string[]) => fc.oneof({ weight: 3, arbitrary: fc.constant(right) }, { weight: 2, arbitrary: fc.constantFrom(...misses) });

/**
 * URLs put together around Slack's hooks host, each part right or a near miss (scheme, credentials,
 * spelling of the host, port, what follows), or any domain: where a wrong answer would hide.
 */
const nearHooksUrl = fc
  .tuple(
    rightOr("https", "HTTPS", "http", "wss", "ftp", "javascript"),
    rightOr("", "user@", "user:pw@", ":@", "hooks.slack.com@", "%40@"),
    fc.oneof(
      rightOr("hooks.slack.com", "HOOKS.Slack.COM", "hooks.slack.com.", "hooks%2Eslack.com", "hooks.slack.com.evil.example", "evilhooks.slack.com", "hooks-slack.com", "hooks.slack.co", "slack.com", "169.254.169.254", "[::1]", "0x7f000001", "hooks.slack.com%00.evil", ""),
      fc.domain(),
    ),
    rightOr("", ":443", ":8443", ":80", ":0", ":"),
    rightOr("/actions/T0TEAM/1/abc", "", "/", "/../x", "?next=https://hooks.slack.com/", "#hooks.slack.com", "\\\\evil.example/", "@evil.example/"),
  )
  .map(([scheme, credentials, host, port, rest]) => `${scheme}://${credentials}${host}${port}${rest}`);

/** An emulator's or a proxy's SLACK_API_URL: its origin is allowed as well as Slack's hooks host. */
const EMULATOR_API_URL = "http://127.0.0.1:3001/api/";

describe("isAllowedResponseUrl", () => {
  it.each([
    "https://hooks.slack.com/commands/T0TEAM/1/abc",
    "https://hooks.slack.com/actions/T0TEAM/2/def",
    "https://HOOKS.SLACK.COM/actions/T0TEAM/2/def",
    "https://hooks.slack.com:443/actions/T0TEAM/2/def",
  ])("allows Slack's hooks host over https: %s", (url) => {
    expect(isAllowedResponseUrl(url)).toBe(true);
  });

  it.each([
    ["the cloud's metadata service", "http://169.254.169.254/latest/meta-data/"],
    ["the metadata service over https", "https://169.254.169.254/latest/meta-data/"],
    ["a private address", "http://10.0.0.1/"],
    ["loopback as one hex number", "http://0x7f000001/"],
    ["loopback", "http://127.0.0.1/"],
    ["IPv6 loopback", "http://[::1]/"],
    ["Slack's host as credentials before another host", "https://hooks.slack.com@evil.example/x"],
    ["Slack's host as a prefix of another host", "https://hooks.slack.com.evil.example/x"],
    ["Slack's host as a suffix of another host", "https://evilhooks.slack.com/x"],
    ["another Slack host", "https://slack.com/api/chat.postMessage"],
    ["Slack's hooks host over http", "http://hooks.slack.com/actions/T0TEAM/2/def"],
    ["Slack's hooks host on another port", "https://hooks.slack.com:8443/actions/T0TEAM/2/def"],
    ["Slack's hooks host with credentials", "https://user:secret@hooks.slack.com/actions/T0TEAM/2/def"],
    ["Slack's hooks host with a trailing dot", "https://hooks.slack.com./actions/T0TEAM/2/def"],
    ["another scheme", "ftp://hooks.slack.com/x"],
    ["a file", "file:///etc/passwd"],
    ["a data URL", "data:text/plain,hello"],
    ["text that is not a URL", "hooks.slack.com/actions/T0TEAM/2/def"],
    ["nothing", ""],
  ])("refuses %s: %s", (_name, url) => {
    expect(isAllowedResponseUrl(url)).toBe(false);
    expect(isAllowedResponseUrl(url, EMULATOR_API_URL)).toBe(false);
  });

  it("allows SLACK_API_URL's own origin, and only it, when the bot is pointed at an emulator or a proxy", () => {
    expect(isAllowedResponseUrl("http://127.0.0.1:3001/actions/T0TEAM/1/abc", EMULATOR_API_URL)).toBe(true);
    expect(isAllowedResponseUrl("http://127.0.0.1:3001/actions/T0TEAM/1/abc")).toBe(false);
    expect(isAllowedResponseUrl("http://127.0.0.1:3002/actions/T0TEAM/1/abc", EMULATOR_API_URL)).toBe(false);
    expect(isAllowedResponseUrl("https://127.0.0.1:3001/actions/T0TEAM/1/abc", EMULATOR_API_URL)).toBe(false);
    expect(isAllowedResponseUrl("http://localhost:3001/actions/T0TEAM/1/abc", EMULATOR_API_URL)).toBe(false);
    expect(isAllowedResponseUrl("http://user:pw@127.0.0.1:3001/actions/T0TEAM/1/abc", EMULATOR_API_URL)).toBe(false);
    expect(isAllowedResponseUrl("http://127.0.0.1:3001/x", "not a url")).toBe(false);
  });

  it("allows nothing whose parsed host is not exactly Slack's hooks host", () => {
    fc.assert(
      fc.property(nearHooksUrl, (url) => {
        const parsed = URL.canParse(url) ? new URL(url) : undefined;
        const expected = parsed?.protocol === "https:" && parsed.hostname === "hooks.slack.com" && parsed.port === "" && parsed.username === "" && parsed.password === "";
        expect(isAllowedResponseUrl(url)).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});

describe("refusedUrlForLog", () => {
  it("names the scheme and the host that would have been called, never credentials, path or query", () => {
    expect(refusedUrlForLog("http://169.254.169.254/latest/meta-data/iam/security-credentials/")).toBe("http://169.254.169.254");
    expect(refusedUrlForLog("https://hooks.slack.com@evil.example/x?token=abc")).toBe("https://evil.example");
    expect(refusedUrlForLog("https://user:secret@10.0.0.1:8443/hooks/T0/1/capability")).toBe("https://10.0.0.1:8443");
    expect(refusedUrlForLog("http://0x7f000001/")).toBe("http://127.0.0.1");
    expect(refusedUrlForLog("http://hooks.slack.com/actions/T0TEAM/2/live-capability")).toBe("http://hooks.slack.com");
  });

  it("says so when the text is not a URL, without repeating it", () => {
    expect(refusedUrlForLog("not a url with a secret-ish tail")).toBe("(not a URL)");
  });
});

describe("isSlackWebUrl: the only links a task's Slack link may hold", () => {
  it.each(["https://slack.com/archives/C1/p1", "https://example.slack.com/archives/C1/p1?thread_ts=1.2", "https://slack.com/app_redirect?channel=C1&team=T1", "https://acme.enterprise.slack.com/archives/C1/p1"])("accepts %s", (url) => {
    expect(isSlackWebUrl(url)).toBe(true);
  });

  it.each(["http://slack.com/archives/C1", "https://slack.com.evil.example/x", "https://evilslack.com/x", "https://user@slack.com/x", "https://slack.com:8443/x", "javascript:alert(1)", "not a url"])("refuses %s", (url) => {
    expect(isSlackWebUrl(url)).toBe(false);
  });
});
