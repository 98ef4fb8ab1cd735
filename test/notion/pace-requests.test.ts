import { describe, expect, it } from "vitest";
import { paceRequests } from "../../src/notion/pace-requests.js";

/** A fake clock that waiting moves forward, and a server that takes `latencyMs` to answer. */
function paced({ perWindow = 3, latencyMs = 150 } = {}) {
  let clock = 0;
  const sent: { url: string; at: number }[] = [];
  const fetchImpl = (async (input: string | URL | Request) => {
    sent.push({ url: String(input), at: clock });
    clock += latencyMs;
    return new Response("{}");
  }) as typeof fetch;
  const pacedFetch = paceRequests(fetchImpl, {
    perWindow,
    windowMs: 1_000,
    now: () => clock,
    wait: async (ms) => {
      clock += ms;
    },
  });
  return { pacedFetch, sent, advance: (ms: number) => (clock += ms) };
}

describe("paceRequests", () => {
  it("sends three at once and the fourth a second after the first was answered", async () => {
    const { pacedFetch, sent } = paced();
    for (let i = 0; i < 4; i++) await pacedFetch("https://api.notion.com/v1/x");
    expect(sent.map((request) => request.at)).toEqual([0, 150, 300, 1_150]);
  });

  it("does not hold back requests spread out already", async () => {
    const { pacedFetch, sent, advance } = paced();
    for (let i = 0; i < 5; i++) {
      await pacedFetch("https://api.notion.com/v1/x");
      advance(400);
    }
    expect(sent.map((request) => request.at)).toEqual([0, 550, 1_100, 1_650, 2_200]);
  });

  it("counts each origin on its own", async () => {
    const { pacedFetch, sent } = paced({ perWindow: 1, latencyMs: 0 });
    await pacedFetch("https://api.notion.com/v1/a");
    await pacedFetch("https://slack.com/api/chat.postMessage");
    expect(sent.map((request) => request.at)).toEqual([0, 0]);
  });

  it("queues concurrent requests one behind the other", async () => {
    const { pacedFetch, sent } = paced({ perWindow: 1, latencyMs: 0 });
    await Promise.all(["a", "b", "c"].map((path) => pacedFetch(`https://api.notion.com/v1/${path}`)));
    expect(sent.map((request) => request.at)).toEqual([0, 1_000, 2_000]);
  });

  it("counts a failed request too", async () => {
    let clock = 0;
    const sent: number[] = [];
    const failing = (async () => {
      sent.push(clock);
      throw new TypeError("fetch failed");
    }) as unknown as typeof fetch;
    const pacedFetch = paceRequests(failing, { perWindow: 1, windowMs: 1_000, now: () => clock, wait: async (ms) => void (clock += ms) });
    await expect(pacedFetch("https://api.notion.com/v1/a")).rejects.toThrow("fetch failed");
    await expect(pacedFetch("https://api.notion.com/v1/a")).rejects.toThrow("fetch failed");
    expect(sent).toEqual([0, 1_000]);
  });

  it("sends a write ahead of the reads waiting for their turn", async () => {
    const { pacedFetch, sent } = paced({ perWindow: 1, latencyMs: 0 });
    const reads = ["a", "b", "c"].map((path) => pacedFetch(`https://api.notion.com/v1/data_sources/${path}/query`, { method: "POST" }));
    const write = pacedFetch("https://api.notion.com/v1/pages", { method: "POST" });
    await Promise.all([...reads, write]);
    expect(sent.map((request) => `${new URL(request.url).pathname} at ${request.at}`)).toEqual([
      "/v1/data_sources/a/query at 0",
      "/v1/pages at 1000",
      "/v1/data_sources/b/query at 2000",
      "/v1/data_sources/c/query at 3000",
    ]);
  });

  it("after a 429, holds reads for its Retry-After as given, while a write keeps its turn", async () => {
    let clock = 0;
    const sent: string[] = [];
    let refuse = true;
    const fetchImpl = (async (input: string | URL | Request) => {
      sent.push(`${new URL(String(input)).pathname} at ${clock}`);
      if (refuse) {
        refuse = false;
        return new Response("{}", { status: 429, headers: { "retry-after": "5" } });
      }
      return new Response("{}");
    }) as typeof fetch;
    const pacedFetch = paceRequests(fetchImpl, { perWindow: 3, windowMs: 1_000, now: () => clock, wait: async (ms) => void (clock += ms) });
    expect((await pacedFetch("https://api.notion.com/v1/users")).status).toBe(429);
    const write = pacedFetch("https://api.notion.com/v1/pages/p", { method: "PATCH" });
    await write;
    await pacedFetch("https://api.notion.com/v1/users");
    expect(sent).toEqual(["/v1/users at 0", "/v1/pages/p at 0", "/v1/users at 5000"]);
  });
});
