/**
 * Calls an emulator holds until the test releases them (the `hold` fault of the Teams and Mattermost
 * emulators): a service that took the call and answers past the bot's deadline. The test, not a timer,
 * says when; a released call is carried out and answered whether or not the bot still waits for it.
 */
import type { ServerResponse } from "node:http";

export interface HeldCalls {
  /** Resolves when the test releases this call; the caller then carries it out and answers on `response`. */
  hold(response: ServerResponse): Promise<void>;
  /** Releases every held call; resolves, once each has been answered (or its client has gone), with how many there were. */
  releaseAll(): Promise<number>;
}

export function createHeldCalls(): HeldCalls {
  const held: { release: () => void; answered: Promise<void> }[] = [];
  return {
    async hold(response) {
      let release!: () => void;
      let answered!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      held.push({ release, answered: new Promise<void>((resolve) => (answered = resolve)) });
      await released;
      // Carried out whether or not the bot is still there to read the answer.
      response.once("close", answered);
      if (response.destroyed || response.writableEnded) answered();
    },
    async releaseAll() {
      const released = held.splice(0);
      for (const call of released) call.release();
      await Promise.all(released.map((call) => call.answered));
      return released.length;
    },
  };
}
