// A Python script that looks for secrets everywhere a script in a host could read its
// environment: os.environ, posix.environ, /proc/self/environ, and what a child process it
// starts inherits. It is given only the secrets' SHA-256 digests, and it answers with labels
// and booleans: nothing it returns can hold a secret, so the bridge redacting a secret from
// results (a second, separate wall) cannot make this check pass by hiding what it found.
import { createHash } from "node:crypto";

/** A variable every host's environment carries (set by the test), to show the probe can see it. */
export const MARKER_VARIABLE = "SCRIPTWRIGHT_TEST_MARKER";

export interface ProbeFindings {
  /** Labels of the secrets found in this source. */
  found: string[];
  /** Whether the marker variable's value was seen: a source where it is not proves nothing. */
  marker: boolean;
}

export type EnvironmentReport = Record<
  "os.environ" | "posix.environ" | "/proc/self/environ" | "child",
  ProbeFindings
>;

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** The probe, as a Python script whose final expression is an EnvironmentReport. */
export function environmentProbe(secrets: Record<string, string>, marker: string): string {
  const digests = Object.fromEntries(Object.entries(secrets).map(([label, value]) => [sha256(value), label]));
  const lengths = [...new Set(Object.values(secrets).map((value) => Buffer.byteLength(value)))];
  return [
    "import hashlib, os, subprocess, sys",
    `_digests = ${JSON.stringify(digests)}`,
    `_lengths = ${JSON.stringify(lengths)}`,
    `_marker = ${JSON.stringify(marker)}.encode()`,
    "def _look(data):",
    "    found = set()",
    "    for n in _lengths:",
    "        for i in range(len(data) - n + 1):",
    "            label = _digests.get(hashlib.sha256(data[i:i + n]).hexdigest())",
    "            if label:",
    "                found.add(label)",
    "    return {'found': sorted(found), 'marker': _marker in data}",
    "_posix = sys.modules.get('posix')",
    "_sources = {",
    "    'os.environ': '\\0'.join(k + '=' + v for k, v in os.environ.items()).encode(),",
    "    'posix.environ': b'\\0'.join(k + b'=' + v for k, v in getattr(_posix, 'environ', {}).items()),",
    "    '/proc/self/environ': open('/proc/self/environ', 'rb').read(),",
    "    'child': subprocess.run(['/usr/bin/env'], capture_output=True, check=True).stdout,",
    "}",
    "{name: _look(data) for name, data in _sources.items()}",
  ].join("\n");
}
