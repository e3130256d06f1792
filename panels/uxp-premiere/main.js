// The panel's UI: a field for the URL the bridge prints (UXP plugins cannot read
// ~/.scriptwright, so the user pastes it once; it is remembered in localStorage), a
// connect/disconnect pair and a status line. All protocol work is in host-runtime.js.
"use strict";

const { createHost, parseBridgeUrl } = require("./host-runtime.js");

const STORAGE_KEY = "scriptwright.bridgeUrl";
const premierepro = require("premierepro");

let host = null;

function element(id) {
  return document.getElementById(id);
}

function showStatus(text) {
  element("status").textContent = text;
}

function appVersion() {
  try {
    return require("uxp").host.version;
  } catch (_e) {
    return undefined;
  }
}

function connect() {
  const text = String(element("bridge-url").value || "").trim();
  try {
    parseBridgeUrl(text);
  } catch (error) {
    showStatus(error.message);
    return;
  }
  localStorage.setItem(STORAGE_KEY, text);
  if (host) host.stop();
  host = createHost({
    WebSocket,
    premierepro,
    url: text,
    name: "premiere",
    appVersion: appVersion(),
    onStatus: (state, detail) => showStatus(detail ? `${state}: ${detail}` : state),
  });
  host.start();
}

function disconnect() {
  if (host) host.stop();
  host = null;
}

element("connect").addEventListener("click", connect);
element("disconnect").addEventListener("click", disconnect);

const remembered = localStorage.getItem(STORAGE_KEY);
if (remembered) {
  element("bridge-url").value = remembered;
  connect();
}
