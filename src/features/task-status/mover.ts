/** Who moved a task, as a message on any platform names them. Pure. */
import type { Platform } from "../../chat/model.js";
import type { RichText } from "../../chat/rich-text.js";
import { platformName } from "../../chat/platform-name.js";

/**
 * A chat person who moved a task (pressed a status button): their platform and id, to mention them
 * there, and the name their platform gave with the press, to name them anywhere else.
 */
export interface Mover {
  platform: Platform;
  userId: string;
  /** As the press's platform showed them (Slack's user name, Discord's nick or global name); undefined when it did not say. */
  displayName?: string | undefined;
}

/**
 * `<mention>` on the mover's own platform (Slack `<@U…>`, Discord `<@id>`: the ids mean something
 * there; a platform that draws a mention as text shows the name); on another platform their name and
 * where they are, `Alice on Slack`, since a Slack id read on Discord names nobody. Without a name:
 * `someone on Slack`.
 */
export function nameMover(mover: Mover, on: Platform): RichText {
  if (mover.platform === on) return [{ mention: mover.displayName ? { platform: mover.platform, userId: mover.userId, displayName: mover.displayName } : { platform: mover.platform, userId: mover.userId } }];
  return [mover.displayName || "someone", ` on ${platformName(mover.platform)}`];
}
