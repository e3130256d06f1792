// The model line and the API key form of the chat panel, from GET /api/config. The line names
// the provider and endpoint in use, and a picker lists the endpoint's models (GET /api/models):
// a new chat starts on the one picked, and an open session keeps its own (its transcript says
// which) until another is picked for its next message. A missing Anthropic key shows at once
// (not after the first prompt fails), with a password field that stores the key in the
// bridge's config.json (POST /api/config), which the next message uses; an OpenAI-compatible
// endpoint needs a key only if it says so. The key itself never comes back: the bridge answers
// only a hint of it ("sk-…1234") and where it came from.

import { el } from "./dom.js";

/** "config.json" or "ANTHROPIC_API_KEY in the bridge's environment": where a setting came from. */
function sourceText(setting) {
  if (setting.source === "environment") return `${setting.from} in the bridge's environment`;
  if (setting.source === "config") return "config.json";
  if (setting.source === "flag") return setting.from ?? "a flag";
  return "default";
}

/** "OpenAI-compatible at http://127.0.0.1:11434/v1", "Anthropic API". */
function providerText(view) {
  const url = view.baseUrl?.value;
  if (view.provider?.value === "openai") return `OpenAI-compatible at ${url ?? "api.openai.com"}`;
  return url ? `Anthropic API at ${url}` : "Anthropic API";
}

/**
 * Renders into `root` (a section of index.html). Returns `refresh()`, `afterError(kind)`, which
 * the conversation calls when a turn ends in an error (a missing or rejected key opens the form
 * again), `showSession(session | null)` when a session is opened or a new chat begins, and
 * `choice()`, the `{model}` to send with the next message when one was picked.
 */
export function createModelSettings(api, root) {
  const line = el("p", "model-line");
  const providerLabel = el("span", "model-provider");
  const modelText = el("span", "model-name");
  const picker = el("select", "model-picker");
  picker.id = "model-picker";
  picker.setAttribute("aria-label", "Model");
  picker.hidden = true;
  const keyText = el("span", "model-key");
  const change = el("button", "ghost small", "Change key");
  change.type = "button";
  change.hidden = true;
  line.append(providerLabel, modelText, picker, keyText, change);

  const panel = el("div", "key-needed");
  panel.setAttribute("role", "alert");
  panel.hidden = true;
  const message = el("p", "key-message");
  const form = el("form", "key-form");
  const label = el("label", "key-label", "Anthropic API key");
  const input = el("input", "key-input");
  input.type = "password";
  input.id = "api-key-input";
  input.autocomplete = "off";
  input.spellcheck = false;
  input.required = true;
  label.htmlFor = input.id;
  const save = el("button", "primary", "Save key");
  save.type = "submit";
  const cancel = el("button", "ghost", "Cancel");
  cancel.type = "button";
  const status = el("p", "key-status");
  status.hidden = true;
  form.append(label, input, save, cancel);
  panel.append(message, form, status);
  root.replaceChildren(line, panel);

  let view = null;
  /** Why the form is open: "missing" closes by itself once a key is set elsewhere (a terminal). */
  let openFor = null;
  /** The open session's provider and model (null: a new chat, which starts on the configured one). */
  let session = null;
  /** The endpoint's models, or null when they could not be listed. */
  let models = null;

  const isOpenAI = () => view?.provider?.value === "openai";
  /** The key setting of the provider in use. */
  const keyOf = () => (isOpenAI() ? view?.openaiApiKey : view?.apiKey);
  const provider = () => view?.provider?.value ?? "anthropic";
  /**
   * The model a message would go to without a pick: the session's own, else the configured one
   * (a session of another provider goes to the one in use now, on its configured model).
   */
  const current = () =>
    (session && session.provider === provider() ? session.model : null) ?? view?.model?.value ?? "";

  function openForm(reason, text) {
    openFor = reason;
    message.textContent = text;
    label.textContent = isOpenAI() ? "API key for the endpoint" : "Anthropic API key";
    form.hidden = false;
    cancel.hidden = !keyOf()?.set;
    status.hidden = true;
    panel.hidden = false;
  }

  function closeForm() {
    openFor = null;
    panel.hidden = true;
    input.value = "";
  }

  /** A note instead of the form: the stored key is overridden, or config.json is broken. */
  function showNote(reason, text) {
    openFor = reason;
    message.textContent = text;
    form.hidden = true;
    status.hidden = true;
    panel.hidden = false;
  }

  /** The picker: the endpoint's models, with the one in use chosen (kept even when not listed). */
  function renderPicker() {
    const model = current();
    const ids = models ? models.map((m) => m.id) : [];
    if (!ids.length) {
      picker.hidden = true;
      modelText.textContent = `Model: ${model || "none chosen"}`;
      return;
    }
    modelText.textContent = "Model:";
    const options = (model && !ids.includes(model) ? [model, ...ids] : ids).map((id) => {
      const option = el("option", "", id);
      option.value = id;
      return option;
    });
    if (!model) options.unshift(Object.assign(el("option", "", "choose a model"), { value: "" }));
    picker.replaceChildren(...options);
    picker.value = model;
    picker.hidden = false;
  }

  function render() {
    providerLabel.textContent = providerText(view);
    providerLabel.title = `provider from ${sourceText(view.provider ?? { source: "default" })}`;
    modelText.title = `from ${sourceText(view.model)}`;
    renderPicker();
    const key = keyOf();
    keyText.textContent = key.set
      ? `Key ${key.hint} (${sourceText(key)})`
      : isOpenAI()
        ? "No key (local servers need none)"
        : "No API key";
    change.hidden = !key.set;
    if (openFor === "broken" || (key.set && openFor === "missing") || (isOpenAI() && openFor === "missing"))
      closeForm();
    if (!key.set && !isOpenAI()) {
      openForm(
        "missing",
        `No API key: the bridge reads ANTHROPIC_API_KEY from its own environment or api-key in ${view.path}. ` +
          "Enter your Anthropic API key to store it there; the next message uses it. (A local model on an OpenAI-compatible server needs no key: provider openai.)",
      );
    }
  }

  async function refresh() {
    try {
      view = await api.get("/api/config");
    } catch (error) {
      // A bridge that answered cannot read config.json (its message names the file); one that
      // did not answer is reported by the host list.
      if (error.status && error.status !== 401)
        showNote("broken", `The bridge cannot read its settings: ${error.message}`);
      return;
    }
    render();
    await listModels();
  }

  /** The endpoint's models for the picker; without them (no key yet, endpoint down) the line names the model only. */
  async function listModels() {
    try {
      models = (await api.get("/api/models")).models;
      picker.title = "";
    } catch (error) {
      models = null;
      modelText.title = `the endpoint's models could not be listed: ${error.message}`;
    }
    if (view) renderPicker();
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const apiKey = input.value.trim();
    if (!apiKey) return;
    save.disabled = true;
    try {
      view = await api.post("/api/config", isOpenAI() ? { openaiApiKey: apiKey } : { apiKey });
      closeForm();
      render();
      const key = keyOf();
      if (key.source === "environment") {
        showNote(
          "overridden",
          `Stored in config.json, but the bridge uses ${key.from} from its environment, which comes first.`,
        );
      }
      if (!models) await listModels();
    } catch (error) {
      status.textContent = `Could not store the key: ${error.message}`;
      status.hidden = false;
    } finally {
      save.disabled = false;
    }
  });
  change.addEventListener("click", () => {
    openForm("change", `Enter a new API key; it replaces the one in ${view?.path ?? "config.json"}.`);
    input.focus();
  });
  cancel.addEventListener("click", closeForm);
  // A key set from a terminal (`scriptwright config set api-key`) shows when the panel is back in view.
  window.addEventListener("focus", refresh);

  return {
    refresh,
    async afterError(kind) {
      if (kind !== "missing-key" && kind !== "auth") return;
      await refresh();
      if (kind === "auth" && keyOf()?.source !== "environment") {
        openForm(
          "rejected",
          isOpenAI()
            ? "The endpoint refused the request without a valid key. Enter its API key; the next message uses it."
            : "The API key was rejected. Enter another one; the next message uses it.",
        );
      }
    },
    /** A session was opened (its transcript names its provider and model), or a new chat began (null). */
    showSession(opened) {
      session = opened ? { provider: opened.provider ?? "anthropic", model: opened.model } : null;
      if (view) renderPicker();
    },
    /** What the next message sends: the model picked, when it is not the one it would use anyway. */
    choice() {
      const picked = picker.hidden ? "" : picker.value;
      return picked && picked !== current() ? { model: picked } : {};
    },
    /** A message went out with `choice()`: the session now uses that model. */
    sent(model) {
      session = { provider: provider(), model: model ?? current() };
    },
  };
}
