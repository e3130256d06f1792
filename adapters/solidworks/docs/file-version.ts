// The file version of a Windows DLL (what Explorer shows as "File version"), read from its
// VS_VERSIONINFO resource: the UTF-16 key "VS_VERSION_INFO" followed by a VS_FIXEDFILEINFO,
// which starts with the signature 0xFEEF04BD. Used to name a SolidWorks docs tree after the
// interop assembly its XML docs belong to.
import { readFileSync } from "node:fs";

const KEY = Buffer.from("VS_VERSION_INFO", "utf16le");
const SIGNATURE = 0xfeef04bd;
/** The fixed info sits right after the key, padded to 32 bits: a few bytes at most. */
const SEARCH_AFTER_KEY = 16;

/** "31.1.0.59", or null when the file has no version resource. */
export function fileVersionOf(path: string): string | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    return null;
  }
  for (let at = bytes.indexOf(KEY); at >= 0; at = bytes.indexOf(KEY, at + 1)) {
    const from = at + KEY.length;
    for (let i = from; i <= from + SEARCH_AFTER_KEY && i + 16 <= bytes.length; i += 2) {
      if (bytes.readUInt32LE(i) !== SIGNATURE) continue;
      const major = bytes.readUInt32LE(i + 8);
      const minor = bytes.readUInt32LE(i + 12);
      return `${major >>> 16}.${major & 0xffff}.${minor >>> 16}.${minor & 0xffff}`;
    }
  }
  return null;
}
