import { describe, expect, it } from "vitest";
import { describeRequester, readRequesterText, requesterIds, requesterKeys, requesterSearchTerm } from "../../src/notion/requester.js";

const bob = { platform: "slack" as const, userId: "U0BOB", name: "Bob" };
const alice = { platform: "slack" as const, userId: "U0ALICE", name: "Alice" };
const dana = { platform: "discord" as const, userId: "1400000000000000002", name: "Dana" };

describe("describeRequester", () => {
  it("writes a Slack requester as every board already holds it", () => {
    expect(describeRequester({ requester: bob, messageAuthor: undefined })).toBe("Bob (U0BOB)");
    expect(describeRequester({ requester: bob, messageAuthor: alice })).toBe("Bob (U0BOB), from a message by Alice (U0ALICE)");
    expect(describeRequester({ requester: bob, messageAuthor: bob })).toBe("Bob (U0BOB)");
  });

  it("writes a Discord requester with its platform, so a snowflake is never read as another platform's id", () => {
    expect(describeRequester({ requester: dana, messageAuthor: undefined })).toBe("Dana (discord:1400000000000000002)");
    expect(describeRequester({ requester: dana, messageAuthor: { ...dana, userId: "1400000000000000003", name: "Eve" } })).toBe(
      "Dana (discord:1400000000000000002), from a message by Eve (discord:1400000000000000003)",
    );
  });

  it("names the author of a message on another platform even when the ids are alike", () => {
    expect(describeRequester({ requester: dana, messageAuthor: { platform: "teams", userId: dana.userId, name: "Dana" } })).toContain("from a message by");
  });
});

describe("reading requester text", () => {
  it("reads a Slack requester as before", () => {
    expect(readRequesterText("Bob (U0BOB), from a message by Alice (U0ALICE)")).toEqual({
      names: "Bob, from a message by Alice",
      requester: { platform: "slack", userId: "U0BOB" },
      slackUserId: "U0BOB",
    });
    expect(requesterKeys("Bob (U0BOB), from a message by Alice (U0ALICE)")).toEqual(["U0BOB", "U0ALICE"]);
  });

  it("reads a Discord requester, who has no Slack id", () => {
    expect(readRequesterText("Dana (discord:1400000000000000002)")).toEqual({ names: "Dana", requester: { platform: "discord", userId: "1400000000000000002" }, slackUserId: undefined });
    expect(requesterKeys("Dana (discord:1400000000000000002), from a message by Bob (U0BOB)")).toEqual(["discord:1400000000000000002", "U0BOB"]);
    expect(requesterIds("Dana (discord:1400000000000000002), from a message by Bob (U0BOB)")).toEqual([
      { platform: "discord", userId: "1400000000000000002" },
      { platform: "slack", userId: "U0BOB" },
    ]);
  });

  it("reads text a person typed on the board as names only", () => {
    expect(readRequesterText("Ops team (see thread)")).toEqual({ names: "Ops team (see thread)", requester: undefined, slackUserId: undefined });
    expect(readRequesterText("Dana (discord:12)")).toMatchObject({ requester: undefined });
  });

  it("reads back what it writes, for every platform", () => {
    for (const person of [bob, dana]) {
      expect(readRequesterText(describeRequester({ requester: person, messageAuthor: alice })).requester).toEqual({ platform: person.platform, userId: person.userId });
    }
  });
});

describe("requesterSearchTerm", () => {
  it("finds a Slack requester by the id in parentheses, as boards hold it", () => {
    expect(requesterSearchTerm({ platform: "slack", userId: "U0BOB" })).toBe("(U0BOB)");
  });

  it("finds a Discord requester by platform and id, which no Slack requester's text contains", () => {
    const term = requesterSearchTerm({ platform: "discord", userId: "1400000000000000002" });
    expect(term).toBe("(discord:1400000000000000002)");
    expect(describeRequester({ requester: dana, messageAuthor: undefined })).toContain(term);
    expect(describeRequester({ requester: { platform: "slack", userId: "U1400000000000000002", name: "x" }, messageAuthor: undefined })).not.toContain(term);
  });

  it("writes and reads back a Mattermost requester by its id, which the status loop finds to tell", () => {
    const mia = { platform: "mattermost" as const, userId: "m".repeat(26), name: "Mia" };
    const text = describeRequester({ requester: mia, messageAuthor: { platform: "mattermost", userId: "n".repeat(26), name: "Ned" } });
    expect(text).toBe(`Mia (mattermost:${"m".repeat(26)}), from a message by Ned (mattermost:${"n".repeat(26)})`);
    expect(readRequesterText(text).requester).toEqual({ platform: "mattermost", userId: "m".repeat(26) });
    expect(requesterKeys(text)).toEqual([`mattermost:${"m".repeat(26)}`, `mattermost:${"n".repeat(26)}`]);
  });
});

describe("a Teams requester", () => {
  const erin = { platform: "teams" as const, userId: "29:1erin-AbC_09", name: "Erin" };
  const author = { platform: "teams" as const, userId: "00000000-0000-4000-8000-00000000a11c", name: "Alice" };

  it("is written with its platform, searched by it, and read back with a message author's Entra id", () => {
    const text = describeRequester({ requester: erin, messageAuthor: author });
    expect(text).toBe("Erin (teams:29:1erin-AbC_09), from a message by Alice (teams:00000000-0000-4000-8000-00000000a11c)");
    expect(text).toContain(requesterSearchTerm(erin));
    expect(requesterIds(text)).toEqual([{ platform: "teams", userId: erin.userId }, { platform: "teams", userId: author.userId }]);
    expect(readRequesterText(text)).toMatchObject({ names: "Erin, from a message by Alice", requester: { platform: "teams", userId: erin.userId }, slackUserId: undefined });
  });
});
