// The model line and the API key form of the chat panel, from GET /api/config. A missing key
// shows at once (not after the first prompt fails), with a password field that stores the key
// in the bridge's config.json (POST /api/config), which the next message uses. The key itself
// never comes back: the bridge answers only a hint of it ("sk-…1234") and where it came from.

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** "config.json" or "ANTHROPIC_API_KEY in the bridge's environment": where a setting came from. */
function sourceText(setting) {
  if (setting.source === "environment") return `${setting.from} in the bridge's environment`;
  if (setting.source === "config") return "config.json";
  if (setting.source === "flag") return setting.from ?? "a flag";
  return "default";
}

/**
 * Renders into `root` (a section of index.html). Returns `refresh()` and `afterError(kind)`,
 * which the conversation calls when a turn ends in an error: a missing or rejected key opens
 * the form again.
 */
export function createModelSettings(api, root) {
  const line = el("p", "model-line");
  const modelText = el("span", "model-name");
  const keyText = el("span", "model-key");
  const change = el("button", "ghost small", "Change key");
  change.type = "button";
  change.hidden = true;
  line.append(modelText, keyText, change);

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

  function openForm(reason, text) {
    openFor = reason;
    message.textContent = text;
    form.hidden = false;
    cancel.hidden = !view?.apiKey?.set;
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

  function render() {
    modelText.textContent = `Model: ${view.model.value}`;
    modelText.title = `from ${sourceText(view.model)}`;
    const key = view.apiKey;
    keyText.textContent = key.set ? `Key ${key.hint} (${sourceText(key)})` : "No API key";
    change.hidden = !key.set;
    if (openFor === "broken" || (key.set && openFor === "missing")) closeForm();
    if (!key.set) {
      openForm(
        "missing",
        `No API key: the bridge reads ANTHROPIC_API_KEY from its own environment or api-key in ${view.path}. ` +
          "Enter your Anthropic API key to store it there; the next message uses it.",
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
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const apiKey = input.value.trim();
    if (!apiKey) return;
    save.disabled = true;
    try {
      view = await api.post("/api/config", { apiKey });
      closeForm();
      render();
      if (view.apiKey.source === "environment") {
        showNote(
          "overridden",
          `Stored in config.json, but the bridge uses ${view.apiKey.from} from its environment, which comes first.`,
        );
      }
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
      if (kind === "auth" && view?.apiKey?.source !== "environment") {
        openForm("rejected", "The API key was rejected. Enter another one; the next message uses it.");
      }
    },
  };
}
