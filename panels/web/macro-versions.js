// Under a macro in the Macros view: its History (each version, a diff view against the one
// before, revert) and its Tests (the cases, their last result, "Run tests"). Plain DOM:
// textContent only for what comes from the bridge.

import { button, el } from "./dom.js";

const path = (macro, rest) => `/api/macros/${encodeURIComponent(macro.name)}/${rest}`;

/** "2026-12-07 10:11" in the reader's time zone. */
function when(iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso ?? "";
  const pad = (n) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Who saved a version, in a few words. */
export function sourceText(source) {
  switch (source?.kind) {
    case "session":
      return `agent session ${source.sessionId}`;
    case "file":
      return `file ${String(source.path).split(/[\\/]/).pop()}`;
    case "revert":
      return `revert to v${source.version} (${source.via})`;
    case "api":
      return "saved by a person";
    case "starter":
      return "shipped with Scriptwright";
    default:
      return source?.kind ?? "";
  }
}

/** The unified diff as lines marked added, removed or hunk header, for the diff view. */
export function diffLines(text) {
  return String(text ?? "")
    .replace(/\n$/, "")
    .split("\n")
    .filter((line) => !/^(Index: |={10,})/.test(line))
    .map((line) => ({
      text: line,
      kind:
        line.startsWith("+++") || line.startsWith("---")
          ? "file"
          : line.startsWith("@@")
            ? "hunk"
            : line.startsWith("+")
              ? "add"
              : line.startsWith("-")
                ? "del"
                : "same",
    }));
}

/** The parameter changes of a diff as lines ("+ parameter size (number)"). */
export function paramLines(params) {
  if (!params) return [];
  return [
    ...(params.added ?? []).map((p) => `+ parameter ${p.name} (${p.type})`),
    ...(params.removed ?? []).map((p) => `− parameter ${p.name} (${p.type})`),
    ...(params.changed ?? []).map((p) => `~ parameter ${p.name}: ${p.from} → ${p.to}`),
    ...(params.otherwise ?? []).map((name) => `~ parameter ${name}: other rules changed`),
  ];
}

/**
 * The History of a macro: loaded when opened. `onChange` is called after a revert (the list
 * reloads, the macro is a new version).
 */
export function historyPanel(api, macro, { onChange } = {}) {
  const box = el("details", "macro-history");
  box.append(el("summary", "", "History"));
  const list = el("ol", "version-list");
  const problem = el("p", "history-error");
  problem.setAttribute("role", "alert");
  problem.hidden = true;
  const view = el("div", "diff-view");
  view.hidden = true;
  view.setAttribute("aria-live", "polite");
  box.append(list, view, problem);

  const fail = (text) => {
    problem.textContent = text;
    problem.hidden = false;
  };

  const showDiff = async (a, b) => {
    problem.hidden = true;
    let diff;
    try {
      diff = await api.get(`${path(macro, "diff")}?a=${a}&b=${b}`);
    } catch (error) {
      fail(`Could not compare: ${error.message}`);
      return;
    }
    const title = el("p", "diff-title", `Changes from version ${diff.a} to version ${diff.b}`);
    const pre = el("pre", "diff");
    pre.setAttribute("aria-label", `Code changes from version ${diff.a} to version ${diff.b}`);
    if (!diff.diff) pre.textContent = "The code is the same.";
    for (const line of diffLines(diff.diff)) {
      const span = el("span", `diff-line diff-${line.kind}`, line.text);
      pre.append(span, "\n");
    }
    const changes = paramLines(diff.params);
    const params = el("ul", "param-changes");
    for (const line of changes.length ? changes : ["Parameters: no change"])
      params.append(el("li", "", line));
    if (diff.description)
      params.append(el("li", "", `Description: “${diff.description.from}” → “${diff.description.to}”`));
    const close = button("Close diff", "ghost small", () => {
      view.hidden = true;
    });
    view.replaceChildren(title, pre, params, close);
    view.hidden = false;
  };

  const revert = async (version, control) => {
    problem.hidden = true;
    control.disabled = true;
    try {
      await api.post(path(macro, "revert"), { version, via: "panel" });
      await load();
      onChange?.();
    } catch (error) {
      fail(`Could not revert: ${error.message}`);
      control.disabled = false;
    }
  };

  const load = async () => {
    let history;
    try {
      history = await api.get(path(macro, "history"));
    } catch (error) {
      fail(`Could not read the history: ${error.message}`);
      return;
    }
    const versions = history.versions ?? [];
    list.replaceChildren(
      ...[...versions].reverse().map((version, i, shown) => {
        const item = el("li", `version${version.current ? " current" : ""}`);
        item.dataset.version = String(version.version);
        const head = el("div", "version-head");
        head.append(
          el("span", "version-number", `v${version.version}${version.current ? " (current)" : ""}`),
          el("span", "version-when", when(version.createdAt)),
          el("span", "version-who", sourceText(version.source)),
        );
        if (version.approved) head.append(el("span", "badge", "approved"));
        item.append(head, el("p", "version-message", version.message));
        const actions = el("div", "version-actions");
        const previous = shown[i + 1];
        if (previous) {
          const diff = button("Diff", "ghost small", () => showDiff(previous.version, version.version));
          diff.setAttribute("aria-label", `Diff version ${previous.version} to version ${version.version}`);
          actions.append(diff);
        }
        if (!version.current && !history.starter) {
          const back = button(`Revert to v${version.version}`, "ghost small", () =>
            revert(version.version, back),
          );
          actions.append(back);
        }
        if (actions.children.length) item.append(actions);
        return item;
      }),
    );
    if (history.removed)
      list.prepend(el("li", "version removed", "Removed (revert a version to bring it back)"));
  };

  box.addEventListener("toggle", () => {
    if (box.open) load();
  });
  return box;
}

/** The Tests of a macro: its cases and their last result, and "Run tests" (not for unreviewed code). */
export function testsPanel(api, macro) {
  const count = macro.tests?.length ?? 0;
  const box = el("details", "macro-tests");
  box.append(el("summary", "", count ? `Tests (${count})` : "Tests (none)"));
  if (!count) {
    box.append(
      el(
        "p",
        "tests-note",
        "No tests yet: save the macro with tests (scriptwright macro save … --tests FILE.json, or the agent's save_macro).",
      ),
    );
    return box;
  }
  const last = el("p", "tests-last");
  const cases = el("ul", "test-cases");
  const status = el("p", "card-status");
  status.setAttribute("aria-live", "polite");
  const run = button("Run tests", "primary small run-tests", () => runTests());
  const unreviewed = macro.reviewed === false;
  run.hidden = unreviewed;
  box.append(last, cases);
  if (unreviewed) box.append(el("p", "tests-note", "Approve the code first: tests run it in the app."));
  box.append(run, status);

  const render = (tests, result, lastAny) => {
    const byName = new Map((result?.cases ?? []).map((c) => [c.name, c]));
    last.textContent = result
      ? `Last run on version ${result.version} (${when(result.at)}): ${result.passed} passed, ${result.failed} failed`
      : lastAny
        ? `Not run on this version yet (version ${lastAny.version}: ${lastAny.passed} passed, ${lastAny.failed} failed)`
        : "Not run yet.";
    cases.replaceChildren(
      ...tests.map((test) => {
        const outcome = byName.get(test.name);
        const item = el("li", `test-case ${outcome ? (outcome.ok ? "pass" : "fail") : "unknown"}`);
        item.dataset.case = test.name;
        item.append(
          el("span", "test-mark", outcome ? (outcome.ok ? "✓" : "✗") : "–"),
          el("span", "test-name", test.name),
          el("span", "visually-hidden", outcome ? (outcome.ok ? " passed" : " failed") : " not run"),
        );
        if (outcome && !outcome.ok) item.append(el("p", "test-reason", outcome.reason ?? ""));
        return item;
      }),
    );
  };

  const load = async () => {
    try {
      const answer = await api.get(path(macro, "tests"));
      render(answer.tests ?? [], answer.result, answer.last);
    } catch (error) {
      last.textContent = `Could not read the tests: ${error.message}`;
    }
  };

  const runTests = async () => {
    run.disabled = true;
    status.className = "card-status approved";
    status.textContent = `Running ${count} test${count === 1 ? "" : "s"} on a new document…`;
    try {
      const report = await api.post(path(macro, "test"), {});
      status.className = `card-status ${report.failed ? "failed" : "passed"}`;
      status.textContent = report.failed
        ? `${report.failed} of ${report.cases.length} failed`
        : `All ${report.passed} passed`;
      render(macro.tests, report, report);
    } catch (error) {
      status.className = "card-status failed";
      status.textContent = `Could not run the tests: ${error.message}`;
    } finally {
      run.disabled = false;
    }
  };

  box.addEventListener("toggle", () => {
    if (box.open) load();
  });
  return box;
}
