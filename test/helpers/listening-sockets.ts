// Which sockets a set of processes could be reached on, read from Linux /proc: each
// process's open sockets (/proc/<pid>/fd) matched by inode against its network namespace's
// tables (/proc/<pid>/net/{tcp,tcp6,udp,udp6,unix}).
import { readdirSync, readFileSync, readlinkSync } from "node:fs";

export interface ListeningSocket {
  pid: number;
  protocol: "tcp" | "tcp6" | "udp" | "udp6" | "unix";
  /** "127.0.0.1:2002", "[::1]:2002"; a unix socket's path, "@name" when abstract, "" unnamed. */
  address: string;
  /** TCP/UDP only. */
  port?: number;
}

const TCP_LISTEN = "0A";
const UDP_UNCONNECTED = "07";
/** __SO_ACCEPTCON in /proc/net/unix's Flags column: the socket listens. */
const UNIX_ACCEPTING = 0x10000;

/** Inodes of the sockets `pid` has open; empty when it is gone. */
function socketInodes(pid: number): Set<string> {
  const inodes = new Set<string>();
  let fds: string[];
  try {
    fds = readdirSync(`/proc/${pid}/fd`);
  } catch {
    return inodes;
  }
  for (const fd of fds) {
    try {
      const match = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
      if (match) inodes.add(match[1]!);
    } catch {
      // closed meanwhile
    }
  }
  return inodes;
}

function table(pid: number, name: string): string[][] {
  try {
    return readFileSync(`/proc/${pid}/net/${name}`, "utf8")
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.trim().split(/\s+/));
  } catch {
    return [];
  }
}

/** "0100007F:1F90" → 127.0.0.1:8080; IPv6 is four little-endian 32-bit words. */
function inetAddress(hex: string, v6: boolean): { address: string; port: number } {
  const [host, port] = hex.split(":") as [string, string];
  const words = host.match(/.{8}/g) ?? [];
  const bytes = words.flatMap((word) =>
    (word.match(/../g) ?? []).reverse().map((b) => Number.parseInt(b, 16)),
  );
  const text = v6
    ? `[${Array.from({ length: 8 }, (_, i) => ((bytes[2 * i]! << 8) | bytes[2 * i + 1]!).toString(16)).join(":")}]`
    : bytes.join(".");
  const number = Number.parseInt(port, 16);
  return { address: `${text}:${number}`, port: number };
}

/**
 * Sockets of `pids` that another process could open a connection to or send to: listening
 * TCP, bound unconnected UDP, listening unix sockets (named or abstract).
 */
export function listeningSockets(pids: readonly number[]): ListeningSocket[] {
  const found: ListeningSocket[] = [];
  for (const pid of pids) {
    const inodes = socketInodes(pid);
    if (inodes.size === 0) continue;
    for (const protocol of ["tcp", "tcp6", "udp", "udp6"] as const) {
      const open = protocol.startsWith("tcp") ? TCP_LISTEN : UDP_UNCONNECTED;
      for (const row of table(pid, protocol)) {
        // sl local_address rem_address st tx:rx tr:when retrnsmt uid timeout inode
        if (row[3] !== open || !inodes.has(row[9] ?? "")) continue;
        found.push({ pid, protocol, ...inetAddress(row[1]!, protocol.endsWith("6")) });
      }
    }
    for (const row of table(pid, "unix")) {
      // Num RefCount Protocol Flags Type St Inode Path
      if (!(Number.parseInt(row[3]!, 16) & UNIX_ACCEPTING) || !inodes.has(row[6] ?? "")) continue;
      found.push({ pid, protocol: "unix", address: row[7] ?? "" });
    }
  }
  return found;
}
