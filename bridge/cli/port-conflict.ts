// What `serve` says when its port is taken: who holds it as far as this machine lets us see
// (another Scriptwright bridge answers its health check; otherwise the OS names the process),
// how to start on another port, and which panels then need rebuilding because they reach only
// the port they were built for. Loaded only on that path.
import { execFile } from "node:child_process";
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { httpRequest } from "../client/http.js";
import { fixedPortPanelsNote } from "../panels/uxp-port.js";

async function scriptwrightBridgeOn(port: number): Promise<string | null> {
  try {
    const answer = await httpRequest(new URL(`http://127.0.0.1:${port}/api/health`), {
      signal: AbortSignal.timeout(1500),
    });
    const body = JSON.parse(answer.text) as { ok?: unknown; version?: unknown };
    return body.ok === true ? String(body.version ?? "?") : null;
  } catch {
    return null;
  }
}

/** Linux: the socket's inode from /proc/net/tcp*, then the process of ours holding it. */
function linuxHolder(port: number): string | null {
  const hex = port.toString(16).toUpperCase().padStart(4, "0");
  const inodes = new Set<string>();
  for (const table of ["/proc/net/tcp", "/proc/net/tcp6"]) {
    let text = "";
    try {
      text = readFileSync(table, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const cols = line.trim().split(/\s+/);
      // local_address is ADDR:PORT in hex; state 0A is LISTEN; the inode is the tenth column.
      if (cols[1]?.endsWith(`:${hex}`) && cols[3] === "0A" && cols[9]) inodes.add(cols[9]);
    }
  }
  if (inodes.size === 0) return null;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    let fds: string[];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue; // another user's process: not ours to look into
    }
    for (const fd of fds) {
      let link = "";
      try {
        link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(link)?.[1];
      if (inode && inodes.has(inode)) {
        let command = "";
        try {
          command = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").filter(Boolean).join(" ");
        } catch {}
        return `pid ${pid}${command ? ` (${command.slice(0, 120)})` : ""}`;
      }
    }
  }
  return "a process of another user";
}

/** macOS: lsof, which comes with the OS. */
function lsofHolder(port: number): Promise<string | null> {
  return new Promise((resolve) => {
    execFile("lsof", ["-nP", `-iTCP:${port}`, "-sTCP:LISTEN", "-Fpc"], { timeout: 3000 }, (error, stdout) => {
      if (error && !stdout) return resolve(null);
      const pid = /^p(\d+)$/m.exec(stdout)?.[1];
      const command = /^c(.+)$/m.exec(stdout)?.[1];
      resolve(pid ? `pid ${pid}${command ? ` (${command})` : ""}` : null);
    });
  });
}

async function holder(port: number): Promise<string> {
  const version = await scriptwrightBridgeOn(port);
  if (version !== null) {
    return `another Scriptwright bridge (version ${version}) listens there: one for another --data-dir, or one \`scriptwright mcp\` started`;
  }
  const found =
    process.platform === "linux"
      ? linuxHolder(port)
      : process.platform === "darwin"
        ? await lsofHolder(port)
        : null;
  if (found) return `held by ${found}`;
  const look =
    process.platform === "win32" ? `netstat -ano | findstr :${port}` : `lsof -nP -iTCP:${port} -sTCP:LISTEN`;
  return `to see which process holds it: ${look}`;
}

/** The whole message, one sentence per thing to know; it keeps saying "already in use" (mcp looks for it). */
export async function portConflictMessage(port: number): Promise<string> {
  return [
    `port ${port} is already in use: ${await holder(port)}.`,
    `Stop that process, or start the bridge on another port: scriptwright serve --port ${port === 65535 ? port - 1 : port + 1} (or --port 0 for any free one).`,
    fixedPortPanelsNote(),
  ]
    .filter(Boolean)
    .join(" ");
}
