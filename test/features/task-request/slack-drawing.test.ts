/**
 * The task request's Cards, Form and notices as Slack draws them (render-card.ts) are exactly the
 * Block Kit the builders sent before the chat port: each expectation below is what the old
 * builders (buildTaskModal, buildSavingView, buildSavedView, buildReturnedInput) returned, captured
 * from them before they went. Only the modal's private_metadata changed: the form's context is flat
 * strings in the port's words (docs/chat-port.md).
 */
import { describe, expect, it } from "vitest";
import { buildReturnedInput } from "../../../src/features/task-request/messages.js";
import { buildSavedNotice, buildSavingNotice, buildTaskForm } from "../../../src/features/task-request/modal.js";
import { renderSlackCard, renderSlackForm, renderSlackNotice } from "../../../src/platforms/slack/render-card.js";

describe("the task request, drawn for Slack", () => {
  it("draws the task form as the task modal was", () => {
    const form = buildTaskForm({ title: "Fix login", context: { asked: { platform: "slack", workspace: "T0TEAM", conversation: "C0GENERAL" } } });
    expect(renderSlackForm(form)).toEqual({
      "type": "modal",
      "callback_id": "task_modal",
      "title": {
        "type": "plain_text",
        "text": "New task",
        "emoji": true
      },
      "submit": {
        "type": "plain_text",
        "text": "Create task",
        "emoji": true
      },
      "close": {
        "type": "plain_text",
        "text": "Cancel",
        "emoji": true
      },
      "private_metadata": "{\"asked\":\"slack:T0TEAM:C0GENERAL\"}",
      "blocks": [
        {
          "type": "input",
          "block_id": "title",
          "label": {
            "type": "plain_text",
            "text": "Title",
            "emoji": true
          },
          "element": {
            "type": "plain_text_input",
            "action_id": "title_input",
            "max_length": 150,
            "placeholder": {
              "type": "plain_text",
              "text": "What needs doing? e.g. Fix the login page on Safari",
              "emoji": true
            },
            "initial_value": "Fix login"
          }
        },
        {
          "type": "input",
          "block_id": "description",
          "label": {
            "type": "plain_text",
            "text": "Description",
            "emoji": true
          },
          "optional": true,
          "element": {
            "type": "plain_text_input",
            "action_id": "description_input",
            "multiline": true,
            "max_length": 3000,
            "placeholder": {
              "type": "plain_text",
              "text": "Context, links, what done looks like",
              "emoji": true
            }
          }
        },
        {
          "type": "input",
          "block_id": "priority",
          "label": {
            "type": "plain_text",
            "text": "Priority",
            "emoji": true
          },
          "optional": true,
          "element": {
            "type": "static_select",
            "action_id": "priority_input",
            "placeholder": {
              "type": "plain_text",
              "text": "Pick a priority",
              "emoji": true
            },
            "options": [
              {
                "text": {
                  "type": "plain_text",
                  "text": "High",
                  "emoji": true
                },
                "value": "High"
              },
              {
                "text": {
                  "type": "plain_text",
                  "text": "Medium",
                  "emoji": true
                },
                "value": "Medium"
              },
              {
                "text": {
                  "type": "plain_text",
                  "text": "Low",
                  "emoji": true
                },
                "value": "Low"
              }
            ]
          }
        },
        {
          "type": "input",
          "block_id": "due",
          "label": {
            "type": "plain_text",
            "text": "Due date",
            "emoji": true
          },
          "optional": true,
          "hint": {
            "type": "plain_text",
            "text": "Leave empty if there is no deadline.",
            "emoji": true
          },
          "element": {
            "type": "datepicker",
            "action_id": "due_input",
            "placeholder": {
              "type": "plain_text",
              "text": "Pick a date",
              "emoji": true
            }
          }
        },
        {
          "type": "context",
          "elements": [
            {
              "type": "mrkdwn",
              "text": "The task goes on the team's Notion board, and you get a link to it."
            }
          ]
        }
      ]
    });
  });

  it("sends back everything a person typed, as before", () => {
    expect(renderSlackCard(buildReturnedInput({ title: "Fix <x>", description: "a & b\nc", priority: "High", due: "2030-01-31" }, "Notion is down."))).toEqual({"text": ":warning: I couldn't save your task to Notion: Notion is down.\nHere is everything you typed, so you can try again with `/task`:\n\n*Title:* Fix &lt;x&gt;\n*Priority:* High\n*Due:* 2030-01-31\n*Description:*\na &amp; b\nc"});
    expect(renderSlackCard(buildReturnedInput({ title: "Fix", description: "", priority: undefined, due: undefined }, "x", { unconfirmed: true }))).toEqual({"text": ":warning: I couldn't tell whether your task was saved: Notion didn't answer, and the board couldn't be checked.\nLook for it on the board before making it again. In case it isn't there, here is everything you typed, for `/task`:\n\n*Title:* Fix"});
  });

  it("draws the Saving, Saved and Already saved notices as the modal's views were", () => {
    expect(renderSlackNotice(buildSavingNotice("Fix <login> & *Safari*"))).toEqual({"type": "modal", "title": {"type": "plain_text", "text": "New task", "emoji": true}, "close": {"type": "plain_text", "text": "Close", "emoji": true}, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": ":hourglass_flowing_sand: Saving *Fix &lt;login&gt; &amp; *Safari** to Notion. It's taking a moment, so you can close this: I'll message you the link."}}]});
    expect(renderSlackNotice(buildSavedNotice("Fix <login>", "https://www.notion.so/p1"))).toEqual({"type": "modal", "title": {"type": "plain_text", "text": "Task created", "emoji": true}, "close": {"type": "plain_text", "text": "Done", "emoji": true}, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": ":white_check_mark: *Fix &lt;login&gt;* is on the board."}, "accessory": {"type": "button", "action_id": "open_in_notion", "text": {"type": "plain_text", "text": "Open in Notion", "emoji": true}, "url": "https://www.notion.so/p1"}}]});
    expect(renderSlackNotice(buildSavedNotice("Fix", "https://www.notion.so/p1", { existing: true }))).toEqual({"type": "modal", "title": {"type": "plain_text", "text": "Already saved", "emoji": true}, "close": {"type": "plain_text", "text": "Done", "emoji": true}, "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": ":white_check_mark: *Fix* was already on the board."}, "accessory": {"type": "button", "action_id": "open_in_notion", "text": {"type": "plain_text", "text": "Open in Notion", "emoji": true}, "url": "https://www.notion.so/p1"}}]});
  });
});
