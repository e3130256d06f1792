// The data dir holds the token: it is private to its owner, or it is not used.
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { exitCodeForError } from "../bridge/cli/exit-codes.js";
import { DataDirError, ensurePrivateDir } from "../bridge/data-dir.js";
import { runCli, startServe } from "./helpers/cli.js";
import { thrownBy } from "./helpers/thrown.js";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "sw-data-dir-"));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(root, { recursive: true, force: true });
});

const modeOf = (path: string) => statSync(path).mode & 0o777;
const isRoot = process.getuid?.() === 0;
const NOBODY = 65534;

function openDir(name: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  chmodSync(dir, 0o777);
  return dir;
}

describe.skipIf(process.platform === "win32")("ensurePrivateDir", () => {
  it("creates a missing dir 0700, silently", () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const dir = ensurePrivateDir(join(root, "new", "nested"));
    expect(modeOf(dir)).toBe(0o700);
    expect(stderr).not.toHaveBeenCalled();
  });

  it("tightens an existing dir of ours open to others to 0700 and says so once", () => {
    const stderr = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const dir = openDir("wide");
    ensurePrivateDir(dir);
    expect(modeOf(dir)).toBe(0o700);
    expect(stderr).toHaveBeenCalledTimes(1);
    expect(String(stderr.mock.calls[0]![0])).toBe(
      `scriptwright: ${dir} was open to other users (mode 0777); it is now 0700\n`,
    );
    ensurePrivateDir(dir);
    expect(stderr).toHaveBeenCalledTimes(1);
  });

  it("tightens group-only access too", () => {
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    const dir = join(root, "group");
    mkdirSync(dir);
    chmodSync(dir, 0o750);
    ensurePrivateDir(dir);
    expect(modeOf(dir)).toBe(0o700);
  });

  it("refuses a dir open to others that another user owns, naming the command that fixes it", () => {
    const dir = openDir("theirs");
    // The dir is ours; the bridge runs as someone else.
    vi.spyOn(process, "getuid").mockReturnValue((statSync(dir).uid + 1) as never);
    const error = thrownBy(DataDirError, () => ensurePrivateDir(dir));
    expect(exitCodeForError(error)).toBe(2);
    expect(error.message).toContain(`chmod 700 ${dir}`);
    expect(error.message).toMatch(/belongs to another user .* mode 0777|mode 0777.*another user/);
    expect(modeOf(dir)).toBe(0o777);
  });
});

describe.skipIf(!isRoot)("serve with a data dir another user owns (needs root to chown)", () => {
  it("exits 2 with one line naming `chmod 700 DIR`, and writes nothing there", async () => {
    const dir = openDir("nobodys");
    chownSync(dir, NOBODY, NOBODY);
    // --exit-with-stdin: were the dir accepted, serve would stop at once (stdin is empty), not linger.
    const result = await runCli(["serve", "--port", "0", "--exit-with-stdin", "--data-dir", dir]);
    expect(result.code).toBe(2);
    expect(result.stderr.trim()).toBe(
      `scriptwright: ${dir} is open to other users (mode 0777) and belongs to another user (uid ${NOBODY}), so it cannot hold the bridge's token: its owner can fix it with \`chmod 700 ${dir}\`, or use a data dir of your own (--data-dir)`,
    );
    expect(modeOf(dir)).toBe(0o777);
  });
});

describe.skipIf(process.platform === "win32")("serve with a data dir of ours open to others", () => {
  it("tightens it to 0700, says so once, and serves", async () => {
    const dir = openDir("ours");
    const serve = await startServe(dir);
    try {
      expect(modeOf(dir)).toBe(0o700);
      const said = serve
        .output()
        .split("\n")
        .filter((line) => line.includes("was open to other users"));
      expect(said).toEqual([`scriptwright: ${dir} was open to other users (mode 0777); it is now 0700`]);
      expect((await fetch(`${serve.info.url}/api/health`)).status).toBe(200);
    } finally {
      await serve.stop();
    }
  });
});
