/**
 * The refusal the slash command, interaction and event handlers share: a person from a workspace (or a
 * payload from an app) the access policy does not serve (slack/access.ts), the log line saying which.
 */
import type { LogFields } from "../log.js";
import { checkWorkspace, type AccessPolicy } from "../platforms/slack/access.js";

/** Optional access control: whether the person is from another workspace (or the payload from another app); the line says which. */
export function isOutsider(policy: AccessPolicy, request: Parameters<typeof checkWorkspace>[1], line: LogFields): boolean {
  const decision = checkWorkspace(policy, request);
  if (decision.ok) return false;
  // The ids that were checked: `team` is where the person acted, which for a guest is not theirs.
  Object.assign(line, { outcome: decision.reason, workspaces: request.workspaces.join(",") });
  return true;
}
