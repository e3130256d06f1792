// Where the plugin keeps its pairing with the bridge ({socketUrl, id, secret}), so it reconnects
// by itself after the bridge restarts with a new token: UXP's secureStorage (encrypted with the
// user's account), else localStorage where a UXP version lacks it. Plain CommonJS: UXP loads it
// with require() and Node tests load it with a simulated storage.
"use strict";

const KEY = "scriptwright.pairing";

function asText(value) {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  // secureStorage answers a Uint8Array; the pairing is ASCII JSON.
  let text = "";
  for (let i = 0; i < value.length; i++) text += String.fromCharCode(value[i]);
  return text;
}

function asPairing(text) {
  if (!text) return null;
  try {
    const value = JSON.parse(text);
    if (
      value &&
      typeof value.socketUrl === "string" &&
      typeof value.id === "string" &&
      typeof value.secret === "string"
    ) {
      return { socketUrl: value.socketUrl, id: value.id, secret: value.secret };
    }
  } catch (_e) {}
  return null;
}

/** createPairingStore({ secureStorage?, localStorage? }) → { load(), save(pairing), clear() }, all async. */
function createPairingStore(storages) {
  const secure = storages?.secureStorage;
  const local = storages?.localStorage;

  async function load() {
    if (secure) {
      try {
        const found = asPairing(asText(await secure.getItem(KEY)));
        if (found) return found;
      } catch (_e) {}
    }
    return local ? asPairing(local.getItem(KEY)) : null;
  }

  async function save(pairing) {
    const text = JSON.stringify({ socketUrl: pairing.socketUrl, id: pairing.id, secret: pairing.secret });
    if (secure) {
      try {
        await secure.setItem(KEY, text);
        if (local) local.removeItem(KEY);
        return;
      } catch (_e) {}
    }
    if (!local) throw new Error("this UXP version has no storage to keep the pairing in");
    local.setItem(KEY, text);
  }

  async function clear() {
    if (secure) {
      try {
        await secure.removeItem(KEY);
      } catch (_e) {}
    }
    if (local) local.removeItem(KEY);
  }

  return { load, save, clear };
}

module.exports = { createPairingStore, PAIRING_KEY: KEY };
