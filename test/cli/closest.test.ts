import { describe, expect, it } from "vitest";
import { closest, didYouMean } from "../../src/cli/closest.js";

describe("closest", () => {
  it("finds a name one edit away, a swap of neighbours counting as one", () => {
    expect(closest("--priorty", ["--priority", "--title"])).toBe("--priority");
    expect(closest("tsak", ["task", "state"])).toBe("task");
  });

  it("finds a name that contains the typed one, case aside", () => {
    expect(closest("fix LOGIN", ["Plan the offsite", "Fix login on Safari"])).toBe("Fix login on Safari");
  });

  it("finds nothing for a name far from all, or for a letter or two contained by chance", () => {
    expect(closest("Nope", ["Fix login", "Plan the offsite"])).toBeUndefined();
    expect(closest("f", ["Fix login"])).toBeUndefined();
    expect(closest("", ["Fix login"])).toBeUndefined();
  });

  it("prefers the nearer of two", () => {
    expect(closest("click", ["clock", "click"])).toBe("click");
  });

  it("says it as a question, or says nothing", () => {
    expect(didYouMean("Don", ["Done"], (name) => `"${name}"`)).toBe(' Did you mean "Done"?');
    expect(didYouMean("Nope", ["Done"])).toBe("");
  });
});
