// The chat panel: pick a host, talk to the agent, approve or deny its scripts, watch results.
// Plain DOM (textContent only for anything that comes from the bridge or the model).
import { createApi, forgetToken, takeToken } from "./api.js";
import { startCepHost } from "./cep-host.js";
import { renderCode } from "./highlight.js";

const HOST_KEY = "scriptwright.host";
const SESSION_KEY = "scriptwright.session";
const TURN_KEY = "scriptwright.turnAfter"; // where the current turn's events start, per session
const HOSTS_EVERY_MS = 3000;

const APP_NAMES = {
  blender: "Blender",
  aftereffects: "After Effects",
  premiere: "Premiere Pro",
  libreoffice: "LibreOffice",
  excel: "Excel",
  solidworks: "SolidWorks",
};

/** Transcripts do not record the script's language: it follows from the app. */
const LANGUAGE_OF_APP = { aftereffects: "extendscript", premiere: "extendscript" };

const $ = (id) => document.getElementById(id);
const ui = {
  notice: $("notice"),
  host: $("host"),
  hostDetail: $("host-detail"),
  hostsEmpty: $("hosts-empty"),
  historyToggle: $("history-toggle"),
  history: $("history"),
  historyEmpty: $("history-empty"),
  sessionList: $("session-list"),
  newChat: $("new-chat"),
  conversation: $("conversation"),
  welcome: $("welcome"),
  status: $("status"),
  usage: $("usage"),
  composer: $("composer"),
  message: $("message"),
  send: $("send"),
  stop: $("stop"),
};

const state = {
  api: null,
  hosts: [],
  sessionId: null,
  working: false,
  /** The assistant bubble text deltas go into; a card or note starts a new one. */
  bubble: null,
  /** Script cards by script id. */
  cards: new Map(),
  follow: null,
};

// ---------------------------------------------------------------- helpers

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(label, className, onClick) {
  const node = el("button", className, label);
  node.type = "button";
  node.addEventListener("click", onClick);
  return node;
}

function showNotice(text) {
  ui.notice.textContent = text;
  ui.notice.hidden = !text;
}

function appName(app) {
  return APP_NAMES[app] ?? app;
}

function scrollToEnd() {
  ui.conversation.scrollTop = ui.conversation.scrollHeight;
}

function add(node) {
  ui.welcome.hidden = true;
  ui.conversation.append(node);
  scrollToEnd();
  return node;
}

function setStatus(text) {
  ui.status.textContent = text;
}

function formatNumber(n) {
  return Number(n ?? 0).toLocaleString("en-US");
}

function json(value) {
  try {
    return JSON.stringify(value, null, 2) ?? "undefined";
  } catch {
    return String(value);
  }
}

// ---------------------------------------------------------------- hosts

async function refreshHosts() {
  if (state.locked) return;
  let hosts;
  try {
    hosts = await state.api.get("/api/hosts");
  } catch (error) {
    setStatus(`Cannot reach the bridge: ${error.message}`);
    return;
  }
  if (ui.status.textContent.startsWith("Cannot reach the bridge")) setStatus("");
  state.hosts = hosts;
  const wanted = ui.host.value || localStorage.getItem(HOST_KEY);
  const signature = JSON.stringify(hosts.map((h) => [h.id, h.app, h.appVersion, h.document, h.busy]));
  if (signature === state.hostsSignature) return describeHost();
  state.hostsSignature = signature;
  const options = hosts.map((host) => {
    const option = el("option");
    option.value = host.id;
    const doc = host.document ? ` · ${host.document}` : "";
    option.textContent = `${appName(host.app)} ${host.appVersion}${doc}${host.busy ? " (busy)" : ""}`;
    return option;
  });
  ui.host.replaceChildren(...options);
  if (hosts.some((host) => host.id === wanted)) ui.host.value = wanted;
  ui.host.hidden = hosts.length === 0;
  ui.hostsEmpty.hidden = hosts.length > 0;
  describeHost();
}

function describeHost() {
  const host = state.hosts.find((h) => h.id === ui.host.value);
  ui.hostDetail.textContent = host
    ? `${host.name} — ${host.language}${host.managed ? ", headless" : ""}; document: ${host.document || "untitled"}`
    : "";
}

// ---------------------------------------------------------------- conversation

function userBubble(text) {
  state.bubble = null;
  return add(el("div", "msg user", text));
}

function assistantText(delta) {
  if (!state.bubble) state.bubble = add(el("div", "msg assistant"));
  state.bubble.append(delta);
  scrollToEnd();
}

function note(text, className = "") {
  state.bubble = null;
  return add(el("p", `note ${className}`.trim(), text));
}

function errorBubble(text) {
  state.bubble = null;
  return add(el("div", "msg error", text));
}

function toolNote(name, input) {
  if (name === "run_script") return;
  const labels = {
    search_docs: (i) => `Searching the docs: ${i?.query ?? ""}`,
    read_doc: (i) => `Reading ${i?.path ?? "the docs"}`,
    list_docs: (i) => `Listing ${i?.path || "the docs"}`,
    get_app_state: () => "Looking at the app's state",
  };
  const text = labels[name]?.(input) ?? `Tool: ${name}`;
  note(text.length > 120 ? `${text.slice(0, 119)}…` : text, "tool");
}

function showUsage(total, modelCalls) {
  ui.usage.hidden = false;
  ui.usage.textContent =
    `Tokens: ${formatNumber(total.input)} input · ${formatNumber(total.cacheRead)} cached · ` +
    `${formatNumber(total.output)} output · ${formatNumber(modelCalls)} model ${modelCalls === 1 ? "call" : "calls"}`;
}

function clearConversation() {
  state.bubble = null;
  state.cards.clear();
  ui.conversation.replaceChildren(ui.welcome);
  ui.welcome.hidden = false;
  ui.usage.hidden = true;
  ui.usage.textContent = "";
}

// ---------------------------------------------------------------- script cards

class ScriptCard {
  constructor(script) {
    this.script = script;
    this.code = script.code;
    this.root = el("article", "card");
    this.root.dataset.scriptId = script.id;
    const head = el("header", "card-head");
    head.append(
      el("span", "card-kind", "Script"),
      el("p", "card-desc", script.description || "(no description)"),
    );
    this.root.append(head);

    const risks = script.risks ?? [];
    if (risks.length) {
      const list = el("ul", "risks");
      list.setAttribute("aria-label", "Risks");
      for (const risk of risks) {
        const item = el("li", "risk");
        item.append(el("span", "risk-icon", "⚠"), el("span", "", risk.reason));
        if (risk.line) item.append(el("span", "risk-line", ` (line ${risk.line})`));
        list.append(item);
      }
      this.root.append(list);
    }

    this.pre = el("pre", `code lang-${script.language ?? "python"}`);
    this.codeEl = el("code");
    this.pre.append(this.codeEl);
    this.root.append(this.pre);
    this.renderCode();

    this.editor = el("textarea", "code-edit");
    this.editor.setAttribute("aria-label", "Edit the script");
    this.editor.spellcheck = false;
    this.editor.hidden = true;
    this.root.append(this.editor);

    this.actions = el("div", "card-actions");
    this.actions.hidden = true;
    this.approveButton = button("Approve", "primary", () => this.decide(true));
    this.denyButton = button("Deny", "danger", () => this.decide(false));
    this.editButton = button("Edit", "ghost", () => this.toggleEdit());
    this.editButton.setAttribute("aria-pressed", "false");
    this.actions.append(this.approveButton, this.denyButton, this.editButton);
    this.root.append(this.actions);

    this.statusEl = el("p", "card-status");
    this.root.append(this.statusEl);
    this.resultEl = el("div", "result");
    this.resultEl.hidden = true;
    this.root.append(this.resultEl);
  }

  renderCode() {
    renderCode(this.codeEl, this.code, this.script.language);
    const lines = this.codeEl.childElementCount;
    this.pre.classList.toggle("wide-gutter", lines >= 100);
    this.markLine(this.errorLine);
  }

  askApproval() {
    if (this.resolved) return;
    this.actions.hidden = false;
    this.setStatus("Waiting for your approval", "waiting");
    scrollToEnd();
  }

  toggleEdit(force) {
    const editing = force ?? this.editor.hidden;
    if (editing) {
      this.editor.value = this.code;
      this.editor.rows = Math.min(20, Math.max(3, this.code.split("\n").length + 1));
    }
    this.editor.hidden = !editing;
    this.pre.hidden = editing;
    this.editButton.setAttribute("aria-pressed", String(editing));
    this.editButton.textContent = editing ? "Cancel edit" : "Edit";
    if (editing) this.editor.focus();
  }

  async decide(approved) {
    const edited =
      approved && !this.editor.hidden && this.editor.value !== this.code ? this.editor.value : null;
    const body = approved
      ? { scriptId: this.script.id, approved: true, ...(edited !== null ? { code: edited } : {}) }
      : { scriptId: this.script.id, approved: false, reason: "denied by the user" };
    this.setButtons(false);
    // The edited code is shown right away: its result (and error line) may arrive before the answer.
    const original = this.code;
    if (edited !== null) {
      this.code = edited;
      this.renderCode();
      this.root.classList.add("edited");
    }
    try {
      await state.api.post(`/api/sessions/${encodeURIComponent(state.sessionId)}/approvals`, body);
      if (!this.editor.hidden && !this.resolved) this.toggleEdit(false);
    } catch (error) {
      if (edited !== null) {
        this.code = original;
        this.renderCode();
        this.root.classList.remove("edited");
      }
      this.setButtons(true);
      this.setStatus(`Could not send your decision: ${error.message}`, "failed");
    }
  }

  setButtons(enabled) {
    for (const b of [this.approveButton, this.denyButton, this.editButton]) b.disabled = !enabled;
  }

  resolve(approved, reason) {
    this.resolved = true;
    this.setButtons(false);
    this.actions.hidden = true;
    this.editor.hidden = true;
    this.pre.hidden = false;
    if (approved)
      this.setStatus(
        this.root.classList.contains("edited") ? "Approved (edited) — running…" : "Approved — running…",
        "approved",
      );
    else this.setStatus(`Denied${reason ? `: ${reason}` : ""}`, "denied");
  }

  setStatus(text, kind) {
    this.statusEl.textContent = text;
    this.statusEl.className = `card-status ${kind ?? ""}`.trim();
  }

  /** A RunResponse: outcome, value, logs, error (with its line marked in the code). */
  showResult(result) {
    this.resolved = true;
    this.actions.hidden = true;
    if (this.statusEl.classList.contains("approved") || !this.statusEl.textContent) {
      this.setStatus(this.root.classList.contains("edited") ? "Approved (edited)" : "Approved", "approved");
    }
    this.resultEl.hidden = false;
    this.resultEl.replaceChildren();
    const ok = result.outcome === "ok";
    const head = el("p", "result-head");
    head.append(el("span", `outcome ${ok ? "ok" : "bad"}`, result.outcome));
    if (typeof result.durationMs === "number")
      head.append(el("span", "muted", ` ${Math.round(result.durationMs)} ms`));
    this.resultEl.append(head);
    if (result.value !== undefined && result.value !== null) {
      this.resultEl.append(el("p", "result-label", "Value"), el("pre", "value", json(result.value)));
    }
    if (result.logs) this.resultEl.append(el("p", "result-label", "Logs"), el("pre", "logs", result.logs));
    const error = result.error;
    if (error) {
      const where = error.line
        ? ` (line ${error.line}${error.column ? `, column ${error.column}` : ""})`
        : "";
      this.resultEl.append(
        el("p", "error-message", `${error.type ? `${error.type}: ` : ""}${error.message}${where}`),
      );
      if (error.stack) {
        const details = el("details", "stack");
        details.append(el("summary", "", "Traceback"), el("pre", "", error.stack));
        this.resultEl.append(details);
      }
      this.markLine(error.line);
    }
    scrollToEnd();
  }

  markLine(line) {
    this.errorLine = line;
    for (const node of this.codeEl.querySelectorAll(".error-line")) node.classList.remove("error-line");
    if (!line) return;
    this.codeEl.querySelector(`.line[data-line="${Number(line)}"]`)?.classList.add("error-line");
  }
}

function cardFor(script) {
  let card = state.cards.get(script.id);
  if (!card) {
    card = new ScriptCard(script);
    state.cards.set(script.id, card);
  }
  state.bubble = null;
  add(card.root); // appending again moves it after what the replay has shown so far
  return card;
}

/** A script from a saved transcript: read-only, with how it ended. */
function transcriptCard(record) {
  const card = cardFor({
    id: record.scriptId,
    code: record.code,
    description: record.description,
    language: state.sessionLanguage ?? "python",
    risks: [],
  });
  card.resolved = true;
  if (!record.approved) {
    card.setStatus(`Not run${record.error ? `: ${record.error}` : " (denied)"}`, "denied");
    return;
  }
  card.setStatus("Approved", "approved");
  if (record.outcome) {
    card.showResult({
      outcome: record.outcome,
      durationMs: record.durationMs ?? undefined,
      ...(record.error ? { error: { message: record.error } } : {}),
    });
  }
}

// ---------------------------------------------------------------- events

/** Renders one SessionEvent; returns true at the end of a turn. */
function onEvent(event, eventId) {
  if (eventId) rememberEvent(eventId);
  switch (event.type) {
    case "text":
      assistantText(event.delta);
      return false;
    case "tool":
      toolNote(event.name, event.input);
      return false;
    case "script-proposed":
      cardFor(event.script);
      return false;
    case "approval-needed":
      cardFor(event.script).askApproval();
      setStatus("A script is waiting for your approval");
      return false;
    case "approval-resolved":
      state.cards.get(event.scriptId)?.resolve(event.approved, event.reason);
      setStatus(event.approved ? "Running the script…" : "Working…");
      return false;
    case "script-result":
      state.cards.get(event.scriptId)?.showResult(event.result);
      setStatus("Working…");
      return false;
    case "usage":
      showUsage(event.total, event.modelCalls);
      return false;
    case "done":
      if (event.stopReason === "cancelled") note("Stopped.", "stopped");
      else if (event.stopReason === "max_tokens") note("The answer was cut short (output limit).", "stopped");
      endTurn();
      return true;
    case "error":
      errorBubble(`${event.message}${event.kind ? ` (${event.kind})` : ""}`);
      endTurn();
      return true;
    default:
      return false;
  }
}

function rememberEvent(eventId) {
  state.lastEventId = eventId;
}

function setWorking(working) {
  state.working = working;
  ui.stop.hidden = !working;
  ui.stop.disabled = false;
  ui.send.disabled = working;
  if (working) setStatus("Working…");
}

function endTurn() {
  state.bubble = null;
  setWorking(false);
  setStatus("");
  sessionStorage.removeItem(`${TURN_KEY}.${state.sessionId}`);
  if (!ui.history.hidden) refreshHistory();
}

function stopFollowing() {
  state.follow?.abort();
  state.follow = null;
}

function followTurn(sessionId, after) {
  stopFollowing();
  const controller = new AbortController();
  state.follow = controller;
  setWorking(true);
  state.api
    .follow(sessionId, after, {
      signal: controller.signal,
      onEvent: (event, id) => {
        const ended = onEvent(event, id);
        if (ended) controller.abort();
        return ended;
      },
      onStatus: (status, detail) => {
        if (controller.signal.aborted) return;
        if (status === "reconnecting") setStatus("Lost the bridge; reconnecting…");
        else if (status === "connected") setStatus(state.working ? "Working…" : "");
        else if (status === "gone") {
          errorBubble(`This turn was interrupted: ${detail}. Send a message to continue the session.`);
          endTurn();
        }
      },
    })
    .catch((error) => {
      errorBubble(`Lost the event stream: ${error.message}`);
      endTurn();
    });
}

// ---------------------------------------------------------------- sending

async function send() {
  const text = ui.message.value;
  if (!text.trim() || state.working) return;
  ui.send.disabled = true;
  try {
    let after;
    if (state.sessionId) {
      const answer = await state.api.post(`/api/sessions/${encodeURIComponent(state.sessionId)}/messages`, {
        text,
      });
      after = answer.after;
    } else {
      const host = ui.host.value;
      if (!host) throw new Error("No app is connected: connect one first (see above).");
      const answer = await state.api.post("/api/sessions", { prompt: text, host, approval: "ask" });
      openSessionId(answer.id);
      after = 0;
    }
    sessionStorage.setItem(`${TURN_KEY}.${state.sessionId}`, String(after));
    ui.message.value = "";
    userBubble(text);
    followTurn(state.sessionId, after);
  } catch (error) {
    ui.send.disabled = false;
    errorBubble(`Could not send: ${error.message}`);
  }
}

function openSessionId(id) {
  state.sessionId = id;
  if (id) sessionStorage.setItem(SESSION_KEY, id);
  else sessionStorage.removeItem(SESSION_KEY);
  document.body.classList.toggle("in-session", Boolean(id));
}

async function stop() {
  if (!state.sessionId) return;
  ui.stop.disabled = true;
  try {
    await state.api.post(`/api/sessions/${encodeURIComponent(state.sessionId)}/cancel`);
    setStatus("Stopping…");
  } catch (error) {
    ui.stop.disabled = false;
    errorBubble(`Could not stop: ${error.message}`);
  }
}

function newChat() {
  stopFollowing();
  setWorking(false);
  setStatus("");
  openSessionId(null);
  clearConversation();
  ui.message.focus();
}

// ---------------------------------------------------------------- transcripts and history

function textOf(content) {
  if (typeof content === "string") return content;
  return content
    .filter((block) => block.type === "text")
    .map((block) => block.text)
    .join("");
}

/** A user message the person typed (not a tool result). */
function isUserText(record) {
  if (record.type !== "message" || record.message.role !== "user") return false;
  const content = record.message.content;
  return typeof content === "string" || content.some((block) => block.type === "text");
}

function renderRecord(record) {
  switch (record.type) {
    case "message": {
      const { role, content } = record.message;
      if (role === "user") {
        const text = textOf(content);
        if (text.trim()) userBubble(text);
        return;
      }
      for (const block of typeof content === "string" ? [{ type: "text", text: content }] : content) {
        if (block.type === "text" && block.text) assistantText(block.text);
        else if (block.type === "tool_use") toolNote(block.name, block.input);
      }
      state.bubble = null;
      return;
    }
    case "script":
      transcriptCard(record);
      return;
    case "usage":
      showUsage(record.total, record.modelCalls);
      return;
    case "error":
      errorBubble(`${record.message}${record.kind ? ` (${record.kind})` : ""}`);
      return;
    case "done":
      if (record.stopReason === "cancelled") note("Stopped.", "stopped");
      state.bubble = null;
      return;
    default:
      return;
  }
}

/**
 * Opens a session: the saved transcript, then, if it is still working, its current turn is
 * replayed from the bridge's event backlog (from where that turn started) and followed live.
 */
async function openSession(id) {
  stopFollowing();
  setWorking(false);
  let session;
  try {
    session = await state.api.get(`/api/sessions/${encodeURIComponent(id)}`);
  } catch (error) {
    if (error.status === 404 && sessionStorage.getItem(SESSION_KEY) === id) openSessionId(null);
    showNotice(`Could not open session ${id}: ${error.message}`);
    return;
  }
  showNotice("");
  openSessionId(id);
  clearConversation();
  state.sessionLanguage = LANGUAGE_OF_APP[session.app] ?? "python";
  const records = session.records ?? [];
  const live = session.busy || (session.pending ?? []).length > 0;
  let upTo = records.length;
  if (live) {
    // The current turn starts at the last message the person typed; it comes from the replay.
    for (let i = records.length - 1; i >= 0; i--) {
      if (isUserText(records[i])) {
        upTo = i + 1;
        break;
      }
    }
  }
  for (const record of records.slice(0, upTo)) renderRecord(record);
  if (!live) {
    state.bubble = null;
    return;
  }
  for (const script of session.pending ?? []) cardFor(script).askApproval();
  const stored = sessionStorage.getItem(`${TURN_KEY}.${id}`);
  let after = stored !== null ? Number(stored) : null;
  if (after === null || Number.isNaN(after)) {
    // Event ids are time-based (microseconds): start just before the turn's message was saved.
    const start = records[upTo - 1]?.at;
    after = start ? Math.max(0, Date.parse(start) * 1000 - 1) : 0;
  }
  followTurn(id, after);
}

async function refreshHistory() {
  let sessions;
  try {
    sessions = await state.api.get("/api/sessions");
  } catch (error) {
    ui.historyEmpty.hidden = false;
    ui.historyEmpty.textContent = `Could not list sessions: ${error.message}`;
    return;
  }
  ui.historyEmpty.hidden = sessions.length > 0;
  ui.historyEmpty.textContent = "No sessions yet.";
  ui.sessionList.replaceChildren(
    ...sessions.map((session) => {
      const item = el("li", "session-item");
      if (session.id === state.sessionId) item.classList.add("current");
      const open = button("", "session-open", () => {
        ui.history.hidden = true;
        ui.historyToggle.setAttribute("aria-expanded", "false");
        openSession(session.id);
      });
      open.dataset.sessionId = session.id;
      open.append(
        el("span", "session-title", session.title || "(untitled)"),
        el(
          "span",
          "session-meta",
          `${appName(session.app)} · ${session.status} · ${session.scripts} ${session.scripts === 1 ? "script" : "scripts"} · ${new Date(session.updatedAt).toLocaleString()}`,
        ),
      );
      item.append(open);
      return item;
    }),
  );
}

function toggleHistory() {
  const show = ui.history.hidden;
  ui.history.hidden = !show;
  ui.historyToggle.setAttribute("aria-expanded", String(show));
  if (show) refreshHistory();
}

// ---------------------------------------------------------------- start

function applyHostTheme() {
  const cep = window.__adobe_cep__;
  if (!cep) return;
  document.documentElement.classList.add("host-cep");
  try {
    const env = JSON.parse(cep.getHostEnvironment());
    const color = env?.appSkinInfo?.panelBackgroundColor?.color;
    if (color) {
      const light = (color.red * 299 + color.green * 587 + color.blue * 114) / 1000 > 128;
      document.documentElement.classList.add(light ? "host-light" : "host-dark");
    }
  } catch {
    // no skin info: the default dark theme stays
  }
}

function noToken(message) {
  state.locked = true;
  stopFollowing();
  forgetToken();
  showNotice(message);
  ui.composer.hidden = true;
  ui.host.disabled = true;
  ui.newChat.disabled = true;
  ui.historyToggle.disabled = true;
}

function main() {
  applyHostTheme();
  const token = takeToken();
  if (!token) {
    noToken(
      "No access token. Open the URL that `scriptwright serve` printed (http://127.0.0.1:PORT/?token=…).",
    );
    return;
  }
  state.api = createApi(token, () =>
    noToken(
      "The bridge did not accept this page's token (it may have restarted). Open the URL that `scriptwright serve` printed.",
    ),
  );

  ui.host.addEventListener("change", () => {
    localStorage.setItem(HOST_KEY, ui.host.value);
    describeHost();
  });
  ui.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    send();
  });
  ui.message.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      send();
    }
  });
  ui.stop.addEventListener("click", stop);
  ui.newChat.addEventListener("click", newChat);
  ui.historyToggle.addEventListener("click", toggleHistory);

  if (window.__adobe_cep__) {
    startCepHost(window.__adobe_cep__, token, (status) => {
      document.documentElement.dataset.cepHost = status;
    });
  }
  refreshHosts();
  setInterval(refreshHosts, HOSTS_EVERY_MS);
  const current = sessionStorage.getItem(SESSION_KEY);
  if (current) openSession(current);
}

main();
