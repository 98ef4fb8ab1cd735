/**
 * The Notion board as Notion's table shows it: title, status, priority, due date, requester,
 * assignee, the Slack link. A status is changed as a person does in Notion (a select in the cell),
 * which sends Notion's webhook event to the functions: the status loop can be watched end to end.
 */
import { act } from "./api.js";
import { h, replace } from "./dom.js";
import type { UiBoard, UiTask } from "./shapes.js";

/** Notion's option colors, as its light theme draws them (background, text). */
const COLORS: Record<string, [string, string]> = {
  default: ["#e3e2e080", "#32302c"],
  gray: ["#e3e2e0", "#32302c"],
  brown: ["#eee0da", "#44291e"],
  orange: ["#fadec9", "#49290e"],
  yellow: ["#fdecc8", "#402c1b"],
  green: ["#dbeddb", "#1c3829"],
  blue: ["#d3e5ef", "#183347"],
  purple: ["#e8deee", "#412454"],
  pink: ["#f5e0e9", "#4c2337"],
  red: ["#ffe2dd", "#5d1715"],
};
const PRIORITY_COLORS: Record<string, string> = { High: "red", Medium: "yellow", Low: "gray" };

function pill(text: string, color: string): HTMLElement {
  const [background, foreground] = COLORS[color] ?? COLORS.default!;
  return h("span", { class: "nt-pill", style: `background:${background};color:${foreground}` }, text);
}

export class BoardView {
  #by: "person" | "bot" = "person";
  readonly #edited = new Map<string, string>();

  render(root: HTMLElement, board: UiBoard): void {
    const statusColor = new Map(board.statuses.map((s) => [s.name, s.color]));
    const row = (task: UiTask) => {
      // A row whose page changed since the last snapshot flashes, so the loop is easy to follow.
      const before = this.#edited.get(task.id);
      const changed = before !== undefined && before !== task.lastEdited;
      this.#edited.set(task.id, task.lastEdited);
      const select = h(
        "select",
        {
          class: "nt-status-select",
          "aria-label": `Status of ${task.title}`,
          onchange: (event: Event) => {
            const status = (event.currentTarget as HTMLSelectElement).value;
            void act("status", { taskId: task.id, status, by: this.#by });
          },
        },
        ...board.statuses.map((s) => h("option", { value: s.name, selected: s.name === task.status }, s.name)),
      );
      const [background, foreground] = COLORS[statusColor.get(task.status) ?? "default"] ?? COLORS.default!;
      select.style.background = background;
      select.style.color = foreground;
      return h(
        "tr",
        { class: changed ? "nt-changed" : "", "data-task": task.title },
        h("td", { class: "nt-title" }, h("span", { class: "nt-page-icon", "aria-hidden": "true" }, "📄"), h("a", { href: task.url, target: "_blank", rel: "noopener noreferrer", title: task.url }, task.title)),
        h("td", {}, select),
        h("td", {}, task.priority ? pill(task.priority, PRIORITY_COLORS[task.priority] ?? "default") : null),
        h("td", { class: "nt-date" }, task.due ? formatDate(task.due) : ""),
        h("td", { class: "nt-muted" }, task.requester),
        h("td", { class: "nt-muted" }, task.assignee),
        h("td", {}, task.slackLink ? h("a", { href: task.slackLink, target: "_blank", rel: "noopener noreferrer", title: task.slackLink, class: "nt-link", "aria-label": "Slack link" }, "🔗") : null),
      );
    };
    replace(
      root,
      h(
        "div",
        { class: "nt-board" },
        h(
          "header",
          { class: "nt-board-header" },
          h("h2", {}, h("span", { class: "nt-logo", "aria-hidden": "true" }, "N"), board.title, h("span", { class: "nt-count" }, `${board.tasks.length}`)),
          h(
            "label",
            { class: "nt-by" },
            "Changes made by ",
            h(
              "select",
              {
                "aria-label": "Who changes a status",
                onchange: (event: Event) => (this.#by = (event.currentTarget as HTMLSelectElement).value === "bot" ? "bot" : "person"),
              },
              h("option", { value: "person", selected: this.#by === "person" }, "Nora, a person in Notion"),
              h("option", { value: "bot", selected: this.#by === "bot" }, "the bot's integration"),
            ),
          ),
        ),
        h(
          "div",
          { class: "nt-table-wrap" },
          h(
            "table",
            { class: "nt-table" },
            h("thead", {}, h("tr", {}, ...["Name", "Status", "Priority", "Due", "Requested by", "Assignee", "Slack"].map((name) => h("th", {}, name)))),
            h("tbody", {}, ...board.tasks.map(row)),
          ),
        ),
      ),
    );
  }
}

/** "Nov 23, 2026" for 2026-11-23, as Notion shows a date; a range keeps its arrow. */
function formatDate(value: string): string {
  return value
    .split(" → ")
    .map((part) => {
      const date = new Date(`${part.slice(0, 10)}T00:00:00Z`);
      return Number.isNaN(date.getTime()) ? part : date.toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" });
    })
    .join(" → ");
}
