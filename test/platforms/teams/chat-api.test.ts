import { describe, expect, it } from "vitest";
import { TEAMS_RATE_LIMIT_WAIT_MS, toChatError } from "../../../src/platforms/teams/chat-api.js";
import { TeamsApiError } from "../../../src/platforms/teams/connector.js";

describe("toChatError", () => {
  it("gives a 429 without Retry-After (Teams sends none) the docs' backoff, not a wait of 0 that retries at once into the same limit", () => {
    expect(toChatError(new TeamsApiError("send_to_conversation", 429, { code: "Throttled" }))).toMatchObject({ code: "rate_limited", retryAfterMs: TEAMS_RATE_LIMIT_WAIT_MS });
    expect(TEAMS_RATE_LIMIT_WAIT_MS).toBeGreaterThanOrEqual(2_000);
    expect(toChatError(new TeamsApiError("send_to_conversation", 429, { retryAfterMs: 7_000 }))).toMatchObject({ retryAfterMs: 7_000 });
  });

  it("reads 412 PreconditionFailed, which Teams' docs say to try again, as an http_error, not a refused request", () => {
    expect(toChatError(new TeamsApiError("update_activity", 412, { code: "PreconditionFailed" }))).toMatchObject({ code: "http_error", platformCode: "PreconditionFailed" });
    expect(toChatError(new TeamsApiError("send_to_conversation", 413, { code: "MessageSizeTooBig" }))).toMatchObject({ code: "invalid_request" });
  });
});
