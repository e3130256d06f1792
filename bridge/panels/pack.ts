// `scriptwright panel pack`: a ZXP-ready copy of the panel plus how to sign it with the
// user's own certificate (ZXPSignCmd). Nothing is signed here.
import { existsSync, mkdirSync, readdirSync } from "node:fs";
import { dirname } from "node:path";
import { copyPanel, listFiles } from "./files.js";
import { manifestPath } from "./manifest.js";

export interface PackResult {
  out: string;
  files: string[];
  zxp: string;
}

export function packPanel(options: { source: string; out: string; version: string }): PackResult {
  const { source, out, version } = options;
  if (existsSync(out) && readdirSync(out).length > 0 && !existsSync(manifestPath(out))) {
    throw new Error(`${out} is not empty and is not a packed panel; pick another --out`);
  }
  mkdirSync(dirname(out), { recursive: true });
  copyPanel(source, out);
  return { out, files: listFiles(out), zxp: `scriptwright-${version}.zxp` };
}

export function signingInstructions(result: PackResult): string {
  return [
    `Packed the panel in ${result.out} (${result.files.length} files, no .debug).`,
    "Sign it with your own certificate using ZXPSignCmd (Adobe-CEP/CEP-Resources on GitHub):",
    "  # once, if you have no .p12 certificate yet (self-signed):",
    '  ZXPSignCmd -selfSignedCert <country> <state> "<organization>" "<common name>" <password> scriptwright.p12',
    `  ZXPSignCmd -sign "${result.out}" ${result.zxp} scriptwright.p12 <password> -tsa http://timestamp.digicert.com`,
    `  ZXPSignCmd -verify ${result.zxp}`,
    "A signed ZXP installed with an extension manager (e.g. ExManCmd) loads without PlayerDebugMode.",
  ].join("\n");
}
