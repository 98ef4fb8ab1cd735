/** Optional access control: which workspaces, app and channels the bot answers. Off when unset. */
export interface AccessPolicy {
  allowedTeamIds: readonly string[] | undefined;
  appId: string | undefined;
  allowedChannelIds: readonly string[] | undefined;
}

export type AccessDecision = { ok: true } | { ok: false; reason: "team_not_allowed" | "app_mismatch" | "channel_not_allowed" };

/** Checks a request's workspace and app (Enterprise Grid requests without a team id count as unknown). */
export function checkWorkspace(policy: AccessPolicy, request: { teamId: string | undefined; appId: string | undefined }): AccessDecision {
  if (policy.allowedTeamIds && !(request.teamId && policy.allowedTeamIds.includes(request.teamId))) return { ok: false, reason: "team_not_allowed" };
  if (policy.appId && request.appId !== policy.appId) return { ok: false, reason: "app_mismatch" };
  return { ok: true };
}

/** Checks the channel a command was typed in. */
export function checkChannel(policy: AccessPolicy, channelId: string): AccessDecision {
  if (policy.allowedChannelIds && !policy.allowedChannelIds.includes(channelId)) return { ok: false, reason: "channel_not_allowed" };
  return { ok: true };
}

/** What a person from outside the allowed workspaces (or app) is told. */
export const OUTSIDER = "This bot isn't available in this workspace.";

/** What a person is told when /task is used outside TASK_ALLOWED_CHANNEL_IDS: where it works. */
export function channelRefusal(policy: AccessPolicy, command: string): string {
  const channels = (policy.allowedChannelIds ?? []).slice(0, 10).map((id) => `<#${id}>`);
  return `${command} isn't used in this channel. Try it in ${channels.join(", ")}.`;
}
