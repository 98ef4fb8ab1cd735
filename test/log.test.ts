import { describe, expect, it } from "vitest";
import { createLogger, describeError, type LogFields } from "../src/log.js";

function capture() {
  const printed: Record<string, unknown>[] = [];
  return { printed, log: createLogger((line) => printed.push(JSON.parse(line) as Record<string, unknown>)) };
}

describe("createLogger", () => {
  it("writes one JSON line with level, event, base fields and the line's fields", () => {
    const { printed, log } = capture();
    log.with({ request_id: "r1" }).warn("thing.failed", { error_code: "timeout" });
    expect(printed).toEqual([{ level: "warn", event: "thing.failed", request_id: "r1", error_code: "timeout" }]);
  });

  it("masks values pushed onto a masking list after the logger was made, in every field", () => {
    const { printed, log } = capture();
    const secrets: string[] = [];
    const masked = log.masking(secrets);
    secrets.push("opaque-signing-secret-0123", "another-opaque-token");
    masked.with({ note: "base opaque-signing-secret-0123" }).error("library.said", { error: "sent another-opaque-token", list: ["x another-opaque-token"] });
    expect(printed[0]).toEqual({ level: "error", event: "library.said", note: "base [redacted]", error: "sent [redacted]", list: ["x [redacted]"] });
  });

  it("masks a typed text whole, line by line, and by its start when a message cuts it short", () => {
    const { printed, log } = capture();
    const typed = ["A long title someone typed into the modal, longer than a quote", "first line\nsecond line"];
    const masked = log.masking(typed, "[typed text]");
    masked.info("a", { whole: typed[0], cut: `instead was "${typed[0]!.slice(0, 40)}"`, line: 'quoted "second line"' });
    expect(printed[0]).toMatchObject({ whole: "[typed text]", cut: 'instead was "[typed text]ongr"'.replace("ongr", typed[0]!.slice(32, 40)), line: 'quoted "[typed text]"' });
  });

  it("leaves values shorter than four characters alone: they would blank ids and codes", () => {
    const { printed, log } = capture();
    log.masking(["ok"]).info("request", { outcome: "ok" });
    expect(printed[0]).toMatchObject({ outcome: "ok" });
  });

  it("hands every line to a tap before writing it, through derived loggers too", () => {
    const { log } = capture();
    const seen: [string, string, LogFields][] = [];
    log.tap((level, event, fields) => seen.push([level, event, fields])).with({ request_id: "r2" }).error("x", { error_code: "e" });
    expect(seen).toEqual([["error", "x", { request_id: "r2", error_code: "e" }]]);
  });

  it("redacts tokens by shape even without a mask", () => {
    const { printed, log } = capture();
    log.info("x", { error: "xoxb-123-abc and ntn_abcdefghij and Bearer abc.def" });
    expect(printed[0]!.error).toBe("[redacted] and [redacted] and [redacted]");
  });
});

describe("describeError", () => {
  it("gives the code, the message and the cause's name and message", () => {
    const cause = new TypeError("fetch failed");
    const error = Object.assign(new Error("Slack views.open failed: network_error", { cause }), { code: "network_error" });
    expect(describeError(error)).toEqual({ error_code: "network_error", error: "Slack views.open failed: network_error", error_cause: "TypeError: fetch failed" });
  });
});
