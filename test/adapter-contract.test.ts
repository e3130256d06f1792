// Every registered adapter and language kit through the same checks: adding an app is one
// folder, one registry line and its tests, and this file says what that folder must hold.
import { describe, expect, it } from "vitest";
import { appInfos } from "../adapters/app-info.js";
import { classify } from "../adapters/classify.js";
import { adapters, languageKits } from "../adapters/registry.js";
import { KIND_VERBS } from "../adapters/risk-flags.js";
import { patternRegExp } from "../adapters/risk-names.js";
import { adapterLanguages, openDocumentFor, type RiskKind, stateProbeFor } from "../adapters/types.js";

const RISK_KINDS = Object.keys(KIND_VERBS) as RiskKind[];

describe.each([...adapters.values()])("adapter $app", (adapter) => {
  const languages = adapterLanguages(adapter);

  it("names itself: a lower-case id (its registry key) and a display name", () => {
    expect(adapter.app).toMatch(/^[a-z][a-z0-9-]{0,31}$/);
    expect(adapters.get(adapter.app)).toBe(adapter);
    expect(adapter.displayName.trim()).not.toBe("");
  });

  it("has a kit for every language it speaks, and declares its rules for each", () => {
    for (const language of languages) {
      expect(languageKits.has(language), `no kit for ${language}`).toBe(true);
      const rules = adapter.rules?.[language];
      expect(rules, `${adapter.app} declares no rules for ${language}`).toBeDefined();
      expect(Array.isArray(rules!.risk)).toBe(true);
      expect(rules!.readOnly === null || typeof rules!.readOnly === "object").toBe(true);
    }
    // Languages named anywhere in the adapter are among its languages.
    const named = [
      ...Object.keys(adapter.wrapOptionsByLanguage ?? {}),
      ...(typeof adapter.stateProbe === "object" ? Object.keys(adapter.stateProbe) : []),
      ...Object.keys(adapter.capture ?? {}),
      ...(openDocumentFor(adapter) ? [openDocumentFor(adapter)!.language] : []),
      ...(adapter.docs?.introspection?.language ? [adapter.docs.introspection.language] : []),
    ];
    for (const language of named) expect(languages).toContain(language);
  });

  it("writes each risk rule as a usable pattern with a kind and a reason", () => {
    for (const language of languages) {
      for (const rule of adapter.rules?.[language]?.risk ?? []) {
        expect(() => patternRegExp(rule.pattern), rule.pattern).not.toThrow();
        expect(RISK_KINDS).toContain(rule.kind);
        expect(rule.reason.trim(), rule.pattern).not.toBe("");
      }
    }
  });

  it("has a read-only list only where its kit can check one, and lists something in it", () => {
    for (const language of languages) {
      const readOnly = adapter.rules?.[language]?.readOnly;
      if (!readOnly) continue;
      expect(languageKits.get(language)!.isReadOnly, `${language} has no read-only check`).toBeDefined();
      expect(readOnly.functions.length + readOnly.methods.length).toBeGreaterThan(0);
    }
  });

  it("sends only code its kit accepts: the state probe and the document opener pass preflight", () => {
    for (const language of languages) {
      const probe = stateProbeFor(adapter, language);
      if (probe) expect(languageKits.get(language)!.preflight(probe), `${language} state probe`).toEqual([]);
    }
    const opener = openDocumentFor(adapter);
    if (opener) expect(languageKits.get(opener.language)!.preflight(opener.code)).toEqual([]);
  });

  it("sends a capture its kit accepts, naming the views it takes", () => {
    for (const [language, capture] of Object.entries(adapter.capture ?? {})) {
      expect(languageKits.get(language)!.preflight(capture.code), `${language} capture`).toEqual([]);
      for (const view of capture.views ?? []) expect(view).toMatch(/^[a-z][a-z0-9-]*$/);
    }
  });

  it("counts its own state probe as a read where it has a read-only list", () => {
    for (const language of languages) {
      const probe = stateProbeFor(adapter, language);
      if (!probe || !adapter.rules?.[language]?.readOnly) continue;
      expect(classify(languageKits.get(language)!, adapter, probe).readOnly, `${language} probe`).toBe(true);
    }
  });

  it("launches headless only with a way to find its executable, and batch needs a document opener", () => {
    if (adapter.headless) {
      expect(typeof adapter.headless.find).toBe("function");
      expect(typeof adapter.headless.launch).toBe("function");
    }
    const borrowed = adapter.docs?.readsDocsOf;
    if (borrowed) expect(adapters.has(borrowed), `reads the docs of unknown app ${borrowed}`).toBe(true);
  });
});

describe.each([...languageKits.values()])("language kit $language", (kit) => {
  it("is registered under its language and tells the model how code runs", () => {
    expect(languageKits.get(kit.language)).toBe(kit);
    expect(kit.promptNotes?.trim()).toBeTruthy();
    for (const method of ["preflight", "wrap", "unwrap", "risk"] as const)
      expect(typeof kit[method]).toBe("function");
  });

  it("wraps a trivial script, and flags nothing in it", () => {
    expect(kit.wrap("1").code.length).toBeGreaterThan(0);
    expect(kit.risk("1")).toEqual([]);
  });
});

describe("GET /api/apps's list", () => {
  it("has every registered app once, with its languages, default first, and what it can do", () => {
    const infos = appInfos(adapters, languageKits);
    expect(infos.map((info) => info.app)).toEqual([...adapters.keys()]);
    for (const info of infos) {
      const adapter = adapters.get(info.app)!;
      expect(info.displayName).toBe(adapter.displayName);
      expect(info.defaultLanguage).toBe(adapter.language);
      expect(info.languages[0]).toBe(adapter.language);
      expect(info.capabilities.includes("headless")).toBe(adapter.headless !== undefined);
      expect(info.capabilities.includes("read-only")).toBe(info.readOnlyLanguages.length > 0);
    }
    const byApp = new Map(infos.map((info) => [info.app, info]));
    expect(byApp.get("libreoffice")).toMatchObject({ languages: ["vba", "python"], defaultLanguage: "vba" });
    expect(byApp.get("premiere")?.languages.sort()).toEqual(["extendscript", "uxp-js"]);
    expect(byApp.get("solidworks")?.capabilities).not.toContain("read-only");
  });
});
