import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Place } from "../../src/chat/model.js";
import { decodePlace, encodePlace, sameConversation } from "../../src/chat/place.js";

describe("encodePlace", () => {
  it("writes platform:workspace:conversation and leaves off absent trailing parts", () => {
    expect(encodePlace({ platform: "discord", workspace: "1200", conversation: "1300" })).toBe("discord:1200:1300");
    expect(encodePlace({ platform: "slack", workspace: "T1", conversation: "C1", thread: "1700000000.000100" })).toBe("slack:T1:C1:1700000000.000100");
    expect(encodePlace({ platform: "discord", workspace: "@me", conversation: "1300", message: "1500" })).toBe("discord:@me:1300::1500");
  });

  it("escapes colons and percent signs, as a Teams conversation id holds them", () => {
    const place: Place = { platform: "teams", workspace: "tenant", conversation: "19:abc@thread.tacv2;messageid=1%2" };
    expect(encodePlace(place)).toBe("teams:tenant:19%3Aabc@thread.tacv2;messageid=1%252");
    expect(decodePlace(encodePlace(place))).toEqual(place);
  });

  it("refuses a place no platform produces: no conversation, whitespace, control characters", () => {
    expect(() => encodePlace({ platform: "slack", workspace: "T1", conversation: "" })).toThrow(RangeError);
    expect(() => encodePlace({ platform: "slack", workspace: "T1", conversation: "C 1" })).toThrow(RangeError);
    expect(() => encodePlace({ platform: "slack", workspace: "T1", conversation: "C1\n" })).toThrow(RangeError);
  });
});

describe("decodePlace", () => {
  it("reads back every place it could have written", () => {
    const segment = fc.string({ unit: fc.constantFrom("a", "1", ".", ":", "%", "@", "-", "é", "😀"), minLength: 1, maxLength: 12 });
    const place = fc.record(
      {
        platform: fc.constantFrom("slack", "discord", "teams", "mattermost" as const),
        workspace: fc.oneof(fc.constant(""), segment),
        conversation: segment,
        thread: segment,
        message: segment,
      },
      { requiredKeys: ["platform", "workspace", "conversation"] },
    );
    fc.assert(
      fc.property(place, (value) => {
        expect(decodePlace(encodePlace(value))).toEqual(value);
      }),
    );
  });

  it("refuses text encodePlace never writes: an unknown platform, too few or many parts, a stray escape, a trailing empty part", () => {
    for (const text of ["irc:x:y", "discord:1200", "discord:1:2:3:4:5", "discord:1:%41", "discord:1:2:", "discord:1::", "discord:1: 2", "", "discord::"]) {
      expect(decodePlace(text), text).toBeUndefined();
    }
  });

  it("never throws, whatever it is given", () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (text) => void decodePlace(text)));
  });
});

describe("sameConversation", () => {
  it("compares platform, workspace and conversation, not the message", () => {
    const a: Place = { platform: "discord", workspace: "1", conversation: "2", message: "3" };
    expect(sameConversation(a, { platform: "discord", workspace: "1", conversation: "2" })).toBe(true);
    expect(sameConversation(a, { platform: "discord", workspace: "9", conversation: "2" })).toBe(false);
    expect(sameConversation(a, { platform: "slack", workspace: "1", conversation: "2" })).toBe(false);
  });
});
