/** manifest.yml, the Slack app's configuration, read as data: doctor checks the token against its scopes. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import * as z from "zod/mini";

/** The repository's manifest.yml. */
export const MANIFEST_PATH = fileURLToPath(new URL("../../manifest.yml", import.meta.url));

/** The parts of Slack's manifest format that chatops uses; anything else is allowed and ignored. */
const manifestSchema = z.object({
  display_information: z.object({ name: z.string() }),
  features: z.object({
    app_home: z.optional(z.object({ home_tab_enabled: z.optional(z.boolean()), messages_tab_enabled: z.optional(z.boolean()), messages_tab_read_only_enabled: z.optional(z.boolean()) })),
    bot_user: z.object({ display_name: z.string(), always_online: z.optional(z.boolean()) }),
    slash_commands: z.optional(
      z.array(
        z.object({
          command: z.string(),
          url: z.string(),
          description: z.string(),
          usage_hint: z.optional(z.string()),
          should_escape: z.optional(z.boolean()),
        }),
      ),
    ),
    shortcuts: z.optional(
      z.array(z.object({ name: z.string(), type: z.enum(["global", "message"]), callback_id: z.string(), description: z.string() })),
    ),
  }),
  oauth_config: z.object({ scopes: z.object({ bot: z.array(z.string()) }) }),
  settings: z.object({
    event_subscriptions: z.optional(z.object({ request_url: z.string(), bot_events: z.optional(z.array(z.string())) })),
    interactivity: z.optional(z.object({ is_enabled: z.boolean(), request_url: z.optional(z.string()) })),
    org_deploy_enabled: z.optional(z.boolean()),
    socket_mode_enabled: z.optional(z.boolean()),
    token_rotation_enabled: z.optional(z.boolean()),
  }),
});

export type SlackManifest = z.infer<typeof manifestSchema>;

/** Reads and checks the manifest; throws an Error saying what is wrong with it. */
export function readManifest(path: string = MANIFEST_PATH): SlackManifest {
  const text = readFileSync(path, "utf8");
  const parsed = manifestSchema.safeParse(parse(text));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path} is not a manifest chatops understands: ${issue ? `${issue.path.join(".")} ${issue.message}` : "invalid"}`);
  }
  return parsed.data;
}
