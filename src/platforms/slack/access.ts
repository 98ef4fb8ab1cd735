/** Optional access control: which workspaces, app and channels the bot answers. Off when unset. */
export interface AccessPolicy {
  allowedTeamIds: readonly string[] | undefined;
  appId: string | undefined;
  allowedChannelIds: readonly string[] | undefined;
}

export type AccessDecision = { ok: true } | { ok: false; reason: "team_not_allowed" | "app_mismatch" | "channel_not_allowed" };

/**
 * Checks the acting person's workspace and the app. `workspaces` are the ids Slack reports for the
 * person (personOfCommand, personOfInteraction): allowed when any is listed; none (Slack did not say)
 * counts as outside.
 */
export function checkWorkspace(policy: AccessPolicy, request: { workspaces: readonly string[]; appId: string | undefined }): AccessDecision {
  if (policy.allowedTeamIds && !request.workspaces.some((id) => policy.allowedTeamIds!.includes(id))) return { ok: false, reason: "team_not_allowed" };
  if (policy.appId && request.appId !== policy.appId) return { ok: false, reason: "app_mismatch" };
  return { ok: true };
}

/**
 * The workspaces a slash command's person belongs to, as Slack reports them: `team_id`, and in an
 * Enterprise Grid org its `enterprise_id` too (a listed org admits every member). Slack's command
 * payload has no other field for the person's own workspace.
 */
export function personOfCommand(command: { team_id: string; enterprise_id?: string | undefined }): string[] {
  return command.enterprise_id ? [command.team_id, command.enterprise_id] : [command.team_id];
}

/** What an interaction payload (view_submission, message_action, block_actions) says about who acted, and where. */
export interface InteractionOrigin {
  user: { team_id?: string | undefined };
  team: { id: string; enterprise_id?: string | undefined } | null;
  enterprise?: { id?: string | undefined } | null | undefined;
}

/**
 * The workspaces an interaction's person belongs to. Slack reports the person's own workspace as
 * `user.team_id`; `team` is where they acted, which for a Slack Connect guest in a shared channel is
 * the host's workspace, not theirs, and is null for an org-wide install. In an Enterprise Grid org
 * `user.team_id` is the org's id (E…): a member acting inside their own org (it matches `enterprise`)
 * also counts as the workspace they acted in. Without `user.team_id`, none: unknown is outside.
 */
export function personOfInteraction(payload: InteractionOrigin): string[] {
  const home = payload.user.team_id;
  if (!home) return [];
  const enterprise = payload.enterprise?.id || payload.team?.enterprise_id;
  return home === enterprise && payload.team ? [home, payload.team.id] : [home];
}

/**
 * The workspaces an Events API event's person belongs to: the event's `user_team` (the person's own
 * workspace, which for a Slack Connect guest is not the channel's), else its `team`, else the
 * envelope's `team_id`. A Grid member acting inside their own org also counts as the workspace the
 * event happened in, as for interactions.
 */
export function personOfEvent(event: { user_team?: string | undefined; team?: string | undefined }, envelope: { team_id?: string | undefined; enterprise_id?: string | null | undefined }): string[] {
  const home = event.user_team ?? event.team ?? envelope.team_id;
  if (!home) return [];
  const acted = event.team ?? envelope.team_id;
  return home === envelope.enterprise_id && acted && acted !== home ? [home, acted] : [home];
}

/** Checks the channel a command was typed in. */
export function checkChannel(policy: AccessPolicy, channelId: string): AccessDecision {
  if (policy.allowedChannelIds && !policy.allowedChannelIds.includes(channelId)) return { ok: false, reason: "channel_not_allowed" };
  return { ok: true };
}

/** What a person from outside the allowed workspaces (or app) is told: a Slack Connect guest is in our channel, not our workspace. */
export const OUTSIDER = "Sorry, this bot only works for people in the workspaces it was set up for, so it can't take this from you.";

/** What a person is told when /task is used outside TASK_ALLOWED_CHANNEL_IDS: where it works. */
export function channelRefusal(policy: AccessPolicy, command: string): string {
  const channels = (policy.allowedChannelIds ?? []).slice(0, 10).map((id) => `<#${id}>`);
  return `${command} isn't used in this channel. Try it in ${channels.join(", ")}.`;
}
