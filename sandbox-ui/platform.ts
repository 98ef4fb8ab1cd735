/**
 * One platform's look: Slack today; another (Discord, Teams…) is a module beside slack/ that renders
 * the same snapshot its own way, and a line in PLATFORMS (main.ts).
 */
import type { UiSnapshot } from "./shapes.js";

/** What every platform's renderer is handed: who is acting, and how to redraw when the view changes. */
export interface PlatformContext {
  /** The person acting (a Slack user id). */
  me(): string;
  /** Asks the shell to draw again (after a local change: another channel, a thread opened). */
  redraw(): void;
}

export interface PlatformView {
  id: string;
  label: string;
  /** Draws the platform into `root` for this snapshot; called on every snapshot and local change. */
  render(root: HTMLElement, snapshot: UiSnapshot, context: PlatformContext): void;
  /** Closes an open menu on a click elsewhere or Escape; true when something closed (the shell then redraws). */
  dismiss?(target: Element | null): boolean;
}
