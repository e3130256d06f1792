// Adapters whose hosts speak several languages (LibreOffice: VBA and Python) wrap each
// language's runs with that language's options, and may open documents in either.
import { describe, expect, it } from "vitest";
import { type Adapter, openDocumentFor, wrapOptionsFor } from "../adapters/types.js";

const single: Adapter = {
  app: "one",
  displayName: "One",
  language: "python",
  wrapOptions: { prelude: "import one" },
  openDocument: "open(params['file'])",
};

const multi: Adapter = {
  app: "multi",
  displayName: "Multi",
  language: "vba",
  wrapOptions: { prelude: "fallback for vba" },
  wrapOptionsByLanguage: { vba: { prelude: "Option VBASupport 1" }, python: { prelude: "import uno" } },
  openDocument: { language: "python", code: "open_document(params['file'])" },
};

describe("per-language adapter options", () => {
  it("uses wrapOptions for the adapter's language only", () => {
    expect(wrapOptionsFor(single, "python")).toEqual({ prelude: "import one" });
    expect(wrapOptionsFor(single, "vba")).toBeUndefined();
    expect(wrapOptionsFor(undefined, "python")).toBeUndefined();
  });

  it("prefers the per-language entry, for the adapter's language and the others", () => {
    expect(wrapOptionsFor(multi, "vba")).toEqual({ prelude: "Option VBASupport 1" });
    expect(wrapOptionsFor(multi, "python")).toEqual({ prelude: "import uno" });
    expect(wrapOptionsFor(multi, "uxp-js")).toBeUndefined();
  });

  it("gives the open-document script with its language", () => {
    expect(openDocumentFor(single)).toEqual({ language: "python", code: "open(params['file'])" });
    expect(openDocumentFor(multi)).toEqual({ language: "python", code: "open_document(params['file'])" });
    expect(openDocumentFor({ ...single, openDocument: undefined })).toBeUndefined();
  });
});
