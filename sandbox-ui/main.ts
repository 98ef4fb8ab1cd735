/**
 * The sandbox's page: the workspace as a platform shows it (Slack, Discord, Mattermost or Teams, picked by the switcher
 * at the top), the Notion board beside it, and the function log. It draws the snapshots its server
 * pushes over server-sent events, and asks the server for every action.
 */
import "./styles.css";
import "./slack/slack.css";
import "./discord/discord.css";
import "./mattermost/mattermost.css";
import "./teams/teams.css";
import { act, toast } from "./api.js";
import { BoardView } from "./board.js";
import { h, replace } from "./dom.js";
import { LogView } from "./log.js";
import type { PlatformView } from "./platform.js";
import type { UiLogLine, UiSnapshot } from "./shapes.js";
import { displayName } from "./slack/messages.js";
import { SlackView } from "./slack/index.js";
import { DiscordView } from "./discord/index.js";
import { MattermostView } from "./mattermost/index.js";
import { TeamsView } from "./teams/index.js";

/** The platforms the bot serves, each with its own look: add one here and in a folder beside slack/. */
const PLATFORMS: PlatformView[] = [new SlackView(), new DiscordView(), new MattermostView(), new TeamsView()];

let snapshot: UiSnapshot | undefined;
let platform: PlatformView = PLATFORMS.find((p) => p.id === localStorage.getItem("chatops-sandbox-platform")) ?? PLATFORMS[0]!;
let me = localStorage.getItem("chatops-sandbox-me") ?? "";

const platformRoot = h("section", { class: "platform", "aria-label": "Chat platform" });
const boardRoot = h("section", { class: "board", "aria-label": "Notion board" });
const log = new LogView();
const status = h("span", { class: "live live-off", title: "Live updates" }, "connecting");
const people = h("select", { class: "me", "aria-label": "You are" });
people.addEventListener("change", () => {
  me = people.value;
  localStorage.setItem("chatops-sandbox-me", me);
  draw();
});
const board = new BoardView();

const run = (label: string, title: string, action: () => Promise<unknown>) =>
  h(
    "button",
    {
      type: "button",
      class: "run",
      title,
      onclick: async (event: Event) => {
        const button = event.currentTarget as HTMLButtonElement;
        button.disabled = true;
        await action();
        button.disabled = false;
      },
    },
    label,
  );

const shell = h(
  "div",
  { class: "shell" },
  h(
    "header",
    { class: "topbar" },
    h("div", { class: "brand" }, h("b", {}, "chatops"), " sandbox"),
    h("nav", { class: "platforms", role: "tablist", "aria-label": "Platform" }, ...PLATFORMS.map((p) => h("button", { type: "button", role: "tab", class: "platform-tab", "data-platform": p.id, onclick: () => choose(p) }, p.label))),
    h("label", { class: "as" }, "You are ", people),
    h(
      "div",
      { class: "runs" },
      run("Run the weekly review", "Netlify's scheduler runs weekly-reminder now", () => act("schedule", { name: "weekly-reminder" })),
      run("Run the task sync", "Netlify's scheduler runs task-sync now", () => act("schedule", { name: "task-sync" })),
      run("Notion handshake", "Notion's first request to a new webhook subscription", () => act("handshake", {})),
    ),
    status,
  ),
  h("div", { class: "layout" }, platformRoot, h("div", { class: "side" }, boardRoot, h("section", { class: "log", "aria-label": "Function log" }, log.root))),
);

/** Shows another platform's look; the choice is kept for the next visit. */
function choose(next: PlatformView): void {
  platform = next;
  localStorage.setItem("chatops-sandbox-platform", next.id);
  draw();
}

function draw(): void {
  for (const tab of shell.querySelectorAll<HTMLElement>(".platform-tab")) {
    const active = tab.dataset.platform === platform.id;
    tab.classList.toggle("active", active);
    tab.setAttribute("aria-selected", String(active));
  }
  platformRoot.dataset.platform = platform.id;
  if (!snapshot) return;
  if (!snapshot.people.some((p) => p.id === me)) me = snapshot.people[0]?.id ?? "";
  replace(people, ...snapshot.people.map((p) => h("option", { value: p.id, selected: p.id === me }, displayName(p.name))));
  platform.render(platformRoot, snapshot, { me: () => me, redraw: draw });
  board.render(boardRoot, snapshot.board);
}

replace(document.getElementById("app")!, shell);
draw();

const events = new EventSource("/events");
events.addEventListener("open", () => {
  status.textContent = "live";
  status.className = "live live-on";
});
events.addEventListener("error", () => {
  status.textContent = "reconnecting…";
  status.className = "live live-off";
});
events.addEventListener("snapshot", (event) => {
  snapshot = JSON.parse((event as MessageEvent<string>).data) as UiSnapshot;
  draw();
});
events.addEventListener("log", (event) => log.add(JSON.parse((event as MessageEvent<string>).data) as UiLogLine[]));
events.addEventListener("problem", (event) => toast(`The sandbox could not read its state: ${JSON.parse((event as MessageEvent<string>).data) as string}`, "problem"));
// A menu closes on a click anywhere else; Escape closes it, or else the modal on top.
document.addEventListener("click", (event) => {
  if (platform.dismiss?.(event.target as Element | null)) draw();
});
document.addEventListener("keydown", (event) => {
  if (event.key !== "Escape") return;
  if (platform.dismiss?.(null)) draw();
  else document.querySelector<HTMLButtonElement>(".sk-modal-overlay:last-child .sk-modal-x, .dc-modal-overlay:last-child .dc-modal-x, .mm-dialog-overlay:last-child .mm-dialog-x, .tm-dialog-overlay:last-child .tm-dialog-x")?.click();
});
