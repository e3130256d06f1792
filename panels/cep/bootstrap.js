// Finds the running Scriptwright bridge and computes where the panel should go. Plain
// script, no build: CEP 12 runs it (Chromium 99, Node 17 with --enable-nodejs) and Node
// tests require() it. It never touches the DOM: index.js does.
//
// The panel page is a file:// page, so a browser fetch to the bridge would carry
// `Origin: null`, which the bridge's origin guard refuses: with Node enabled the health
// check goes through Node's http module (no Origin header), else through a no-cors fetch
// that only tells whether something answered.

(function attach(root, factory) {
  const api = factory();
  if (typeof module === "object" && module && module.exports) module.exports = api;
  if (root) root.ScriptwrightBootstrap = api;
})(typeof window === "object" ? window : undefined, () => {
  const START_HINT = "start the bridge: scriptwright serve";
  const LOOPBACK = ["127.0.0.1", "localhost", "[::1]"];
  const HEALTH_TIMEOUT_MS = 3000;

  class BootstrapError extends Error {
    constructor(code, message) {
      super(message);
      this.name = "BootstrapError";
      this.code = code;
    }
  }

  function joinPath(base, ...parts) {
    const sep = base.includes("\\") && !base.includes("/") ? "\\" : "/";
    return [base.replace(/[\\/]+$/, ""), ...parts].join(sep);
  }

  /** `$SCRIPTWRIGHT_HOME/bridge.json`, else `~/.scriptwright/bridge.json` (like the CLI). */
  function bridgeFilePath({ env = {}, home } = {}) {
    const fromEnv = env.SCRIPTWRIGHT_HOME;
    if (fromEnv) return joinPath(fromEnv, "bridge.json");
    if (!home) throw new BootstrapError("no-home", "cannot find the home folder to look for bridge.json");
    return joinPath(home, ".scriptwright", "bridge.json");
  }

  /** Reads and checks bridge.json. Throws a BootstrapError with a message meant for the user. */
  function findBridge({ env = {}, home, fs } = {}) {
    if (!fs) throw new BootstrapError("no-node", "Node.js is not available in this panel");
    const file = bridgeFilePath({ env, home });
    let text;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      throw new BootstrapError("no-bridge-file", `No bridge is running (no ${file}): ${START_HINT}`);
    }
    let info;
    try {
      info = JSON.parse(text);
    } catch {
      info = undefined;
    }
    if (
      !info ||
      typeof info.url !== "string" ||
      typeof info.token !== "string" ||
      !info.token ||
      typeof info.port !== "number"
    ) {
      throw new BootstrapError(
        "bad-bridge-file",
        `${file} is not a valid bridge file: restart the bridge (scriptwright serve)`,
      );
    }
    checkLoopback(info.url);
    return {
      url: info.url.replace(/\/+$/, ""),
      port: info.port,
      token: info.token,
      pid: info.pid,
      version: info.version,
      file,
    };
  }

  /** The bridge only listens on loopback; the panel (which may have Node) never goes anywhere else. */
  function checkLoopback(url) {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      throw new BootstrapError("bad-url", `"${url}" is not a URL`);
    }
    if (parsed.protocol !== "http:" || !LOOPBACK.includes(parsed.hostname)) {
      throw new BootstrapError(
        "not-loopback",
        `refusing ${parsed.origin}: the bridge URL must be http://127.0.0.1:PORT (or localhost)`,
      );
    }
    return parsed;
  }

  /** The bridge-served chat page, token in the query (the page moves it to sessionStorage). */
  function panelUrl(info) {
    if (!info || typeof info.token !== "string" || !info.token) {
      throw new BootstrapError("no-token", "the bridge URL has no token");
    }
    const base = checkLoopback(info.url);
    return `${base.origin}/?token=${encodeURIComponent(info.token)}`;
  }

  /** Parses what the user pasted: the URL `scriptwright serve` printed (http://127.0.0.1:PORT/?token=…). */
  function parsePastedUrl(text) {
    const trimmed = String(text ?? "").trim();
    if (!trimmed) throw new BootstrapError("bad-url", "paste the URL that `scriptwright serve` printed");
    const parsed = checkLoopback(trimmed);
    const token = parsed.searchParams.get("token");
    if (!token) {
      throw new BootstrapError(
        "no-token",
        "that URL has no ?token=…: paste the whole URL `scriptwright serve` printed",
      );
    }
    return { url: parsed.origin, port: Number(parsed.port || 80), token };
  }

  function unreachable(url, reason) {
    return new BootstrapError("unreachable", `bridge not reachable at ${url} (${reason}): ${START_HINT}`);
  }

  function healthWithNode(http, url, timeoutMs) {
    return new Promise((resolve, reject) => {
      const request = http.get(`${url}/api/health`, { timeout: timeoutMs }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk) => {
          body += chunk;
        });
        res.on("end", () => {
          if (res.statusCode !== 200) return reject(unreachable(url, `HTTP ${res.statusCode}`));
          let parsed;
          try {
            parsed = JSON.parse(body);
          } catch {
            parsed = undefined;
          }
          if (parsed?.ok !== true) return reject(unreachable(url, "not a Scriptwright bridge"));
          resolve({ ok: true, version: parsed.version });
        });
      });
      request.on("timeout", () => request.destroy(new Error(`no answer in ${timeoutMs} ms`)));
      request.on("error", (error) => reject(unreachable(url, error.code || error.message)));
    });
  }

  async function healthWithFetch(fetchFn, url, timeoutMs) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      // Opaque answer: only proves something listens there (the guard refuses Origin: null).
      await fetchFn(`${url}/api/health`, { mode: "no-cors", cache: "no-store", signal: controller.signal });
      return { ok: true, version: undefined };
    } catch (error) {
      throw unreachable(
        url,
        controller.signal.aborted ? `no answer in ${timeoutMs} ms` : String(error?.message ?? error),
      );
    } finally {
      clearTimeout(timer);
    }
  }

  /** GET /api/health (no token needed). Resolves {ok, version}; rejects with "bridge not reachable at …". */
  function checkHealth(url, { http, fetch: fetchFn, timeoutMs = HEALTH_TIMEOUT_MS } = {}) {
    checkLoopback(url);
    if (http) return healthWithNode(http, url, timeoutMs);
    if (fetchFn) return healthWithFetch(fetchFn, url, timeoutMs);
    return Promise.reject(new BootstrapError("no-http", "neither Node's http nor fetch is available"));
  }

  /**
   * The whole start-up: bridge.json (or a pasted URL) → health → the URL to open.
   * Resolves {ok: true, target, info} or {ok: false, code, message}; never rejects.
   */
  async function connect({ env, home, fs, http, fetch: fetchFn, pasted, timeoutMs } = {}) {
    try {
      const info = pasted ? parsePastedUrl(pasted) : findBridge({ env, home, fs });
      const health = await checkHealth(info.url, { http, fetch: fetchFn, timeoutMs });
      return { ok: true, target: panelUrl(info), info, version: health.version };
    } catch (error) {
      return {
        ok: false,
        code: error instanceof BootstrapError ? error.code : "error",
        message: error?.message ?? String(error),
      };
    }
  }

  /** Node's modules inside CEP: the page's own require with --mixed-context, else cep_node. */
  function nodeRuntime(global) {
    const g = global || {};
    const req = typeof g.require === "function" ? g.require : g.cep_node?.require;
    if (typeof req !== "function") return null;
    try {
      const proc = g.process || g.cep_node?.process || req("process");
      return { fs: req("fs"), http: req("http"), home: req("os").homedir(), env: proc?.env || {} };
    } catch {
      return null;
    }
  }

  return {
    START_HINT,
    BootstrapError,
    bridgeFilePath,
    findBridge,
    panelUrl,
    parsePastedUrl,
    checkHealth,
    connect,
    nodeRuntime,
  };
});
