// The panel's UI: one field for what pairs the plugin with the bridge (the URL `scriptwright
// serve` prints, or a code from `scriptwright panel pair`: UXP plugins cannot read
// ~/.scriptwright), Connect, Disconnect, Forget pairing and a status line. Once paired it
// connects by itself whenever the panel opens. All protocol work is in host-runtime.js.
"use strict";

const { createHost, parsePanelInput } = require("./host-runtime.js");
const { createPairingStore } = require("./pairing-store.js");
const { port } = require("./bridge-config.js");

/** Where earlier versions kept the pasted URL, token included: a token is no use after a restart. */
const OLD_URL_KEY = "scriptwright.bridgeUrl";
const premierepro = require("premierepro");

let host = null;

function element(id) {
  return document.getElementById(id);
}

function showStatus(text) {
  element("status").textContent = text;
}

function uxpModule() {
  try {
    return require("uxp");
  } catch (_e) {
    return undefined;
  }
}

function appVersion() {
  const uxp = uxpModule();
  return uxp?.host ? uxp.host.version : undefined;
}

const store = createPairingStore({
  secureStorage: uxpModule()?.storage?.secureStorage,
  localStorage: window.localStorage,
});

function start(credentials) {
  if (host) host.stop();
  host = createHost(
    Object.assign(
      {
        WebSocket,
        premierepro,
        port,
        store,
        name: "premiere",
        appVersion: appVersion(),
        onStatus: (state, detail) => showStatus(detail ? `${state}: ${detail}` : state),
      },
      credentials,
    ),
  );
  host.start();
}

function connect() {
  const text = String(element("bridge-url").value || "").trim();
  if (text === "") {
    start({}); // the stored pairing, if any
    return;
  }
  let input;
  try {
    input = parsePanelInput(text, port);
  } catch (error) {
    showStatus(error.message);
    return;
  }
  element("bridge-url").value = "";
  start(input.kind === "url" ? { url: text } : { pairingCode: input.code });
}

function disconnect() {
  if (host) host.stop();
  host = null;
}

async function forget() {
  disconnect();
  await store.clear();
  showStatus("Pairing forgotten here; `scriptwright panel unpair ID` revokes it on the bridge too.");
}

element("connect").addEventListener("click", connect);
element("disconnect").addEventListener("click", disconnect);
element("forget").addEventListener("click", () => void forget());

window.localStorage.removeItem(OLD_URL_KEY);
start({});
