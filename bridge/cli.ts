#!/usr/bin/env node
// Each command's module is imported only when that command runs, so `--version`, `hosts`,
// `exec` and `check` never load the server, the agent, the queue or the docs builders.
import { Command, Option } from "commander";
import { appList, docsFromHints, languageList } from "./cli/app-lists.js";
import { reportError } from "./cli/exit-codes.js";
import {
  builtInPortAppList,
  installHelp,
  kindChoices,
  packHelp,
  panelAppList,
  vbaTrustAppList,
} from "./cli/panel-help.js";
import { PROVIDERS, SETTING_NAMES } from "./config/settings.js";
import { resolveDataDir } from "./data-dir.js";
import { VERSION } from "./version.js";

// `scriptwright … | head` closes stdout early: the rest of the output has nowhere to go, which
// is not a failure of the command (it keeps its own exit code), so say nothing.
process.stdout.on("error", (error: NodeJS.ErrnoException) => {
  if (error.code !== "EPIPE") throw error;
});

const collect = (value: string, previous: string[]) => [...previous, value];
const providerOption = () =>
  new Option(
    "--provider <provider>",
    "who model requests go to: anthropic (default) or openai (any OpenAI-compatible endpoint)",
  ).choices(PROVIDERS);
const baseUrlOption = () =>
  new Option(
    "--base-url <url>",
    "the model endpoint (default: $ANTHROPIC_BASE_URL or $OPENAI_BASE_URL, base-url in config.json)",
  );
const dataDirOption = () =>
  new Option(
    "--data-dir <dir>",
    "where bridge.json, logs and data live (default $SCRIPTWRIGHT_HOME or ~/.scriptwright)",
  );

const program = new Command("scriptwright")
  .description("A scripting copilot for professional apps: a local bridge that runs code inside them.")
  .version(VERSION)
  // Program options only before the subcommand: `docs build --version 22.0` is the app version.
  .enablePositionalOptions()
  .exitOverride()
  .showHelpAfterError();

program
  .command("serve")
  .description("run the bridge on 127.0.0.1")
  .option("--port <port>", "port to listen on; 0 picks a free one", "7821")
  .addOption(dataDirOption())
  .option(
    "--headless <app[:N]>",
    `launch and supervise N headless instances of an app (${appList("headless")}; repeatable; \`auto\` = every one found)`,
    collect,
    [],
  )
  .option("--allow-origin <origin>", "also accept requests from this Origin (repeatable)", collect, [])
  .option("--mcp-auto-approve", "run scripts from /mcp clients without asking in the chat panel")
  .addOption(providerOption())
  .addOption(baseUrlOption())
  .option(
    "--model <model>",
    "the model sessions use (default: $SCRIPTWRIGHT_MODEL, config.json, or the provider's default)",
  )
  .option("--small-model", "a shorter tool list and prompt, for small local models")
  .addOption(new Option("--heartbeat-ms <ms>", "ping interval for host sockets").default("10000").hideHelp())
  // Set by `scriptwright mcp` for a bridge it starts: the bridge ends with its parent, even a killed one.
  .addOption(new Option("--exit-with-stdin", "stop when stdin closes").hideHelp())
  .action(async (opts) => {
    const { serve } = await import("./cli/serve.js");
    await serve({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

program
  .command("hosts")
  .description("list connected app instances")
  .addOption(dataDirOption())
  .option("--json", "print JSON")
  .action(async (opts) => {
    const { hosts } = await import("./cli/hosts.js");
    process.exitCode = await hosts({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

program
  .command("exec")
  .description(
    "run a script in a connected app (exit 0 ok, 1 script error, 2 usage, 3 no bridge/host, 4 timeout)",
  )
  .argument("[-]", "read the script from stdin")
  .option("--app <app>", `run on a host of this app (${appList()})`)
  .option("--host <id>", "run on this host (see `scriptwright hosts`)")
  .option("--file <path>", "script file")
  .option("--code <code>", "script text")
  .option("--language <language>", "language, when the host speaks several")
  .option("--timeout <ms>", "give up waiting after this many milliseconds (default 30000)")
  .addOption(dataDirOption())
  .option("--json", "print {outcome, hostId, value, logs, error, durationMs}")
  .action(async (dash, opts) => {
    const { exec } = await import("./cli/exec.js");
    process.exitCode = await exec(dash, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

program
  .command("undo")
  .description(
    "take back the last run that changed a host's document (exit 0 restored, 1 nothing restored, 2 usage, 3 no bridge/host)",
  )
  .option("--app <app>", `on the host of this app that ran the last such script (${appList()})`)
  .option("--host <id>", "on this host (see `scriptwright hosts`)")
  .option(
    "--force",
    "restore even when that run timed out or lost its host (its effect is unknown), kept no checkpoint, or the app sees other changes since",
  )
  .addOption(dataDirOption())
  .option("--json", "print what was restored as JSON")
  .action(async (opts) => {
    const { undo } = await import("./cli/undo.js");
    process.exitCode = await undo({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

program
  .command("capture")
  .description(
    "a picture of what is open in an app, as a PNG (exit 0 ok, 1 the app failed, 2 bad request, 3 no bridge/host, 4 timeout)",
  )
  .option("--app <app>", `capture a host of this app (${appList()})`)
  .option("--host <id>", "capture this host (see `scriptwright hosts`)")
  .option("--frame <n>", "a frame to show (repeatable: several make one labelled contact sheet)", collect, [])
  .option(
    "--view <name>",
    "a named view, e.g. Blender's camera, front, side, top, persp, viewport (repeatable)",
    collect,
    [],
  )
  .option("--range <range>", "what to show of a sheet, e.g. A1:D10")
  .option("--width <px>", "longest side (default 1024, at most 1568)")
  .option("--out <file>", "where to write the PNG (default capture-HOST-TIME.png here; - for stdout)")
  .addOption(dataDirOption())
  .option(
    "--json",
    "print {hostId, app, images: [{mediaType, width, height, label, data, bytes, tokens}], notes, durationMs}",
  )
  .action(async (opts) => {
    const { capture } = await import("./cli/capture.js");
    process.exitCode = await capture({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

program
  .command("check")
  .description("preflight and risk scan of a script, no host needed (exit 0 clean, 1 with diagnostics)")
  .argument("[-]", "read the script from stdin")
  .option("--app <app>", `the app whose language and rules to check with (${appList()})`)
  .option("--language <language>", `the language (${languageList()}), instead of --app`)
  .option("--file <path>", "script file")
  .option("--code <code>", "script text")
  .option("--json", "print [{line, column, message, severity}]")
  .action(async (dash, opts) => {
    const { check } = await import("./cli/check.js");
    process.exitCode = await check(dash, opts);
  });

const kindOption = () =>
  new Option("--kind <kind>", `which of the app's panels, for apps with several (${kindChoices()})`);
const portOption = () =>
  new Option(
    "--port <port>",
    `${builtInPortAppList()}: the bridge port the plugin is built for (default: the running bridge's, else 7821)`,
  );
const panel = program
  .command("panel")
  .description(`install and check the app's panel or runner, or pack it (${panelAppList()})`);
panel
  .command("install")
  .description(`install the app's panel. ${installHelp()}`)
  .argument("<app>", panelAppList())
  .option("--dry-run", "print the plan, change nothing")
  .option(
    "--trust-vba-access",
    `${vbaTrustAppList()}: also turn on trust access to the VBA project object model (AccessVBOM=1)`,
  )
  .addOption(new Option("--os <os>", "plan for this OS (default: this machine)").choices(["mac", "win"]))
  .addOption(kindOption())
  .addOption(portOption())
  .addOption(dataDirOption())
  .option("--json", "print the plan (and each step's result) as JSON")
  .action(async (app, opts) => {
    const { panelInstall } = await import("./cli/panel.js");
    process.exitCode = await panelInstall(app, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
panel
  .command("doctor")
  .description(
    "check each thing the app's panel or runner needs and say what to change (exit 0 all ok, 1 otherwise)",
  )
  .argument("<app>", panelAppList())
  .addOption(new Option("--os <os>", "check for this OS (default: this machine)").choices(["mac", "win"]))
  .addOption(kindOption())
  .addOption(dataDirOption())
  .option("--json", "print JSON")
  .action(async (app, opts) => {
    const { panelDoctor } = await import("./cli/panel.js");
    process.exitCode = await panelDoctor(app, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
panel
  .command("pack")
  .description(`write what a person installs by hand: ${packHelp()} (no app: the CEP panel)`)
  .argument("[app]", "the app whose panel to pack")
  .option(
    "--out <dir>",
    "output folder (default: ./scriptwright-cep-<version> for the CEP panel, . otherwise)",
  )
  .addOption(kindOption())
  .addOption(portOption())
  .addOption(dataDirOption())
  .option("--json", "print JSON")
  .action(async (app, opts) => {
    const { panelPack } = await import("./cli/panel.js");
    process.exitCode = panelPack({ ...opts, dataDir: resolveDataDir(opts.dataDir) }, undefined, app);
  });
panel
  .command("pair")
  .description(
    "show a short code that pairs a panel which cannot read bridge.json (a UXP plugin): it works once, for 5 minutes",
  )
  .addOption(dataDirOption())
  .option("--json", "print {code, expiresAt, expiresInSeconds}")
  .action(async (opts) => {
    const { panelPair } = await import("./cli/panel-pairing.js");
    process.exitCode = await panelPair({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
panel
  .command("pairings")
  .description("list the panels paired with the bridge (never their secrets)")
  .addOption(dataDirOption())
  .option("--json", "print JSON")
  .action(async (opts) => {
    const { panelPairings } = await import("./cli/panel-pairing.js");
    process.exitCode = await panelPairings({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
panel
  .command("unpair")
  .description(
    "revoke a panel's pairing (or every one with --all); a connected panel is disconnected at once",
  )
  .argument("[id]", "the pairing, as `panel pairings` lists it")
  .option("--all", "revoke every pairing")
  .addOption(dataDirOption())
  .option("--json", "print {revoked, closed}")
  .action(async (id, opts) => {
    const { panelUnpair } = await import("./cli/panel-pairing.js");
    process.exitCode = await panelUnpair(id, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

const docs = program.command("docs").description("the apps' API references: build, sync, search, read, ls");
const docsOptions = (command: Command) =>
  command
    .requiredOption("--app <app>", `the app (${appList("docs")})`)
    .option("--version <version>", "a built version (default: the latest built)")
    .option("--language <language>", "the reference in this language (default: the app's own; build: all)")
    .addOption(dataDirOption())
    .option("--json", "print JSON");

docsOptions(docs.command("build").description("build an app's reference from its dependency or your files"))
  .option("--from <path>", `build from the app's help on this machine (${docsFromHints()})`)
  .action(async (opts) => {
    const { docsBuild } = await import("./cli/docs.js");
    await docsBuild({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
docsOptions(docs.command("sync").description("build the reference by introspecting the connected app"))
  .option("--host <id>", "introspect this host")
  .action(async (opts) => {
    const { docsSync } = await import("./cli/docs.js");
    await docsSync({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
docsOptions(docs.command("search").description("search names, members and descriptions").argument("<query>"))
  .option("--limit <n>", "how many results (default 10, at most 50)")
  .addOption(
    new Option("--mode <mode>", "text (ranked), literal or regex (grep)").choices([
      "text",
      "literal",
      "regex",
    ]),
  )
  .action(async (query, opts) => {
    const { docsSearch } = await import("./cli/docs.js");
    docsSearch(query, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
docsOptions(
  docs
    .command("read")
    .description("read one file (≤ 8 KB a page); PATH#member starts at a member")
    .argument("<path>"),
)
  .option("--offset <n>", "start at this character")
  .action(async (path, opts) => {
    const { docsRead } = await import("./cli/docs.js");
    docsRead(path, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
docsOptions(docs.command("ls").description("list the tree").argument("[path]"))
  .option("--offset <n>", "start at this item")
  .action(async (path, opts) => {
    const { docsLs } = await import("./cli/docs.js");
    docsLs(path, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

program
  .command("ask")
  .description("one agent session: the model reads the docs, writes scripts and runs them in the app")
  .argument("<prompt>")
  .option("--app <app>", `work in a host of this app (${appList()})`)
  .option("--host <id>", "work in this host")
  .option("--yes", "run scripts without asking (approval mode auto)")
  .addOption(
    new Option("--approval <mode>", "ask (default), auto or read-only").choices(["ask", "auto", "read-only"]),
  )
  .option("--model <model>", "the model (default: $SCRIPTWRIGHT_MODEL, config.json, or the current Sonnet)")
  .option("--session <id>", "continue this session with a follow-up")
  .addOption(dataDirOption())
  .action(async (prompt, opts) => {
    const { ask } = await import("./cli/ask.js");
    process.exitCode = await ask(prompt, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

const sessions = program.command("sessions").description("past agent sessions (JSONL transcripts)");
sessions
  .command("list", { isDefault: true })
  .addOption(dataDirOption())
  .option("--json", "print JSON")
  .action(async (opts) => {
    const { sessionsList } = await import("./cli/sessions.js");
    sessionsList({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
sessions
  .command("show")
  .argument("<id>")
  .addOption(dataDirOption())
  .option("--json", "print the transcript records")
  .action(async (id, opts) => {
    const { sessionsShow } = await import("./cli/sessions.js");
    sessionsShow(id, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
sessions
  .command("search")
  .description("find the scripts earlier sessions ran (description, code, outcome, error), best match first")
  .argument("<query>", "words to look for, e.g. bevel")
  .option("--app <app>", `only sessions in this app (${appList()})`)
  .option("--limit <n>", "at most this many (default 10)")
  .addOption(dataDirOption())
  .option("--json", "print [{sessionId, at, description, outcome, snippet, …}]")
  .action(async (query, opts) => {
    const { sessionsSearch } = await import("./cli/sessions.js");
    process.exitCode = sessionsSearch(query, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

program
  .command("models")
  .description(
    "the models the endpoint offers (the running bridge's, or with --provider/--base-url this shell's)",
  )
  .addOption(dataDirOption())
  .addOption(providerOption())
  .addOption(baseUrlOption())
  .option("--json", "print {provider, endpoint, model, models: [{id, displayName?, createdAt?, ownedBy?}]}")
  .action(async (opts) => {
    const { models } = await import("./cli/models.js");
    process.exitCode = await models({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

const config = program
  .command("config")
  .description(
    "the model settings in <data-dir>/config.json, read by the bridge for each new session (list, get, set, unset)",
  );
const settingArgument = SETTING_NAMES.join(", ");
config
  .command("list", { isDefault: true })
  .description("what the bridge uses and where each comes from (flag > environment > config.json > default)")
  .addOption(dataDirOption())
  .option("--json", "print JSON (the key only as a hint)")
  .action(async (opts) => {
    const { configList } = await import("./cli/config.js");
    process.exitCode = await configList({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
config
  .command("get")
  .description("the value config.json holds (the key only as a hint); exit 1 when unset")
  .argument("<name>", settingArgument)
  .addOption(dataDirOption())
  .option("--json", "print JSON")
  .action(async (name, opts) => {
    const { configGet } = await import("./cli/config.js");
    process.exitCode = configGet(name, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
config
  .command("set")
  .description("store a setting; api-key is read from stdin or asked for, never taken from the command line")
  .argument("<name>", settingArgument)
  .argument("[value]", "the value (not for api-key)")
  .addOption(dataDirOption())
  .option("--json", "print JSON")
  .action(async (name, value, opts) => {
    const { configSet } = await import("./cli/config.js");
    process.exitCode = await configSet(name, value, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
config
  .command("unset")
  .description("remove a setting from config.json")
  .argument("<name>", settingArgument)
  .addOption(dataDirOption())
  .option("--json", "print JSON")
  .action(async (name, opts) => {
    const { configUnset } = await import("./cli/config.js");
    process.exitCode = await configUnset(name, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

const macro = program
  .command("macro")
  .description(
    "recorded macros: scripts with typed parameters, versions and tests (list, show, save, run, approve, rm, history, diff, revert, test)",
  );
macro
  .command("list", { isDefault: true })
  .description("list macros (yours and the starters); unusable files are reported on stderr")
  .addOption(dataDirOption())
  .option("--json", "print {macros, problems}")
  .action(async (opts) => {
    const { macroList } = await import("./cli/macro.js");
    process.exitCode = macroList({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
macro
  .command("show")
  .argument("<name>")
  .addOption(dataDirOption())
  .option("--json", "print the macro")
  .action(async (name, opts) => {
    const { macroShow } = await import("./cli/macro.js");
    process.exitCode = await macroShow(name, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
macro
  .command("save")
  .description("save a script file as a macro (each save is a new version)")
  .argument("<name>", "a-z 0-9 . _ - (at most 64)")
  .requiredOption("--app <app>", `the app it runs in (${appList()})`)
  .requiredOption("--file <path>", "the script")
  .option("--params <schema.json>", "JSON Schema of the parameters (type object)")
  .option(
    "--tests <tests.json>",
    "its test cases: [{name, fixture?, params, expect: {value?, schema?, check?}}]",
  )
  .option("--message <text>", "why this version (kept in its history)")
  .option("--description <text>", "one line: what it does")
  .option("--language <language>", "language, when not the app's default")
  .option("--replace", "overwrite a macro of that name (or shadow a starter)")
  .addOption(dataDirOption())
  .option("--json", "print the saved macro")
  .action(async (name, opts) => {
    const { macroSave } = await import("./cli/macro.js");
    process.exitCode = await macroSave(name, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
macro
  .command("run")
  .description(
    "run a macro through the bridge (exit 0 ok, 1 script error or invalid params, 2 usage, 3 no bridge/host, 4 timeout)",
  )
  .argument("<name>")
  .option("--app <app>", "run on a host of this app (default: the macro's app)")
  .option("--host <id>", "run on this host")
  .option("--param <name=value>", "a parameter, typed by the macro's schema (repeatable)", collect, [])
  .option("--params-file <path>", "parameters as a JSON object (--param wins)")
  .option("--timeout <ms>", "give up waiting after this many milliseconds (default 30000)")
  .addOption(dataDirOption())
  .option("--json", "print {outcome, hostId, value, logs, error, durationMs}")
  .action(async (name, opts) => {
    const { macroRun } = await import("./cli/macro.js");
    process.exitCode = await macroRun(name, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
macro
  .command("approve")
  .description("approve the code of a macro an agent saved: it then runs without asking (unless flagged)")
  .argument("<name>")
  .option("--hash <sha256>", "approve only this version (the hash `macro show` printed)")
  .addOption(dataDirOption())
  .option("--json", "print the approved macro")
  .action(async (name, opts) => {
    const { macroApprove } = await import("./cli/macro.js");
    process.exitCode = await macroApprove(name, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
macro
  .command("rm")
  .description("remove one of your macros (starters are read-only; its versions stay, for revert)")
  .argument("<name>")
  .addOption(dataDirOption())
  .option("--json", "print {removed}")
  .action(async (name, opts) => {
    const { macroRm } = await import("./cli/macro.js");
    process.exitCode = await macroRm(name, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
macro
  .command("history")
  .description("every version of a macro: when, who saved it (a session, a file, a revert) and why")
  .argument("<name>")
  .addOption(dataDirOption())
  .option("--json", "print [{version, hash, createdAt, source, message, commit, approved?, current}]")
  .action(async (name, opts) => {
    const { macroHistory } = await import("./cli/macro.js");
    process.exitCode = await macroHistory(name, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
macro
  .command("diff")
  .description("what changed between two versions: the code as a unified diff, and the parameters")
  .argument("<name>")
  .argument("[a]", "the older version (default: the one before b)")
  .argument("[b]", "the newer version (default: the current one)")
  .addOption(dataDirOption())
  .option("--json", "print {diff, params: {added, removed, changed, otherwise}, description?, tests}")
  .action(async (name, a, b, opts) => {
    const { macroDiff } = await import("./cli/macro.js");
    process.exitCode = await macroDiff(name, a, b, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
macro
  .command("revert")
  .description("bring back an earlier version's code as the next version (nothing is lost)")
  .argument("<name>")
  .argument("<version>", "the version whose code comes back (see macro history)")
  .option("--message <text>", "why (kept in its history)")
  .addOption(dataDirOption())
  .option("--json", "print the macro as it now is")
  .action(async (name, version, opts) => {
    const { macroRevert } = await import("./cli/macro.js");
    process.exitCode = await macroRevert(name, version, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
macro
  .command("test")
  .description(
    "run a macro's test cases, each on a new document in a headless host of its own (exit 0 all passed, 1 a case failed, 2 usage)",
  )
  .argument("[name]")
  .option("--all", "every macro that has tests")
  .option("--timeout <ms>", "per script run (default 30000)")
  .addOption(dataDirOption())
  .option("--json", "print the report {macro, version, passed, failed, cases: [{name, ok, reason?}]}")
  .action(async (name, opts) => {
    const { macroTest } = await import("./cli/macro-test.js");
    process.exitCode = await macroTest(name, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

const batch = program
  .command("batch")
  .description("run a macro over many documents in local headless hosts (run, resume, list, status, cancel)");
batch
  .command("run")
  .description("start a job (exit 0 every file ok, 1 otherwise, 2 usage, 3 app not installed)")
  .requiredOption("--macro <name>", "the macro to run on each file")
  .option("--app <app>", `the app (${appList("batch")}; default: the macro's app)`)
  .requiredOption("--files <glob...>", "files or globs (* ? ** [..]), quoted so the shell leaves them alone")
  .option("--param <name=value>", "a parameter, typed by the macro's schema (repeatable)", collect, [])
  .option("--params-file <path>", "parameters as a JSON object (--param wins)")
  .option("--concurrency <n>", "headless hosts, one file each at a time (default 2)")
  .option("--timeout <ms>", "per script run (default 30000)")
  .option("--not-idempotent", "never retry a file whose macro timed out")
  .option(
    "--saves",
    "the macro saves each file: a file that did not change on disk is an error (on anyway when check sees it save the document)",
  )
  .option("--keep-backups", "keep the app's backup copies when the macro saves (Blender's .blend1)")
  .option("--skip-tests", "start without running the macro's tests first (the report says so)")
  .option("--queue <url>", "hand the files to `scriptwright worker`s on this Redis (redis://host:port)")
  .addOption(dataDirOption())
  .option("--json", "print the final status as JSON")
  .action(async (opts) => {
    const { batchRun } = await import("./cli/batch.js");
    process.exitCode = await batchRun({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
batch
  .command("resume")
  .description(
    "finish an interrupted job: done files are kept, files in flight at the crash run again (a queued job goes back to its queue)",
  )
  .argument("<id>")
  .option("--queue <url>", "the Redis of a queued job, when it moved (default: the one it was queued on)")
  .addOption(dataDirOption())
  .option("--json", "print the final status as JSON")
  .action(async (id, opts) => {
    const { batchResume } = await import("./cli/batch.js");
    process.exitCode = await batchResume(id, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
batch
  .command("list", { isDefault: true })
  .addOption(dataDirOption())
  .option("--json", "print JSON")
  .action(async (opts) => {
    const { batchList } = await import("./cli/batch.js");
    process.exitCode = batchList({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
batch
  .command("status")
  .argument("<id>")
  .addOption(dataDirOption())
  .option("--json", "print {id, state, total, done, ok, failed, files}")
  .action(async (id, opts) => {
    const { batchStatus } = await import("./cli/batch.js");
    process.exitCode = batchStatus(id, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });
batch
  .command("cancel")
  .description("a running job stops taking files; an interrupted one is closed")
  .argument("<id>")
  .addOption(dataDirOption())
  .option("--json", "print {cancelled}")
  .action(async (id, opts) => {
    const { batchCancel } = await import("./cli/batch.js");
    process.exitCode = batchCancel(id, { ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

program
  .command("worker")
  .description("run queued batch files (from batch run --queue) on local headless hosts until Ctrl-C")
  .requiredOption("--queue <url>", "the Redis the jobs are queued on (redis://host:port)")
  .requiredOption("--app <app>", `the app whose queue to take files from (${appList("batch")})`)
  .option("--hosts <n>", "headless hosts, one file each at a time (default 1)")
  .addOption(dataDirOption())
  .action(async (opts) => {
    const { worker } = await import("./cli/worker.js");
    process.exitCode = await worker({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

program
  .command("mcp")
  .description(
    "MCP server on stdio for Claude Code, Claude Desktop, Cursor, …; uses the running bridge or starts one",
  )
  .addOption(dataDirOption())
  .option(
    "--app <app>",
    `the app tools use when a call names none (${appList()}; default: the connected one)`,
  )
  .option("--auto-approve", "run scripts without asking (default: each waits for approval in the chat panel)")
  .option("--port <port>", "when it starts a bridge: its port (default 7821, else any free one)")
  .option(
    "--headless <app[:N]>",
    `when it starts a bridge: headless hosts to launch (${appList("headless")}; repeatable; default auto)`,
    collect,
    [],
  )
  .action(async (opts) => {
    const { mcp } = await import("./cli/mcp.js");
    await mcp({ ...opts, dataDir: resolveDataDir(opts.dataDir) });
  });

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = await reportError(error);
}
