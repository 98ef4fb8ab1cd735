import { describe, expect, it } from "vitest";
import { boundedFetch, readLengthRefusal } from "../../src/notion/client.js";
import { createPacer } from "../../src/notion/pace-requests.js";

/** boundedFetch over scripted answers, recording each request's method and path and each wait. */
function scripted(statuses: { status: number; retryAfter?: string }[]) {
  const requests: string[] = [];
  const sleeps: number[] = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    requests.push(`${init?.method ?? "GET"} ${new URL(String(input)).pathname}`);
    const next = statuses.shift() ?? { status: 200 };
    return new Response("{}", { status: next.status, headers: next.retryAfter ? { "retry-after": next.retryAfter } : {} });
  };
  const bounded = boundedFetch(fetchImpl, { timeoutMs: 1_000, sleep: async (ms) => void sleeps.push(ms) });
  return { bounded, requests, sleeps };
}

describe("boundedFetch", () => {
  it("starts a request's timeout when its pacing turn comes: a wait in the line is not the request's", async () => {
    // The line's wait is real here (2.5 s), and longer than the timeout (2 s), which is the subject.
    const pacer = createPacer({ perWindow: 1, windowMs: 2_500 });
    const fetchImpl: typeof fetch = async (_input, init) => {
      if (init?.signal?.aborted) throw new DOMException("The operation was aborted due to timeout", "TimeoutError");
      return new Response("{}");
    };
    const bounded = boundedFetch(fetchImpl, { timeoutMs: 2_000, sleep: async () => {}, pacer });
    const answers = await Promise.all([bounded("https://api.notion.com/v1/users"), bounded("https://api.notion.com/v1/users")]);
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
  });

  it("retries a 503 on a query, which only reads", async () => {
    const { bounded, requests, sleeps } = scripted([{ status: 503 }]);
    const response = await bounded("https://api.notion.com/v1/data_sources/ds1/query", { method: "POST" });
    expect(response.status).toBe(200);
    expect(requests).toEqual(["POST /v1/data_sources/ds1/query", "POST /v1/data_sources/ds1/query"]);
    expect(sleeps).toEqual([300]);
  });

  it("never repeats a page create after a 500 or 503: it may have been carried out", async () => {
    const { bounded, requests } = scripted([{ status: 503 }]);
    expect((await bounded("https://api.notion.com/v1/pages", { method: "POST" })).status).toBe(503);
    expect(requests).toHaveLength(1);
  });

  it("honours a Retry-After within the cap", async () => {
    const { bounded, sleeps } = scripted([{ status: 429, retryAfter: "1" }]);
    expect((await bounded("https://api.notion.com/v1/pages", { method: "POST" })).status).toBe(200);
    expect(sleeps).toEqual([1_000]);
  });

  it("answers a Retry-After over the cap at once instead of cutting it short into a second 429", async () => {
    const { bounded, requests, sleeps } = scripted([{ status: 429, retryAfter: "5" }, { status: 429, retryAfter: "5" }]);
    expect((await bounded("https://api.notion.com/v1/pages", { method: "POST" })).status).toBe(429);
    expect(requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
  });
});

describe("readLengthRefusal", () => {
  it("names the page body as the description, with Notion's limit", () => {
    expect(readLengthRefusal("body failed validation: body.children[0].paragraph.rich_text[0].text.content.length should be ≤ `2000`, instead was `4000`.")).toEqual({ field: "description", limit: 2000 });
  });

  it("names a property, spaces and all", () => {
    expect(readLengthRefusal("body failed validation: body.properties.Requested by.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.")).toEqual({ field: "Requested by", limit: 2000 });
    expect(readLengthRefusal("body failed validation: body.properties.Name.title[0].text.content.length should be ≤ `2000`, instead was `2002`.")).toEqual({ field: "Name", limit: 2000 });
  });

  it("leaves out a property name that could carry markup", () => {
    expect(readLengthRefusal("body failed validation: body.properties.<!here>.rich_text[0].text.content.length should be ≤ `2000`, instead was `2001`.")).toEqual({ field: undefined, limit: 2000 });
  });

  it("reads nothing from another validation message", () => {
    expect(readLengthRefusal("Status is not a property that exists.")).toBeUndefined();
  });
});
