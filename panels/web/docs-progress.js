// One small line under the host picker while the bridge builds or reads an app's API docs
// ("Reading Blender 3.4.1 docs from blender-1… 40%"), fed by GET /api/docs/builds.

const EVERY_MS = 3000;

/** "Building After Effects 26.0 docs…" / "Reading Blender 3.4.1 docs from blender-1… 40%". */
export function describeBuild(build) {
  const version = build.version ? ` ${build.version}` : "";
  const what =
    build.kind === "sync"
      ? `Reading ${build.displayName}${version} docs from ${build.hostId ?? "the app"}…`
      : `Building ${build.displayName}${version} docs…`;
  return typeof build.percent === "number" ? `${what} ${build.percent}%` : what;
}

/** Adds the line after `anchor` and keeps it current; an error (older bridge, no token) hides it. */
export function watchDocsBuilds(api, anchor) {
  const line = document.createElement("p");
  line.className = "host-detail docs-progress";
  line.setAttribute("aria-live", "polite");
  line.hidden = true;
  anchor.after(line);
  const refresh = async () => {
    let builds = [];
    try {
      builds = await api.get("/api/docs/builds");
    } catch {
      builds = [];
    }
    line.textContent = builds.map(describeBuild).join(" · ");
    line.hidden = builds.length === 0;
  };
  refresh();
  setInterval(refresh, EVERY_MS);
}
