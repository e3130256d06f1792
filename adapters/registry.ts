// Which adapters and language kits this bridge knows. Adding an app = adding one folder
// and one line here.

import { afterEffectsAdapter } from "./aftereffects/index.js";
import { blenderAdapter } from "./blender/index.js";
import { excelAdapter } from "./excel/index.js";
import { extendscriptKit } from "./extendscript/kit/index.js";
import { libreOfficeAdapter } from "./libreoffice/index.js";
import { premiereAdapter } from "./premiere/index.js";
import { pythonKit } from "./python/index.js";
import { solidworksAdapter } from "./solidworks/index.js";
import type { Adapter, LanguageKit } from "./types.js";
import { uxpKit } from "./uxp-js/index.js";
import { vbaKit } from "./vba/index.js";

export const adapters: ReadonlyMap<string, Adapter> = new Map(
  [
    blenderAdapter,
    afterEffectsAdapter,
    premiereAdapter,
    excelAdapter,
    solidworksAdapter,
    libreOfficeAdapter,
  ].map((adapter) => [adapter.app, adapter]),
);

export const languageKits: ReadonlyMap<string, LanguageKit> = new Map(
  [pythonKit, extendscriptKit, uxpKit, vbaKit].map((kit) => [kit.language, kit]),
);
