import { describe, expect, it } from "vitest";
import { readLengthRefusal } from "../../src/notion/client.js";

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
