// The chat panel: pick a host, talk to the agent, approve or deny its scripts, watch results.
// Plain DOM (textContent only for anything that comes from the bridge or the model).
import { createApi, forgetToken, takeToken } from "./api.js";
import { startCepHost } from "./cep-host.js";
import { watchDocsBuilds } from "./docs-progress.js";
import { button, el } from "./dom.js";
import { renderCode } from "./highlight.js";
import { historyPanel, testsPanel } from "./macro-versions.js";
import { createModelSettings } from "./model-settings.js";
import { capturePictures, sessionPictures } from "./pictures.js";
import {
  buildSchema,
  collectParams,
  fieldHint,
  fieldNamedIn,
  formModel,
  macroNameProblem,
  PARAM_TYPES,
} from "./schema-form.js";
import { clearUndo, offerUndo } from "./undo.js";

const HOST_KEY = "scriptwright.host";
const SESSION_KEY = "scriptwright.session";
const TURN_KEY = "scriptwright.turnAfter"; // where the current turn's events start, per session
const HOSTS_EVERY_MS = 3000;

const $ = (id) => document.getElementById(id);
const ui = {
  notice: $("notice"),
  waiting: $("waiting"),
  waitingText: $("waiting-text"),
  waitingOpen: $("waiting-open"),
  host: $("host"),
  showMe: $("show-me"),
  hostDetail: $("host-detail"),
  hostsEmpty: $("hosts-empty"),
  historyToggle: $("history-toggle"),
  macrosToggle: $("macros-toggle"),
  macros: $("macros"),
  macrosTitle: $("macros-title"),
  macrosEmpty: $("macros-empty"),
  macroList: $("macro-list"),
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
  /** The app and script language of the open session (what "Save as macro" records). */
  sessionApp: null,
  sessionLanguage: null,
  /** GET /api/macros, kept while the Macros view is open. */
  macros: null,
  /** GET /api/apps by app id: display names and languages come from the bridge's registry. */
  apps: new Map(),
  /** Settles once /api/apps answered (or failed: an older bridge; names then fall back to ids). */
  appsReady: Promise.resolve(),
  working: false,
  /** The assistant bubble text deltas go into; a card or note starts a new one. */
  bubble: null,
  /** Script cards by script id. */
  cards: new Map(),
  follow: null,
};

// ---------------------------------------------------------------- helpers

function showNotice(text) {
  ui.notice.textContent = text;
  ui.notice.hidden = !text;
}

function appName(app) {
  return state.apps.get(app)?.displayName ?? app;
}

async function loadApps() {
  try {
    const list = await state.api.get("/api/apps");
    state.apps = new Map(list.map((info) => [info.app, info]));
  } catch {
    state.apps = new Map();
  }
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

/** Points to scripts waiting for approval in sessions other than the open one. */
async function refreshWaiting() {
  if (state.locked) return;
  let waiting;
  try {
    waiting = await state.api.get("/api/approvals");
  } catch {
    return; // refreshHosts reports an unreachable bridge
  }
  const elsewhere = waiting.filter((item) => item.sessionId !== state.sessionId);
  ui.waiting.hidden = elsewhere.length === 0;
  if (!elsewhere.length) return;
  const first = elsewhere[0];
  const more = elsewhere.length > 1 ? ` (and ${elsewhere.length - 1} more)` : "";
  const where = first.hostId ? ` (to run in ${first.hostId})` : "";
  ui.waitingText.textContent = `A script waits for your approval${where}: “${first.description}”${more}.`;
  ui.waitingOpen.onclick = () => {
    ui.waiting.hidden = true;
    openSession(first.sessionId);
  };
}

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
  const signature = JSON.stringify(
    hosts.map((h) => [h.id, h.name, h.appVersion, h.document, h.busy, h.managed]),
  );
  if (signature === state.hostsSignature) return describeHost();
  state.hostsSignature = signature;
  const options = hosts.map((host) => {
    const option = el("option");
    option.value = host.id;
    option.textContent = `${hostLabel(host)}${host.busy ? " (busy)" : ""}`;
    return option;
  });
  const before = activeHost()?.app;
  ui.host.replaceChildren(...options);
  if (hosts.some((host) => host.id === wanted)) ui.host.value = wanted;
  ui.host.hidden = hosts.length === 0;
  ui.hostsEmpty.hidden = hosts.length > 0;
  describeHost();
  if (!ui.macros.hidden && activeHost()?.app !== before) renderMacros();
}

function activeHost() {
  return state.hosts.find((h) => h.id === ui.host.value) ?? null;
}

/**
 * A host as people see it: its id (the one `exec --host`, the Blender sidebar and `hosts` show),
 * its name when different, the app, the document, and whether it is headless. Two instances of
 * one app differ by id, name and document.
 */
function hostLabel(host) {
  const name = host.name && host.name !== host.id ? ` (${host.name})` : "";
  const kind = host.managed ? " · headless" : "";
  return `${host.id}${name} — ${appName(host.app)} ${host.appVersion} · ${host.document || "untitled"}${kind}`;
}

/** Where a script runs, for its approval card: the host's label, or its id once it is gone. */
function hostLabelById(id) {
  const host = state.hosts.find((h) => h.id === id);
  return host ? hostLabel(host) : id;
}

function describeHost() {
  const host = state.hosts.find((h) => h.id === ui.host.value);
  ui.hostDetail.textContent = host
    ? `${host.name} — ${host.language}${host.managed ? ", headless" : ""}; document: ${host.document || "untitled"}`
    : "";
  // "Show me" only for apps whose adapter can take pictures.
  ui.showMe.hidden = !host || !state.apps.get(host.app)?.capabilities?.includes("capture");
}

/** "Show me": a picture of the selected host's app, added to the conversation. */
async function showMe() {
  const host = activeHost();
  if (!host) return;
  ui.showMe.disabled = true;
  setStatus(`Taking a picture of ${host.id}…`);
  try {
    const answer = await state.api.post("/api/capture", { host: host.id });
    state.bubble = null;
    const shown = el("div", "msg pictures-msg");
    shown.append(el("p", "note", `${hostLabel(host)}:`), capturePictures(answer));
    add(shown);
    setStatus("");
  } catch (error) {
    setStatus("");
    errorBubble(`No picture of ${host.id}: ${error.message}`);
  } finally {
    ui.showMe.disabled = false;
  }
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
    capture: () => "Looking at the app",
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
  clearUndo();
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
    // Which app instance will run it: several may be connected (a headless one among them).
    if (script.hostId) this.root.append(el("p", "card-host", `Runs in ${hostLabelById(script.hostId)}`));

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
    renderResult(this.resultEl, result);
    // The last run that kept a checkpoint can be taken back from its card.
    offerUndo(state.api, this, result);
    if (result.error) this.markLine(result.error.line);
    if (result.outcome === "ok" && state.sessionId && !this.saver) {
      // The code that ran (the person's edit, if any) can be kept as a macro.
      this.saver = new MacroSaver({
        code: () => this.code,
        description: this.script.description,
        app: state.sessionApp,
        language: this.script.language ?? state.sessionLanguage,
        source: { kind: "session", sessionId: state.sessionId, scriptId: this.script.id },
      });
      this.root.append(this.saver.root);
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

/** A RunResponse into `container`: outcome and time, value, logs, error with its traceback. */
function renderResult(container, result) {
  container.hidden = false;
  container.replaceChildren();
  const ok = result.outcome === "ok";
  const head = el("p", "result-head");
  head.append(el("span", `outcome ${ok ? "ok" : "bad"}`, result.outcome));
  if (typeof result.durationMs === "number")
    head.append(el("span", "muted", ` ${Math.round(result.durationMs)} ms`));
  container.append(head);
  if (result.value !== undefined && result.value !== null) {
    container.append(el("p", "result-label", "Value"), el("pre", "value", json(result.value)));
  }
  if (result.logs) container.append(el("p", "result-label", "Logs"), el("pre", "logs", result.logs));
  const error = result.error;
  if (error) {
    const where = error.line ? ` (line ${error.line}${error.column ? `, column ${error.column}` : ""})` : "";
    container.append(
      el("p", "error-message", `${error.type ? `${error.type}: ` : ""}${error.message}${where}`),
    );
    if (error.stack) {
      const details = el("details", "stack");
      details.append(el("summary", "", "Traceback"), el("pre", "", error.stack));
      container.append(details);
    }
  }
}

/** A capture's pictures (event or transcript record): in the card of the script that took them, else on their own. */
function showSessionPictures(record) {
  const card = record.scriptId ? state.cards.get(record.scriptId) : null;
  const container = card ? card.root : add(el("div", "msg pictures-msg"));
  state.bubble = null;
  sessionPictures(state.api, state.sessionId, record, container).then(scrollToEnd);
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
    language: state.sessionLanguage ?? undefined,
    risks: record.risks ?? [],
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

// ---------------------------------------------------------------- macros

let uid = 0;
const nextId = (prefix) => `${prefix}-${++uid}`;

/** A labelled input for a form grid; returns {field, input}. */
function labelled(labelText, input, className = "field") {
  const field = el("div", className);
  input.id ||= nextId("in");
  const label = el("label", "field-label", labelText);
  label.htmlFor = input.id;
  field.append(label, input);
  return { field, input, label };
}

function input(type, attrs = {}) {
  const node = el("input");
  node.type = type;
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, value);
  return node;
}

/** Where `params` comes from in the macro's code, for the editor's hint. */
function paramsExample(language) {
  return language === "python" ? 'params["name"]' : "params.name";
}

/** "Save as macro" under a script that worked: name, description, parameters → POST /api/macros. */
class MacroSaver {
  constructor(context) {
    this.context = context;
    this.root = el("div", "macro-save");
    this.toggle = button("Save as macro", "ghost", () => this.open(this.form.hidden));
    this.toggle.setAttribute("aria-expanded", "false");
    this.saved = el("p", "macro-saved");
    this.saved.setAttribute("role", "status");
    this.saved.hidden = true;

    this.form = el("form", "macro-form");
    this.form.noValidate = true;
    this.form.hidden = true;
    this.form.id = nextId("save");
    this.form.setAttribute("aria-label", "Save as macro");
    this.toggle.setAttribute("aria-controls", this.form.id);

    this.name = input("text", {
      autocomplete: "off",
      spellcheck: "false",
      maxlength: "64",
      pattern: "[a-z0-9][a-z0-9._\\-]{0,63}",
      placeholder: "e.g. add-cubes",
      required: "",
    });
    const name = labelled("Name", this.name);
    this.name.setAttribute("aria-label", "Macro name");
    this.description = input("text", { maxlength: "500" });
    this.description.value = context.description || "";
    const description = labelled("Description", this.description);
    this.description.setAttribute("aria-label", "Macro description");

    const params = el("fieldset", "param-editor");
    params.append(
      el("legend", "", "Parameters"),
      el(
        "p",
        "hint",
        `The code reads them as ${paramsExample(context.language)}. A parameter without a default is required.`,
      ),
    );
    this.rows = el("div", "param-rows");
    this.addButton = button("Add parameter", "ghost small", () => this.addRow());
    params.append(this.rows, this.addButton);

    this.error = el("p", "form-error");
    this.error.setAttribute("role", "alert");
    this.error.hidden = true;
    this.submit = el("button", "primary", "Save macro");
    this.submit.type = "submit";
    // The name is taken: saving again makes the next version of that macro (the old one stays in its history).
    this.again = button("Save as its next version", "ghost", () => this.save(true));
    this.again.hidden = true;
    const actions = el("div", "form-actions");
    actions.append(
      this.submit,
      this.again,
      button("Cancel", "ghost", () => this.open(false)),
    );
    this.form.append(name.field, description.field, params, this.error, actions);
    this.form.addEventListener("submit", (event) => {
      event.preventDefault();
      this.save();
    });
    this.form.addEventListener("input", (event) => event.target.removeAttribute?.("aria-invalid"));
    this.root.append(this.toggle, this.form, this.saved);
  }

  open(show) {
    this.form.hidden = !show;
    this.toggle.setAttribute("aria-expanded", String(show));
    if (show) {
      this.name.focus();
      this.form.scrollIntoView({ block: "nearest" });
    }
  }

  addRow() {
    const row = el("div", "param-row");
    const name = input("text", { autocomplete: "off", spellcheck: "false", placeholder: "name" });
    const type = el("select");
    for (const t of PARAM_TYPES) type.append(new Option(t, t));
    const fallback = input("text", { placeholder: "default" });
    const description = input("text", { placeholder: "description" });
    const remove = button("✕", "ghost small remove", () => {
      row.remove();
      this.relabel();
      this.addButton.focus();
    });
    row.append(name, type, fallback, description, remove);
    Object.assign(row, { parts: { name, type, default: fallback, description, remove } });
    this.rows.append(row);
    this.relabel();
    name.focus();
  }

  /** Accessible names follow the rows' order: "Parameter 2 type". */
  relabel() {
    [...this.rows.children].forEach((row, i) => {
      const n = i + 1;
      const { name, type, default: fallback, description, remove } = row.parts;
      name.setAttribute("aria-label", `Parameter ${n} name`);
      type.setAttribute("aria-label", `Parameter ${n} type`);
      fallback.setAttribute("aria-label", `Parameter ${n} default`);
      description.setAttribute("aria-label", `Parameter ${n} description`);
      remove.setAttribute("aria-label", `Remove parameter ${n}`);
    });
  }

  fail(message, input) {
    this.error.textContent = message;
    this.error.hidden = false;
    for (const node of this.form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.focus();
    }
  }

  async save(replace = false) {
    const name = this.name.value.trim();
    const nameProblem = macroNameProblem(name);
    if (nameProblem) return this.fail(nameProblem, this.name);
    const rows = [...this.rows.children].map((row) => ({
      name: row.parts.name.value,
      type: row.parts.type.value,
      default: row.parts.default.value,
      description: row.parts.description.value,
    }));
    const built = buildSchema(rows);
    if (built.problem) {
      const { row, field } = built.problem;
      return this.fail(built.problem.message, this.rows.children[row]?.parts[field]);
    }
    const body = {
      name,
      app: this.context.app,
      ...(this.context.language ? { language: this.context.language } : {}),
      description: this.description.value.trim(),
      code: this.context.code(),
      ...(built.schema ? { params: built.schema } : {}),
      source: this.context.source,
    };
    this.submit.disabled = true;
    this.error.hidden = true;
    this.again.hidden = true;
    try {
      const macro = await state.api.post(`/api/macros${replace ? "?replace=true" : ""}`, body);
      this.form.hidden = true;
      this.toggle.hidden = true;
      this.saved.hidden = false;
      const version = macro?.version > 1 ? ` as version ${macro.version}` : "";
      this.saved.textContent = `Saved as macro “${macro?.name ?? name}”${version}. Open Macros to run it.`;
      if (!ui.macros.hidden) refreshMacros();
    } catch (error) {
      // 409: the name is taken; a 400 names its field first ("name: …", "params.properties…").
      const field = error.status === 409 || /^name\b/.test(error.message) ? this.name : null;
      this.fail(error.message, field);
      this.again.hidden = error.status !== 409;
    } finally {
      this.submit.disabled = false;
    }
  }
}

async function refreshMacros() {
  ui.macrosEmpty.hidden = false;
  ui.macrosEmpty.textContent = state.macros ? ui.macrosEmpty.textContent : "Loading…";
  try {
    state.macros = await state.api.get("/api/macros");
  } catch (error) {
    state.macros = null;
    ui.macroList.replaceChildren();
    ui.macrosEmpty.textContent =
      error.status === 404
        ? "This bridge has no macros yet (update Scriptwright)."
        : `Could not list macros: ${error.message}`;
    return;
  }
  renderMacros();
}

function renderMacros() {
  const host = activeHost();
  const macros = state.macros ?? [];
  ui.macrosTitle.textContent = host ? `Macros for ${appName(host.app)}` : "Macros";
  const shown = host ? macros.filter((macro) => macro.app === host.app) : [];
  ui.macrosEmpty.hidden = shown.length > 0;
  ui.macrosEmpty.textContent = !host
    ? "Connect an app to run its macros."
    : `No macros for ${appName(host.app)} yet: use “Save as macro” under a script that worked.`;
  // Items already shown keep their open form and last result.
  const existing = new Map([...ui.macroList.children].map((item) => [item.macroKey, item]));
  ui.macroList.replaceChildren(
    ...shown.map((macro) => {
      const key = `${macro.app}/${macro.name}/${macro.hash ?? ""}/${macro.reviewed === false ? "unreviewed" : ""}`;
      return existing.get(key) ?? macroItem(macro, key);
    }),
  );
}

function macroItem(macro, key) {
  const item = el("li", "macro-item");
  item.macroKey = key;
  item.dataset.macro = macro.name;
  const head = el("div", "macro-head");
  const title = el("span", "macro-name", macro.name);
  head.append(title);
  if (macro.starter) head.append(el("span", "badge", "starter"));
  // An agent saved this code and no person approved it yet (older bridges send no flag).
  const unreviewed = macro.reviewed === false;
  if (unreviewed) head.append(el("span", "badge warn", "unreviewed"));
  const fields = formModel(macro.params);
  const form = el("form", "run-form");
  form.noValidate = true;
  form.hidden = true;
  form.id = nextId("run");
  form.setAttribute("aria-label", `Parameters of ${macro.name}`);
  const run = button("Run", "primary small run", () => {
    if (fields.length === 0) return runMacro(macro, fields, form, item);
    const show = form.hidden;
    form.hidden = !show;
    run.setAttribute("aria-expanded", String(show));
    if (show) form.querySelector("input, select, textarea")?.focus();
  });
  title.id = nextId("mname");
  run.setAttribute("aria-describedby", title.id);
  if (fields.length) {
    run.setAttribute("aria-expanded", "false");
    run.setAttribute("aria-controls", form.id);
  }
  head.append(run);
  item.append(head);
  if (macro.description) item.append(el("p", "macro-desc", macro.description));
  run.hidden = unreviewed;

  for (const field of fields) form.append(fieldInput(field));
  const error = el("p", "form-error");
  error.setAttribute("role", "alert");
  error.hidden = true;
  const submit = el("button", "primary", "Run macro");
  submit.type = "submit";
  const actions = el("div", "form-actions");
  actions.append(
    submit,
    button("Close", "ghost", () => {
      form.hidden = true;
      run.setAttribute("aria-expanded", "false");
    }),
  );
  form.append(error, actions);
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    runMacro(macro, fields, form, item);
  });
  form.addEventListener("input", (event) => event.target.removeAttribute?.("aria-invalid"));
  const status = el("p", "card-status");
  const result = el("div", "result");
  result.hidden = true;
  item.append(form, status, result);

  // The list leaves the code out: it is read when the person opens "Code".
  const code = el("details", "macro-code");
  const pre = el("pre", `code lang-${macro.language ?? "python"}`);
  const codeEl = el("code");
  pre.append(codeEl);
  code.append(el("summary", "", "Code"), pre);
  code.addEventListener("toggle", async () => {
    if (!code.open || code.dataset.loaded) return;
    code.dataset.loaded = "loading";
    try {
      const full = await state.api.get(`/api/macros/${encodeURIComponent(macro.name)}`);
      renderCode(codeEl, full?.code ?? "", full?.language ?? macro.language ?? "python");
      code.dataset.loaded = "yes";
    } catch (error) {
      codeEl.textContent = `Could not read the code: ${error.message}`;
      delete code.dataset.loaded;
    }
  });
  item.append(code);
  // Its versions (diff, revert) and its tests (last result, Run tests).
  item.append(historyPanel(state.api, macro, { onChange: refreshMacros }), testsPanel(state.api, macro));
  if (unreviewed) {
    const review = button("Review code", "primary small", () => {
      code.open = true;
      code.scrollIntoView({ block: "nearest" });
    });
    review.setAttribute("aria-describedby", title.id);
    head.append(review);
    code.append(approvalBar(macro, code));
  }
  Object.assign(item, { parts: { form, error, submit, run, status, result } });
  return item;
}

/** Under an unreviewed macro's code: approving this exact version lets it run. */
function approvalBar(macro, code) {
  const bar = el("div", "macro-approve");
  const note = el(
    "p",
    "hint macro-approve-note",
    "An agent saved this code. Read it, then approve it to run it as a macro.",
  );
  const problem = el("p", "form-error");
  problem.setAttribute("role", "alert");
  problem.hidden = true;
  const approve = button("Approve this code", "primary small", async () => {
    if (code.dataset.loaded !== "yes") {
      problem.hidden = false;
      problem.textContent = "Read the code first (it is still loading).";
      return;
    }
    approve.disabled = true;
    try {
      await state.api.post(`/api/macros/${encodeURIComponent(macro.name)}/approve`, {
        hash: macro.hash,
        via: "panel",
      });
      await refreshMacros();
    } catch (failure) {
      problem.hidden = false;
      problem.textContent = `Could not approve: ${failure.message}`;
      approve.disabled = false;
    }
  });
  bar.append(note, approve, problem);
  return bar;
}

/** One generated input (by type, with required, default, min/max and the description as hint). */
function fieldInput(field) {
  let control;
  if (field.kind === "checkbox") {
    control = input("checkbox");
    control.checked = field.initial;
  } else if (field.kind === "select") {
    control = el("select");
    if (!field.required) control.append(new Option("—", ""));
    field.options.forEach((option, i) => {
      control.append(new Option(option.label, String(i)));
    });
    control.value = field.initial;
  } else if (field.kind === "json") {
    control = el("textarea");
    control.rows = 2;
    control.value = field.initial;
    control.spellcheck = false;
  } else {
    const numeric = field.kind === "number" || field.kind === "integer";
    control = input(numeric ? "number" : "text", numeric ? { step: field.step, inputmode: "decimal" } : {});
    if (numeric && field.kind === "integer") control.setAttribute("inputmode", "numeric");
    if (field.min !== undefined) control.min = String(field.min);
    if (field.max !== undefined) control.max = String(field.max);
    if (field.minLength !== undefined) control.minLength = field.minLength;
    if (field.maxLength !== undefined) control.maxLength = field.maxLength;
    control.value = field.initial;
  }
  control.name = field.name;
  control.id = nextId("param");
  control.dataset.param = field.name;
  if (field.required) {
    control.required = true;
    control.setAttribute("aria-required", "true");
  }
  const wrap = el("div", `field param-field kind-${field.kind}`);
  const label = el("label", "field-label");
  label.htmlFor = control.id;
  label.append(field.label);
  if (field.required) {
    const mark = el("span", "req", " *");
    mark.title = "required";
    mark.setAttribute("aria-hidden", "true");
    label.append(mark);
  }
  if (field.kind === "checkbox") wrap.append(control, label);
  else wrap.append(label, control);
  const hintText = fieldHint(field);
  if (hintText) {
    const hint = el("p", "hint", hintText);
    hint.id = nextId("hint");
    control.setAttribute("aria-describedby", hint.id);
    wrap.append(hint);
  }
  return wrap;
}

async function runMacro(macro, fields, form, item) {
  const { error, submit, run, status, result } = item.parts;
  const values = {};
  for (const control of form.querySelectorAll("[data-param]")) {
    values[control.dataset.param] = control.type === "checkbox" ? control.checked : control.value;
  }
  for (const node of form.querySelectorAll("[aria-invalid]")) node.removeAttribute("aria-invalid");
  error.hidden = true;
  const collected = collectParams(fields, values);
  if (collected.problem) return showRunError(item, fields, collected.problem.message);
  const host = ui.host.value;
  if (!host) return showRunError(item, fields, "No app is connected: connect one first.");
  submit.disabled = true;
  run.disabled = true;
  status.className = "card-status approved";
  status.textContent = `Running ${macro.name}…`;
  result.hidden = true;
  try {
    const answer = await state.api.post(`/api/macros/${encodeURIComponent(macro.name)}/run`, {
      params: collected.params,
      host,
    });
    status.textContent = "";
    status.className = "card-status";
    renderResult(result, answer);
    result.scrollIntoView({ block: "nearest" });
  } catch (failure) {
    status.textContent = "";
    status.className = "card-status";
    showRunError(item, fields, failure.message);
  } finally {
    submit.disabled = false;
    run.disabled = false;
  }
}

/** An error next to the run form, with the parameter it names marked. */
function showRunError(item, fields, message) {
  const { form, error, run } = item.parts;
  // (A macro without parameters: its form then holds only the message.)
  form.hidden = false;
  if (run.hasAttribute("aria-expanded")) run.setAttribute("aria-expanded", "true");
  error.textContent = message;
  error.hidden = false;
  const field = fieldNamedIn(fields, message);
  const named =
    field && [...form.querySelectorAll("[data-param]")].find((c) => c.dataset.param === field.name);
  if (named) {
    named.setAttribute("aria-invalid", "true");
    error.id ||= nextId("err");
    const described = (named.getAttribute("aria-describedby") ?? "").split(" ").filter(Boolean);
    if (!described.includes(error.id))
      named.setAttribute("aria-describedby", [...described, error.id].join(" "));
  }
}

function toggleMacros() {
  const show = ui.macros.hidden;
  ui.macros.hidden = !show;
  ui.macrosToggle.setAttribute("aria-expanded", String(show));
  if (show) {
    ui.history.hidden = true;
    ui.historyToggle.setAttribute("aria-expanded", "false");
    refreshMacros();
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
    case "pictures":
      showSessionPictures(event);
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
      state.modelSettings?.afterError(event.kind);
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
    // The model picked for this message, if another than the session's (or the configured) one.
    const choice = state.modelSettings?.choice() ?? {};
    if (state.sessionId) {
      const answer = await state.api.post(`/api/sessions/${encodeURIComponent(state.sessionId)}/messages`, {
        text,
        ...choice,
      });
      after = answer.after;
    } else {
      const host = ui.host.value;
      if (!host) throw new Error("No app is connected: connect one first (see above).");
      const answer = await state.api.post("/api/sessions", {
        prompt: text,
        host,
        approval: "ask",
        ...choice,
      });
      openSessionId(answer.id);
      const chosen = state.hosts.find((h) => h.id === host);
      state.sessionApp = chosen?.app ?? null;
      state.sessionLanguage = chosen?.language ?? null;
      after = 0;
    }
    state.modelSettings?.sent(choice.model);
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
  state.modelSettings?.showSession(null);
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
    case "pictures":
      showSessionPictures(record);
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
  state.modelSettings?.showSession(session);
  state.sessionApp = session.app ?? null;
  // Transcripts from before the language was kept: the app's own language.
  await state.appsReady;
  state.sessionLanguage = session.language ?? state.apps.get(session.app)?.defaultLanguage ?? null;
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
  if (show) {
    ui.macros.hidden = true;
    ui.macrosToggle.setAttribute("aria-expanded", "false");
    refreshHistory();
  }
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
  ui.macrosToggle.disabled = true;
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

  // The model in use and the key, before the first prompt: a missing key shows at once.
  state.modelSettings = createModelSettings(state.api, $("model-settings"));
  state.modelSettings.refresh();

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
  ui.showMe.addEventListener("click", showMe);
  ui.newChat.addEventListener("click", newChat);
  ui.historyToggle.addEventListener("click", toggleHistory);
  ui.macrosToggle.addEventListener("click", toggleMacros);

  if (window.__adobe_cep__) {
    startCepHost(window.__adobe_cep__, token, (status) => {
      document.documentElement.dataset.cepHost = status;
    });
  }
  state.appsReady = loadApps();
  refreshHosts();
  // Host labels use the apps' names: draw them again once those are known.
  state.appsReady.then(() => {
    state.hostsSignature = null;
    refreshHosts();
  });
  setInterval(refreshHosts, HOSTS_EVERY_MS);
  refreshWaiting();
  setInterval(refreshWaiting, HOSTS_EVERY_MS);
  watchDocsBuilds(state.api, ui.hostDetail);
  const current = sessionStorage.getItem(SESSION_KEY);
  if (current) openSession(current);
}

main();
