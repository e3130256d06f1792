// `scriptwright panel doctor`: what every kind of panel's checks share — the check itself, the
// bridge and connected-host checks, the exit code and the text output. Each kind's own checks
// are in cep-doctor.ts, com-doctor.ts and addon-doctor.ts.
import { NoBridgeError, readBridgeFile } from "../discovery.js";

export type CheckStatus = "ok" | "fail" | "skip" | "info";

export interface DoctorCheck {
  /** Stable, for `--json` readers: "panel-folder", "bridge", "host-connected", … */
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  fix?: string;
}

export type HealthProbe = (url: string) => Promise<{ ok: boolean; detail: string }>;

export interface ConnectedHost {
  app: string;
  name: string;
  appVersion?: string;
}

export type HostsProbe = (
  url: string,
  token: string,
) => Promise<{ ok: true; hosts: ConnectedHost[] } | { ok: false; detail: string }>;

export const fetchHealth: HealthProbe = async (url) => {
  try {
    const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(3000) });
    if (!res.ok) return { ok: false, detail: `HTTP ${res.status}` };
    const body = (await res.json().catch(() => undefined)) as { ok?: boolean; version?: string } | undefined;
    return body?.ok === true
      ? { ok: true, detail: `version ${body.version ?? "?"}` }
      : { ok: false, detail: "not a Scriptwright bridge" };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { ok: false, detail: cause?.code ?? cause?.message ?? (error as Error).message };
  }
};

export const fetchHosts: HostsProbe = async (url, token) => {
  try {
    const res = await fetch(`${url}/api/hosts`, {
      headers: { authorization: `Bearer ${token}` },
      signal: AbortSignal.timeout(3000),
    });
    if (!res.ok) return { ok: false, detail: `GET /api/hosts answered HTTP ${res.status}` };
    return { ok: true, hosts: (await res.json()) as ConnectedHost[] };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  }
};

/** The fix for anything the installer puts in place; `app` as panelArgs gives it for a panel that is not the default. */
export function installFix(app: string): string {
  return `run: scriptwright panel install ${app}`;
}

export interface BridgeContext {
  dataDir: string;
  health?: HealthProbe;
  hosts?: HostsProbe;
}

export async function bridgeCheck(ctx: BridgeContext): Promise<DoctorCheck> {
  const title = "bridge reachable";
  let url: string;
  try {
    url = readBridgeFile(ctx.dataDir).url;
  } catch (error) {
    return {
      id: "bridge",
      title,
      status: "fail",
      detail: error instanceof NoBridgeError ? error.message : String(error),
      fix: "start the bridge: scriptwright serve",
    };
  }
  const probe = await (ctx.health ?? fetchHealth)(url);
  return probe.ok
    ? { id: "bridge", title, status: "ok", detail: `The bridge answers at ${url} (${probe.detail}).` }
    : {
        id: "bridge",
        title,
        status: "fail",
        detail: `bridge not reachable at ${url} (${probe.detail}); bridge.json may be left from a bridge that stopped.`,
        fix: "start the bridge: scriptwright serve",
      };
}

/** Whether a host of `app` is connected to the bridge (checked only when the bridge answered). */
export async function hostCheck(
  ctx: BridgeContext,
  host: { app: string; label: string; title: string; bridgeOk: boolean; fix: string },
): Promise<DoctorCheck> {
  const { title } = host;
  if (!host.bridgeOk)
    return { id: "host-connected", title, status: "skip", detail: "needs a reachable bridge (see above)" };
  const { url, token } = readBridgeFile(ctx.dataDir);
  const answer = await (ctx.hosts ?? fetchHosts)(url, token);
  if (!answer.ok) {
    return {
      id: "host-connected",
      title,
      status: "fail",
      detail: `cannot list the bridge's hosts: ${answer.detail}`,
    };
  }
  const mine = answer.hosts.filter((connected) => connected.app === host.app);
  if (mine.length) {
    const names = mine.map((h) => `${h.name}${h.appVersion ? ` (${host.label} ${h.appVersion})` : ""}`);
    return { id: "host-connected", title, status: "ok", detail: `Connected: ${names.join(", ")}.` };
  }
  return {
    id: "host-connected",
    title,
    status: "fail",
    detail: `No ${host.app} host is connected to the bridge at ${url}.`,
    fix: host.fix,
  };
}

/** 0 when every check passed (info items aside), 1 otherwise (a skipped check did not pass). */
export function doctorExitCode(checks: DoctorCheck[]): number {
  return checks.every((c) => c.status === "ok" || c.status === "info") ? 0 : 1;
}

export function formatChecks(checks: DoctorCheck[]): string {
  const mark = { ok: "ok  ", fail: "FAIL", skip: "skip", info: "info" } as const;
  return checks
    .map((c) =>
      [`[${mark[c.status]}] ${c.title}: ${c.detail}`, ...(c.fix ? [`       fix: ${c.fix}`] : [])].join("\n"),
    )
    .join("\n");
}
