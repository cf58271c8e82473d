// Web chat, progressively enhanced. Without this file the chat is a form that posts and a page
// that is refreshed. With it: messages are sent and received over a WebSocket; if the socket
// cannot open or drops, the page polls the JSON endpoint every 2 seconds instead. A message
// that cannot be sent stays on screen marked "Not sent" with a button to try again; the retry
// reuses the message's token, so the server stores it once however many tries it takes.
// Every message is written with textContent, never as markup.

const POLL_MS = 2000;
const SOCKET_ECHO_MS = 4000;

function newToken() {
  if (window.crypto && typeof window.crypto.randomUUID === "function") {
    return window.crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  window.crypto.getRandomValues(bytes);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

function paragraph(className, text) {
  const p = document.createElement("p");
  p.className = className;
  p.textContent = text;
  return p;
}

function renderMessage(message) {
  const item = document.createElement("li");
  item.className = `enquiries-chat__message enquiries-chat__message--${message.sender}`;
  item.dataset.messageId = String(message.id);
  const meta = document.createElement("p");
  meta.className = "govuk-body-s govuk-!-margin-bottom-1";
  if (message.name) {
    const name = document.createElement("strong");
    name.textContent = message.name;
    meta.append(name, " ");
  }
  const time = document.createElement("time");
  time.dateTime = message.sent_at;
  time.textContent = message.time;
  meta.append(time);
  const body = document.createElement("p");
  body.className = "govuk-body govuk-!-margin-bottom-0";
  body.textContent = message.body;
  item.append(meta, body);
  return item;
}

function initChat(root) {
  const log = root.querySelector("[data-chat-log]");
  const scroller = root.querySelector("[data-chat-scroll]");
  const form = root.querySelector("[data-chat-form]");
  const status = root.querySelector("[data-chat-status]");
  const messagesUrl = root.dataset.messagesUrl;
  const sendUrl = root.dataset.sendUrl;
  const draftKey = `enquiries-draft-${root.dataset.draftKey}`;
  const textarea = form ? form.querySelector("textarea") : null;
  const isStaff = root.dataset.viewer === "staff";
  const seen = new Set(Array.from(log.querySelectorAll("[data-message-id]"), (li) => li.dataset.messageId));
  let lastId = Number(root.dataset.lastId || 0);
  let socket = null;
  let pollTimer = null;
  let ended = false;
  const waitingForEcho = new Map();

  const scrollToEnd = () => { scroller.scrollTop = scroller.scrollHeight; };
  scrollToEnd();

  function pendingItem(token) {
    return log.querySelector(`[data-pending-token="${token}"]`);
  }

  function add(message) {
    if (message.client_token) {
      clearTimeout(waitingForEcho.get(message.client_token));
      waitingForEcho.delete(message.client_token);
      const pending = pendingItem(message.client_token);
      if (pending) pending.remove();
    }
    const id = String(message.id);
    if (seen.has(id)) return;
    seen.add(id);
    lastId = Math.max(lastId, message.id);
    log.append(renderMessage(message));
    scrollToEnd();
  }

  function applyState(state) {
    if (!state) return;
    if (state.ended) {
      status.textContent = "This chat has ended.";
      ended = true;
      if (form) form.hidden = true;
      stopPolling();
      if (socket) socket.close();
    } else if (state.adviser && !isStaff) {
      status.textContent = `You are chatting with ${state.adviser}.`;
    }
  }

  async function poll() {
    try {
      const response = await fetch(`${messagesUrl}?after=${lastId}`, {
        headers: { Accept: "application/json" }, credentials: "same-origin",
      });
      if (!response.ok) return;
      const data = await response.json();
      data.messages.forEach(add);
      applyState(data.state);
    } catch (error) {
      // Offline for a moment: the next poll catches up from lastId.
    }
  }

  function startPolling() {
    if (pollTimer || ended) return;
    pollTimer = window.setInterval(poll, POLL_MS);
    poll();
  }

  function stopPolling() {
    if (pollTimer) window.clearInterval(pollTimer);
    pollTimer = null;
  }

  function connect() {
    if (!("WebSocket" in window) || !root.dataset.socketPath) {
      startPolling();
      return;
    }
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    try {
      socket = new WebSocket(`${scheme}://${window.location.host}${root.dataset.socketPath}`);
    } catch (error) {
      startPolling();
      return;
    }
    socket.addEventListener("open", () => {
      stopPolling();
      poll(); // anything sent between the page loading and the socket opening
    });
    socket.addEventListener("message", (event) => {
      let data;
      try { data = JSON.parse(event.data); } catch (error) { return; }
      if (data.type === "message") add(data.message);
      else if (data.type === "state") applyState(data.state);
      else if (data.type === "error") markFailed(data.client_token, data.errors.join(" "));
    });
    socket.addEventListener("close", () => {
      socket = null;
      // Messages still waiting for their echo go by the form endpoint instead.
      Array.from(waitingForEcho.keys()).forEach((token) => {
        const item = pendingItem(token);
        if (item) sendByPost(token, item.dataset.body);
      });
      startPolling();
    });
  }

  function markFailed(token, reason) {
    const item = pendingItem(token);
    if (!item) return;
    clearTimeout(waitingForEcho.get(token));
    waitingForEcho.delete(token);
    item.classList.remove("enquiries-chat__message--pending");
    item.classList.add("enquiries-chat__message--failed");
    const state = item.querySelector("[data-send-state]");
    state.textContent = reason ? `Not sent: ${reason}` : "Not sent.";
    state.className = "govuk-body-s enquiries-chat__failed";
    if (!item.querySelector("button")) {
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "govuk-button govuk-button--secondary govuk-!-margin-bottom-0";
      retry.textContent = "Try sending again";
      retry.addEventListener("click", () => {
        retry.remove();
        item.classList.remove("enquiries-chat__message--failed");
        item.classList.add("enquiries-chat__message--pending");
        state.className = "govuk-body-s";
        state.textContent = "Sending…";
        send(token, item.dataset.body);
      });
      item.append(retry);
    }
  }

  async function sendByPost(token, body) {
    const data = new FormData(form);
    data.set("body", body);
    data.set("client_token", token);
    try {
      const response = await fetch(sendUrl, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      const result = await response.json().catch(() => ({}));
      if (response.ok && result.message) add(result.message);
      else markFailed(token, (result.errors || []).join(" "));
    } catch (error) {
      markFailed(token, "check your connection.");
    }
  }

  function send(token, body) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "message", body, client_token: token }));
      // No echo in time: send it by the form endpoint; the token stops a double.
      waitingForEcho.set(token, window.setTimeout(() => {
        waitingForEcho.delete(token);
        sendByPost(token, body);
      }, SOCKET_ECHO_MS));
    } else {
      sendByPost(token, body);
    }
  }

  if (form && textarea) {
    const saved = window.sessionStorage.getItem(draftKey);
    if (saved && !textarea.value) textarea.value = saved;
    textarea.addEventListener("input", () => window.sessionStorage.setItem(draftKey, textarea.value));
    form.addEventListener("submit", (event) => {
      const body = textarea.value.trim();
      if (!body) return; // the server shows the GOV.UK error
      event.preventDefault();
      const token = newToken();
      const item = document.createElement("li");
      const side = isStaff ? "adviser" : "customer";
      item.className = `enquiries-chat__message enquiries-chat__message--${side} enquiries-chat__message--pending`;
      item.dataset.pendingToken = token;
      item.dataset.body = body;
      item.append(paragraph("govuk-body govuk-!-margin-bottom-0", body));
      const state = paragraph("govuk-body-s", "Sending…");
      state.dataset.sendState = "";
      item.append(state);
      log.append(item);
      scrollToEnd();
      textarea.value = "";
      window.sessionStorage.removeItem(draftKey);
      send(token, body);
    });
  }

  connect();
}

document.querySelectorAll("[data-chat-root]").forEach(initChat);
