// The panel's first page: find the bridge, check it answers, then navigate the panel to
// the bridge-served chat page, which keeps window.__adobe_cep__ and registers itself as
// the app's host (panels/web/cep-host.js). All logic lives in bootstrap.js.
(() => {
  const boot = window.ScriptwrightBootstrap;
  const RETRY_MS = 4000;
  const status = document.getElementById("status");
  const help = document.getElementById("help");
  const retry = document.getElementById("retry");
  const pasteForm = document.getElementById("paste-form");
  const paste = document.getElementById("paste");
  let timer = null;
  let busy = false;

  function runtime() {
    return boot.nodeRuntime({
      require: typeof require === "function" ? require : undefined,
      process: typeof process === "object" ? process : undefined,
      cep_node: window.cep_node,
    });
  }

  function show(message, state) {
    status.textContent = message;
    status.dataset.state = state;
    help.hidden = state !== "error";
  }

  async function attempt(pasted) {
    if (busy) return;
    busy = true;
    clearTimeout(timer);
    show(pasted ? "Connecting…" : "Looking for the bridge…", "busy");
    const node = runtime();
    const result = await boot.connect({
      env: node?.env,
      home: node?.home,
      fs: node?.fs,
      http: node?.http,
      fetch: node ? undefined : window.fetch.bind(window),
      pasted,
    });
    busy = false;
    if (result.ok) {
      show(`Connected to the bridge at ${result.info.url}. Opening Scriptwright…`, "ok");
      window.location.href = result.target;
      return;
    }
    const noNode = !node && !pasted ? " (Node.js is off in this panel: paste the URL below)" : "";
    show(`${result.message}${noNode}`, "error");
    if (!pasted && node) timer = setTimeout(() => attempt(), RETRY_MS);
  }

  retry.addEventListener("click", () => attempt());
  pasteForm.addEventListener("submit", (event) => {
    event.preventDefault();
    attempt(paste.value);
  });
  attempt();
})();
