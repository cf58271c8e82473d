// The advisers' live chat queue, kept current without reloading: a WebSocket says when the
// queue changes, and the page fetches it; without a socket it fetches every 2 seconds. Without
// this file the page has a link to refresh it. Names are written with textContent only.

const POLL_MS = 2000;

function cell(content) {
  const td = document.createElement("td");
  td.className = "govuk-table__cell";
  if (content instanceof Node) td.append(content);
  else td.textContent = content;
  return td;
}

function initQueue(root) {
  const rows = root.querySelector("[data-queue-rows]");
  const summary = root.querySelector("[data-queue-summary]");
  const csrf = document.cookie.split("; ").find((c) => c.startsWith("csrftoken="));
  const csrfInput = root.querySelector("input[name=csrfmiddlewaretoken]");
  let timer = null;

  function urlFor(template, reference) {
    return template.replace("REFERENCE", encodeURIComponent(reference));
  }

  function pickUpForm(chat) {
    const form = document.createElement("form");
    form.method = "post";
    form.action = urlFor(root.dataset.pickUpUrl, chat.reference);
    const token = document.createElement("input");
    token.type = "hidden";
    token.name = "csrfmiddlewaretoken";
    token.value = csrfInput ? csrfInput.value : (csrf ? csrf.split("=")[1] : "");
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "govuk-button govuk-!-margin-bottom-0";
    button.textContent = "Pick up";
    const hidden = document.createElement("span");
    hidden.className = "govuk-visually-hidden";
    hidden.textContent = ` ${chat.reference}`;
    button.append(hidden);
    form.append(token, button);
    return form;
  }

  function render(chats) {
    const waiting = chats.filter((chat) => chat.status === "waiting").length;
    summary.textContent = `${chats.length} open chat${chats.length === 1 ? "" : "s"}, ${waiting} waiting.`;
    rows.replaceChildren(...chats.map((chat) => {
      const tr = document.createElement("tr");
      tr.className = "govuk-table__row";
      const link = document.createElement("a");
      link.className = "govuk-link";
      link.href = urlFor(root.dataset.chatUrl, chat.reference);
      link.textContent = chat.reference;
      tr.append(
        cell(link),
        cell(chat.customer),
        cell(chat.adviser ? `${chat.status_label} (${chat.adviser})` : chat.status_label),
        cell(chat.waiting_seconds === null ? "" : `${chat.waiting_seconds} seconds`),
        cell(chat.status === "waiting" ? pickUpForm(chat) : ""),
      );
      return tr;
    }));
  }

  async function refresh() {
    try {
      const response = await fetch(root.dataset.queueUrl, {
        headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      if (response.ok) render((await response.json()).chats);
    } catch (error) {
      // The next refresh catches up.
    }
  }

  function poll() {
    if (!timer) timer = window.setInterval(refresh, POLL_MS);
  }

  if ("WebSocket" in window && root.dataset.socketPath) {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    try {
      const socket = new WebSocket(`${scheme}://${window.location.host}${root.dataset.socketPath}`);
      socket.addEventListener("message", refresh);
      socket.addEventListener("close", poll);
      // Waiting times still tick between queue changes.
      window.setInterval(refresh, 15000);
    } catch (error) {
      poll();
    }
  } else {
    poll();
  }
}

document.querySelectorAll("[data-chat-queue]").forEach(initQueue);
