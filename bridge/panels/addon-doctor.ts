// `scriptwright panel doctor APP` for an add-on app: the app found (and its version), the
// add-on installed and enabled as the app itself reports it, the bridge, a host connected.
import { askStatus, findApp, statusChecks } from "./addon-app.js";
import { bridgeCheck, type DoctorCheck, type HealthProbe, type HostsProbe, hostCheck } from "./doctor.js";
import type { PanelTarget } from "./panel-apps.js";
import type { CommandRunner } from "./runner.js";

export interface AddonDoctorContext {
  target: PanelTarget<"addon">;
  dataDir: string;
  runner: CommandRunner;
  health?: HealthProbe;
  hosts?: HostsProbe;
}

export async function runAddonDoctor(ctx: AddonDoctorContext): Promise<DoctorCheck[]> {
  const { app, label, spec } = ctx.target;
  const checks: DoctorCheck[] = [];
  const search = await findApp(ctx.target, ctx.runner);
  if (search.found) {
    const { executable, version } = search.found;
    checks.push({
      id: "app-found",
      title: label,
      status: "ok",
      detail: `${label} ${version} (${executable}).`,
    });
    checks.push(...statusChecks(ctx.target, await askStatus(ctx.target, executable, ctx.runner)));
  } else {
    checks.push({ id: "app-found", title: label, status: "fail", detail: search.detail, fix: spec.findFix });
    const detail = `needs ${label} (see above)`;
    checks.push({ id: "addon-installed", title: "add-on installed", status: "skip", detail });
    checks.push({ id: "addon-enabled", title: "add-on enabled", status: "skip", detail });
  }
  const bridge = await bridgeCheck(ctx);
  checks.push(bridge);
  checks.push(
    await hostCheck(ctx, {
      app,
      label,
      title: `${label} connected`,
      bridgeOk: bridge.status === "ok",
      fix: spec.connectHint,
    }),
  );
  return checks;
}
