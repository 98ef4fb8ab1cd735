import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { boundFields, createLogger, describeError, FIELD_MAX, LIST_MAX, type LogFields } from "../src/log.js";
import { binaryString } from "../dev/hostile-payloads.js";

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

/** What a string costs in a written line: its JSON form's UTF-8 bytes, quotes left out. */
const written = (text: string) => Buffer.byteLength(JSON.stringify(text)) - 2;

describe("bounding what is logged", () => {
  it("cuts a 1,000,000-character field to FIELD_MAX bytes as written, ending with an ellipsis", () => {
    const printed: string[] = [];
    createLogger((line) => printed.push(line)).info("request", { callback_id: "x".repeat(1_000_000) });
    const field = (JSON.parse(printed[0]!) as { callback_id: string }).callback_id;
    expect(written(field)).toBeLessThanOrEqual(FIELD_MAX);
    expect(field).toBe(`${"x".repeat(FIELD_MAX - 3)}…`);
    expect(Buffer.byteLength(printed[0]!)).toBeLessThan(FIELD_MAX + 100);
  });

  it("counts a field as written: control characters escape to six bytes each, so fewer of them fit", () => {
    const field = boundFields({ id: "\u0000".repeat(255) }).id as string;
    expect(written(field)).toBeLessThanOrEqual(FIELD_MAX);
    expect(field.length).toBeLessThan(60);
  });

  it("never cuts an emoji in half", () => {
    const field = boundFields({ name: "😀".repeat(1_000) }).name as string;
    expect(field.endsWith("…")).toBe(true);
    expect(field.slice(0, -1)).toBe("😀".repeat(field.slice(0, -1).length / 2));
    expect(field.isWellFormed()).toBe(true);
  });

  it("leaves a field within the bound as it is", () => {
    const id = "U0ALICE".repeat(40);
    expect(boundFields({ id, count: 3, ok: true, none: undefined })).toEqual({ id, count: 3, ok: true, none: undefined });
  });

  it("keeps at most LIST_MAX items of a list, each bounded", () => {
    const list = boundFields({ problems: Array.from({ length: 1_000 }, () => "p".repeat(10_000)) }).problems as string[];
    expect(list).toHaveLength(LIST_MAX);
    for (const item of list) expect(written(item)).toBeLessThanOrEqual(FIELD_MAX);
  });

  it("bounds every string, whatever it holds", () => {
    fc.assert(
      fc.property(binaryString(600), (text) => {
        const field = boundFields({ text }).text as string;
        expect(written(field)).toBeLessThanOrEqual(FIELD_MAX);
        // Cut only when it had to be, and then to a start of the text.
        if (written(text) <= FIELD_MAX) expect(field).toBe(text);
        else expect(text.startsWith(field.slice(0, -1))).toBe(true);
      }),
    );
  });
});

describe("describeError", () => {
  it("gives the code, the message and the cause's name and message", () => {
    const cause = new TypeError("fetch failed");
    const error = Object.assign(new Error("Slack views.open failed: network_error", { cause }), { code: "network_error" });
    expect(describeError(error)).toEqual({ error_code: "network_error", error: "Slack views.open failed: network_error", error_cause: "TypeError: fetch failed" });
  });
});
