/**
 * Which messages were nudged in the last hour, so the same nudge is not posted twice.
 *
 * The limit, honestly: this is memory in one warm function instance. Netlify may run several
 * instances and recycles them, so a second click that lands on another (or a fresh) instance is not
 * caught. Catching those would need state shared between instances (a store) or reading the thread
 * back (the channels/groups/im/mpim:history scopes), both left out on purpose. Clicks close together,
 * the common case (two teammates reacting to the same message), usually reach the same warm instance.
 */

/** The same message is nudged at most once in this window. */
export const REMINDER_WINDOW_MS = 60 * 60_000;
/** Entries kept at most; the oldest go first. Enough for any team's hour. */
const MAX_ENTRIES = 5_000;

export type Claim = { ok: true; release: () => void } | { ok: false; remindedAt: number };

export interface RecentReminders {
  /**
   * Claims the right to nudge about a message, before posting, so two clicks racing on one instance
   * cannot both post. Release the claim when the post fails, so the clicker can try again.
   */
  claim(channelId: string, messageTs: string, now: number): Claim;
}

/** A fresh memory: one per warm instance in production, one per test where it matters. */
export function createRecentReminders(options: { windowMs?: number; maxEntries?: number } = {}): RecentReminders {
  const windowMs = options.windowMs ?? REMINDER_WINDOW_MS;
  const maxEntries = options.maxEntries ?? MAX_ENTRIES;
  /** key -> when it was claimed; a Map keeps insertion order, so the oldest come first. */
  const claimed = new Map<string, number>();

  function forgetExpired(now: number) {
    for (const [key, at] of claimed) {
      if (now - at < windowMs) break;
      claimed.delete(key);
    }
  }

  function makeRoom() {
    for (const key of claimed.keys()) {
      if (claimed.size < maxEntries) break;
      claimed.delete(key);
    }
  }

  return {
    claim(channelId, messageTs, now) {
      forgetExpired(now);
      const key = `${channelId}:${messageTs}`;
      const at = claimed.get(key);
      if (at !== undefined && now - at < windowMs) return { ok: false, remindedAt: at };
      claimed.delete(key);
      makeRoom();
      claimed.set(key, now);
      return {
        ok: true,
        release: () => {
          if (claimed.get(key) === now) claimed.delete(key);
        },
      };
    },
  };
}
