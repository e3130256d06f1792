// The bridge log: private to its owner like the rest of the data dir, rotated by size.
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger } from "../bridge/logger.js";

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), "sw-logs-"));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

const logDir = () => join(dataDir, "logs");
const modeOf = (path: string) => statSync(path).mode & 0o777;

describe("bridge.log", () => {
  it("is created 0600", () => {
    const logger = createLogger(dataDir);
    logger.info("hello");
    logger.flush();
    expect(modeOf(join(logDir(), "bridge.log"))).toBe(0o600);
    expect(readFileSync(join(logDir(), "bridge.log"), "utf8")).toContain('"msg":"hello"');
  });

  it("is made 0600 when it already exists with a wider mode, and keeps its lines", () => {
    mkdirSync(logDir(), { mode: 0o700 });
    const file = join(logDir(), "bridge.log");
    writeFileSync(file, '{"msg":"from before"}\n');
    chmodSync(file, 0o644);
    createLogger(dataDir).info("after");
    expect(modeOf(file)).toBe(0o600);
    const text = readFileSync(file, "utf8");
    expect(text).toContain("from before");
    expect(text).toContain('"msg":"after"');
  });

  it("still redacts token fields", () => {
    createLogger(dataDir).info({ token: "the-secret", headers: { authorization: "Bearer x" } }, "auth");
    const text = readFileSync(join(logDir(), "bridge.log"), "utf8");
    expect(text).not.toContain("the-secret");
    expect(text).not.toContain("Bearer x");
    expect(text).toContain("[redacted]");
  });

  it("rotates past the size limit and keeps at most the newest N files, all 0600, no line lost between them", () => {
    const maxBytes = 8 * 1024;
    const logger = createLogger(dataDir, { maxBytes, keep: 2 });
    const lines = 400; // ~150 bytes each: several rotations
    for (let i = 0; i < lines; i++) logger.info({ seq: i, pad: "p".repeat(60) }, "line");
    logger.flush();

    const files = readdirSync(logDir()).sort();
    expect(files).toEqual(["bridge.log", "bridge.log.1", "bridge.log.2"]);
    const seqs: number[] = [];
    for (const name of ["bridge.log.2", "bridge.log.1", "bridge.log"]) {
      const path = join(logDir(), name);
      expect(modeOf(path)).toBe(0o600);
      const text = readFileSync(path, "utf8");
      // Rotation happens after the write that crossed the limit: at most one line over.
      expect(Buffer.byteLength(text)).toBeLessThan(maxBytes + 300);
      for (const line of text.trim().split("\n")) seqs.push((JSON.parse(line) as { seq: number }).seq);
    }
    // The newest lines, in order and contiguous; the oldest ones were dropped with the oldest file.
    expect(seqs.at(-1)).toBe(lines - 1);
    expect(seqs[0]).toBeGreaterThan(0);
    expect(seqs).toEqual(seqs.map((_, i) => seqs[0]! + i));
  });

  it("counts what an existing file already holds", () => {
    mkdirSync(logDir(), { mode: 0o700 });
    writeFileSync(join(logDir(), "bridge.log"), `${"x".repeat(5000)}\n`, { mode: 0o600 });
    const logger = createLogger(dataDir, { maxBytes: 4096, keep: 1 });
    logger.info("first line after a restart");
    expect(readdirSync(logDir()).sort()).toEqual(["bridge.log", "bridge.log.1"]);
    expect(readFileSync(join(logDir(), "bridge.log.1"), "utf8")).toContain("first line after a restart");
    logger.info("second");
    expect(readFileSync(join(logDir(), "bridge.log"), "utf8")).toContain('"msg":"second"');
  });
});
