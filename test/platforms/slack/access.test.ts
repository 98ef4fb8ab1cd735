import { describe, expect, it } from "vitest";
import { checkWorkspace, personOfCommand, personOfInteraction } from "../../../src/platforms/slack/access.js";

const policy = { allowedTeamIds: ["T0OURS"], appId: undefined, allowedChannelIds: undefined };

describe("personOfInteraction", () => {
  it("is the person's own workspace, not the one they acted in", () => {
    expect(personOfInteraction({ user: { team_id: "T0OTHER" }, team: { id: "T0OURS" } })).toEqual(["T0OTHER"]);
  });

  it("counts an Enterprise Grid member acting inside their own org as the workspace they acted in too", () => {
    expect(personOfInteraction({ user: { team_id: "E0ORG" }, team: { id: "T0OURS", enterprise_id: "E0ORG" }, enterprise: { id: "E0ORG" } })).toEqual(["E0ORG", "T0OURS"]);
    expect(personOfInteraction({ user: { team_id: "E0THEIRS" }, team: { id: "T0OURS" }, enterprise: { id: "E0ORG" } })).toEqual(["E0THEIRS"]);
  });

  it("goes by user.team_id alone when team is null (an org-wide install), and is nothing when Slack did not say", () => {
    expect(personOfInteraction({ user: { team_id: "E0ORG" }, team: null, enterprise: { id: "E0ORG" } })).toEqual(["E0ORG"]);
    expect(personOfInteraction({ user: {}, team: { id: "T0OURS" } })).toEqual([]);
  });
});

describe("personOfCommand", () => {
  it("is the command's team, and its Enterprise Grid org when it has one", () => {
    expect(personOfCommand({ team_id: "T0OURS" })).toEqual(["T0OURS"]);
    expect(personOfCommand({ team_id: "T0SISTER", enterprise_id: "E0ORG" })).toEqual(["T0SISTER", "E0ORG"]);
  });
});

describe("checkWorkspace", () => {
  it("admits a person when any of their workspaces is listed, and no one Slack said nothing about", () => {
    expect(checkWorkspace(policy, { workspaces: ["E0ORG", "T0OURS"], appId: undefined })).toEqual({ ok: true });
    expect(checkWorkspace(policy, { workspaces: ["T0OTHER"], appId: undefined })).toEqual({ ok: false, reason: "team_not_allowed" });
    expect(checkWorkspace(policy, { workspaces: [], appId: undefined })).toEqual({ ok: false, reason: "team_not_allowed" });
  });

  it("admits everyone when no list is set", () => {
    expect(checkWorkspace({ ...policy, allowedTeamIds: undefined }, { workspaces: [], appId: undefined })).toEqual({ ok: true });
  });
});
