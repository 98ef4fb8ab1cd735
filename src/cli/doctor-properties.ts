/**
 * Doctor's check of the board's properties: each part the bot plays with (status, priority, due
 * date…) is found with a type it can use, read as the bot reads it (board.ts: detectBoard).
 */
import type { DataSourceObjectResponse } from "@notionhq/client";
import type { Env } from "../env.js";
import { detectBoard, type Board } from "../notion/board.js";
import { DEFAULT_PROPERTY_NAMES, propertyNamesFrom, ROLE_ORDER, ROLES, type Role } from "./board-schema.js";
import type { Report } from "./report.js";

/** Each part the bot plays with: present with a usable type, or absent knowingly (a warning), else a failure. */
export function checkProperties(report: Report, env: Env, dataSource: DataSourceObjectResponse): void {
  const names = propertyNamesFrom(env);
  const board = detectBoard(dataSource, names);
  report.ok(`title: “${board.title}”`);
  for (const role of ROLE_ORDER) {
    const name = names[role];
    const { env: variable, kind } = ROLES[role];
    const present = board[role];
    if (present !== undefined) {
      describePresent(report, role, board);
      continue;
    }
    const actual = dataSource.properties[name];
    if (actual === undefined && name !== DEFAULT_PROPERTY_NAMES[role]) {
      report.fail(`${variable} names “${name}”, which is not on the board`, `rename the property in Notion or correct ${variable} (names are case-sensitive)`);
    } else if (actual === undefined) {
      report.warn(
        `${ROLE_LABELS[role]}: no property “${name}”, so ${role === "assignee" ? "the Home tab has no “Assigned to me”" : "tasks are saved without it"}`,
        `to keep it, add a ${kind} property named “${name}” in Notion, or set ${variable} to the name yours has`,
      );
    } else {
      const warning = board.warnings.find((text) => text.startsWith(`property "${name}" (${role})`)) ?? `property "${name}" (${role}) is of type ${actual.type}`;
      report.fail(`${ROLE_LABELS[role]}: ${warning}`, `change “${name}” to a ${kind} property in Notion, or set ${variable} to a property of the right type`);
    }
  }
}

const ROLE_LABELS: Record<Role, string> = {
  status: "status",
  priority: "priority",
  due: "due date",
  requester: "requester",
  slackLink: "Slack link",
  requestId: "request id",
  assignee: "assignee",
};

function describePresent(report: Report, role: Role, board: Board): void {
  const label = ROLE_LABELS[role];
  switch (role) {
    case "status": {
      const status = board.status!;
      if (status.done.length === 0) {
        report.warn(
          `status: no option of “${status.name}” means done, so every task counts as open in the review`,
          status.type === "status" ? "put the finished options in the Complete group in Notion" : "name the finished option Done (or Complete, Closed…)",
        );
      } else {
        report.ok(`status: “${status.name}” (${status.type}); new tasks start as “${status.initial ?? "empty"}”, done means ${status.done.map((name) => `“${name}”`).join(", ")}`);
      }
      return;
    }
    case "priority": {
      const priority = board.priority!;
      report.ok(`priority: “${priority.name}” (${priority.type}${priority.options.length > 0 ? `: ${priority.options.join(", ")}` : ""})`);
      return;
    }
    case "requester": {
      const requester = board.requester!;
      report.ok(
        requester.type === "people"
          ? `requester: “${requester.name}” (people: matched by email, which needs users:read.email in Slack and the integration's “Read user information including email addresses” capability)`
          : `requester: “${requester.name}” (text)`,
      );
      return;
    }
    case "due":
      report.ok(`${label}: “${board.due!.name}” (date)`);
      return;
    case "slackLink":
      report.ok(`${label}: “${board.slackLink!.name}” (${board.slackLink!.type})`);
      return;
    case "requestId":
      report.ok(`${label}: “${board.requestId!.name}” (text; lets a resubmission find the task it already saved)`);
      return;
    case "assignee":
      report.ok(`${label}: “${board.assignee!.name}” (people: the Home tab's “Assigned to me”, matched by email like a people requester)`);
      return;
  }
}
