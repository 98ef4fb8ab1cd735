import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { packButtonId, packFormId, parkingKey, unpackButtonId, unpackFormId, type Parked } from "../../../src/platforms/discord/custom-id.js";
import { discordLength } from "../../../src/platforms/discord/limits.js";

const PAGE = "1f2e3d4c-5b6a-4798-8a7b-6c5d4e3f2a1b";

describe("button custom_ids", () => {
  it("carry the action, the row and the value when they fit in 100 characters", () => {
    const parked: Parked[] = [];
    expect(packButtonId("task_status_start", "task_status/confirmation", PAGE, parked)).toBe(`task_status_start;task_status/confirmation;${PAGE}`);
    expect(packButtonId("home_refresh", undefined, undefined, parked)).toBe("home_refresh");
    expect(parked).toEqual([]);
    expect(unpackButtonId(`task_status_start;task_status/confirmation;${PAGE}`)).toEqual({ action: "task_status_start", rowId: "task_status/confirmation", value: PAGE, parkedKey: undefined });
    expect(unpackButtonId("home_refresh")).toEqual({ action: "home_refresh", rowId: undefined, value: undefined, parkedKey: undefined });
  });

  it("park a value that does not fit (the reminder's excerpt) and carry its key", () => {
    const parked: Parked[] = [];
    const value = JSON.stringify({ v: 1, x: "a long excerpt ".repeat(20) });
    const id = packButtonId("create_task_from_reminder", undefined, value, parked);
    expect(parked).toEqual([{ key: parkingKey(value), value }]);
    expect(discordLength(id)).toBeLessThanOrEqual(100);
    expect(unpackButtonId(id)).toEqual({ action: "create_task_from_reminder", rowId: undefined, value: undefined, parkedKey: parkingKey(value) });
  });

  it("always park a value that starts with the parked mark, so it cannot pass for a key", () => {
    const parked: Parked[] = [];
    const id = packButtonId("a", undefined, "~short", parked);
    expect(parked).toHaveLength(1);
    expect(unpackButtonId(id)?.parkedKey).toBe(parkingKey("~short"));
  });

  it("read back every value packed, within 100 characters", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), fc.option(fc.constantFrom("row", "task_status/announcement"), { nil: undefined }), (value, row) => {
        const parked: Parked[] = [];
        const id = packButtonId("act", row, value, parked);
        expect(discordLength(id)).toBeLessThanOrEqual(100);
        const read = unpackButtonId(id);
        expect(read?.rowId).toBe(row);
        expect(read?.value ?? parked.find((entry) => entry.key === read?.parkedKey)?.value).toBe(value);
      }),
    );
  });

  it("refuse ids this bot never writes", () => {
    expect(unpackButtonId("")).toBeUndefined();
    expect(unpackButtonId("bad id")).toBeUndefined();
    expect(unpackButtonId("a;b c;v")).toBeUndefined();
    expect(unpackButtonId("a;;~short")).toBeUndefined();
    expect(() => packButtonId("a;b", undefined, undefined, [])).toThrow(RangeError);
  });
});

describe("modal custom_ids", () => {
  it("carry the form id and its context as a query string", () => {
    const parked: Parked[] = [];
    const id = packFormId("task_modal", { message: "1500000000000000001", author: "1400000000000000002" }, parked);
    expect(id).toBe("task_modal;author=1400000000000000002&message=1500000000000000001");
    expect(unpackFormId(id)).toEqual({ formId: "task_modal", context: { author: "1400000000000000002", message: "1500000000000000001" }, parkedKey: undefined });
  });

  it("park a context over 100 characters", () => {
    const parked: Parked[] = [];
    const id = packFormId("task_modal", { link: `https://discord.com/channels/${"1".repeat(19)}/${"2".repeat(19)}/${"3".repeat(19)}`, author: "4".repeat(19) }, parked);
    expect(parked).toHaveLength(1);
    expect(unpackFormId(id)).toEqual({ formId: "task_modal", context: {}, parkedKey: parked[0]?.key });
  });

  it("keep a context key of __proto__ as a key", () => {
    const read = unpackFormId("f;__proto__=x");
    expect(Object.getPrototypeOf(read?.context)).toBe(Object.prototype);
    expect(Object.hasOwn(read?.context ?? {}, "__proto__")).toBe(true);
  });
});
