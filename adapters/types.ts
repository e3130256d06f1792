import type { AdapterPanels } from "./panel-spec.js";
import type { DocSet } from "./shared/docs-model.js";

// The two small interfaces every app integration implements.
// A language kit owns everything language-specific on the bridge side; an adapter says
// how one app hosts a language (how to launch it headless, how to read its state).

/** A problem found before a script is sent anywhere. Lines and columns are 1-based, in the user's code. */
export interface PreflightIssue {
  message: string;
  line: number;
  column: number;
  /** How to write it the way this language accepts. */
  hint?: string;
}

export type RiskKind =
  | "file-delete"
  | "file-overwrite"
  | "process"
  | "network"
  | "registry"
  | "app-quit"
  | "dynamic-code"
  | "native-code";

/** Why a script needs a person's approval. */
export interface RiskFlag {
  kind: RiskKind;
  reason: string;
  line?: number;
  /** It saves the open document over its own file (a batch then checks each file changed). */
  savesDocument?: true;
}

/**
 * An app's own risky API, written as a dotted name in the language its hosts speak: the
 * language kit's classifier matches it against the names the code uses (after import
 * aliases, for Python). `*` stands for any identifier characters (`bpy.ops.export_*`); a
 * leading `*.` matches that member on any object (`*.CloseDoc`). VBA compares without case.
 */
export interface AppRiskRule {
  pattern: string;
  kind: RiskKind;
  /** Shown with the flag, e.g. "quits SolidWorks: swApp.ExitApp". */
  reason: string;
  /** The call saves the open document over its own file (Workbook.Save, not SaveAs). */
  savesDocument?: true;
}

/**
 * What an app knows to be pure reads in one language, for the read-only approval mode. A
 * script is read-only only when every call, import and attribute write it makes is allowed
 * here (attribute and item writes never are): anything the list does not name makes it ask.
 */
export interface ReadOnlyRules {
  /** Modules a script may import (Python): whole dotted names. */
  imports?: readonly string[];
  /** Functions and statements used by their bare name (builtins, the app's globals). */
  functions: readonly string[];
  /**
   * Members that may be called on any object. In VBA, where a call needs no parentheses,
   * every member a script names must be here, properties included.
   */
  methods: readonly string[];
  /**
   * Keyword arguments a call may pass (Python), `key=lambda …` aside: only names whose values
   * the allowed functions read, never call (so not `default`, `file` or `object_hook`).
   */
  keywords?: readonly string[];
  /**
   * Names a script may not mention at all, as a name, an attribute or an import (Python):
   * Blender's `ops`, whose operators share names with pure methods (`bpy.ops.object.join()`).
   */
  refusedNames?: readonly string[];
}

/** An app's rules for one language its hosts speak: both declared, even when empty. */
export interface AppLanguageRules {
  /** The app's own risky API in this language ([] when the kit's rules cover it all). */
  risk: readonly AppRiskRule[];
  /** Its list of pure reads; null: no read-only mode in this language (every script asks). */
  readOnly: ReadOnlyRules | null;
}

/** An error as the user should see it: positions are in the user's code, never the wrapper's. */
export interface RunError {
  message: string;
  /** Exception class or error category, e.g. "ZeroDivisionError", "SyntaxError". */
  type?: string;
  line?: number;
  column?: number;
  /** Traceback / stack, already mapped to the user's lines. */
  stack?: string;
}

export interface Unwrapped {
  value?: unknown;
  logs?: string;
  error?: RunError;
}

export interface WrapOptions {
  /** Code run before the user's code in the same namespace (e.g. `import bpy`). Its lines never shift the user's. */
  prelude?: string;
  /** Code run after the user's code, even when it failed (e.g. record one undo step). */
  epilogue?: string;
  /** Bound to the variable `params` as data, never spliced into code (macros). */
  params?: unknown;
  /** Caps the bridge asks the in-app runtime to respect. */
  maxLogChars?: number;
  maxValueChars?: number;
  /** Items kept per list or map in the value (introspection listings need more than scripts do). */
  maxItems?: number;
}

export interface Wrapped {
  /** What the panel evaluates. */
  code: string;
  /** What unwrap needs to map the panel's output back to the user's code. */
  lineOffset: number;
}

/**
 * Code a host runs once per connection before any wrapped run (e.g. loading the in-app
 * runtime), so that each run sends a short call instead of the whole runtime.
 */
export interface KitSetup {
  /** Appears in the host's failure message when a run finds the setup missing (e.g. a module name). */
  key: string;
  /** Evaluated like a wrapped run; its output unwraps like one. */
  code: string;
}

export interface LanguageKit {
  readonly language: string;
  readonly setup?: KitSetup;
  /** Syntax and forbidden-construct check done on the bridge, before any round trip. */
  preflight(code: string): PreflightIssue[];
  wrap(code: string, options?: WrapOptions): Wrapped;
  /** Turns the panel's raw output into a value or an error. Empty or unparsable output is an error. */
  unwrap(output: string, wrapped: Wrapped): Unwrapped;
  /**
   * Flags risky operations for the approval policy: the language's own (files, processes,
   * network, dynamic code and reflection, which fail closed) plus the app's `appRules`.
   */
  risk(code: string, appRules?: readonly AppRiskRule[]): RiskFlag[];
  /** A few lines for the agent's system prompt: how code in this language runs and returns. */
  readonly promptNotes?: string;
  /**
   * True only when every call, import and attribute write in the script is one `rules`
   * allows (read-only approval mode). Absent: this language has no read-only mode.
   */
  isReadOnly?(code: string, rules: ReadOnlyRules): boolean;
}

export interface HeadlessLaunchOptions {
  bridgeUrl: string;
  token: string;
  /** Host name shown in `hosts`, e.g. "blender-1". */
  name: string;
  /** Opaque id the host echoes in its hello so the bridge ties socket and process together. */
  instance: string;
  /** Document to open, when the app takes one. */
  file?: string;
}

/** The arguments every managed panel takes to find the bridge and name itself; the token travels in `hostEnv`. */
export function hostArgs(options: HeadlessLaunchOptions): string[] {
  return ["--bridge", options.bridgeUrl, "--name", options.name, "--instance", options.instance];
}

export function hostEnv(options: HeadlessLaunchOptions): Record<string, string> {
  return { SCRIPTWRIGHT_TOKEN: options.token };
}

export interface HeadlessLaunch {
  command: string;
  args: string[];
  /** Extra environment; secrets go here, never in args (args are visible to every local user). */
  env: Record<string, string>;
}

/**
 * Live introspection through a connected host, in the host's own language. The bridge runs
 * `listScript` once, then `describeScript` over the names in batches, so no single result
 * has to hold the whole reference and progress can be shown. Python walks bpy.types;
 * ExtendScript would walk `reflect.properties/methods`; UXP its module exports.
 */
export interface Introspection {
  /** The language both scripts are in, when it is not the adapter's own (LibreOffice: Python for a VBA app). */
  readonly language?: string;
  /** Its value: `{version: string, names: string[]}` — the app version and every name to describe. */
  readonly listScript: string;
  /** Its value: `Entry[]` (bridge/docs/model.ts) for the names given as `params.names`. */
  readonly describeScript: string;
  /** Names per describe run: small enough that one result stays well under the output cap. */
  readonly batchSize: number;
}

/** Where an app's API reference comes from. */
export interface DocsSource {
  /** The language the reference is for, when not the adapter's own (Premiere's ExtendScript one). */
  language?: string;
  /**
   * The types scripts use most (the app's core objects, by entry name): they and their members
   * rank above rarer ones that share words with a question (ScriptUI's `add` for "add an expression").
   */
  commonTypes?: readonly string[];
  /** Versions a dependency can build without the app, newest first. */
  versions?(): string[];
  /**
   * Builds the reference from a dependency; `version` defaults to the newest. A builder with
   * heavy parsers imports them here, when called (so may answer with a promise), never at load.
   */
  build?(version?: string): DocSet | Promise<DocSet>;
  /**
   * Builds the reference from files on the user's machine (`docs build --from PATH`): the app's
   * own help, which may not be shipped. Rejects with DocsError("bad-source") when PATH is not usable.
   */
  buildFrom?(from: string, version?: string): DocSet | Promise<DocSet>;
  /** What `--from` should point at, for messages: "<install>\api\redist". */
  fromHint?: string;
  introspection?: Introspection;
  /**
   * Another app whose reference stands in for this one's: nothing is built for this app
   * itself (Excel reads the object model subset LibreOffice implements, under the same names).
   */
  readsDocsOf?: string;
}

/**
 * What a capture asks the app to show. The bridge binds it to `params` as data (never spliced
 * into the code), after checking it against the CaptureScript: `views` among its views,
 * `frames` and `range` only where it takes them, at most 16 pictures in all.
 */
export interface CaptureParams {
  /** Frames to show, in the app's own numbering (Blender's scene frames; a comp's or sequence's frames). */
  frames?: number[];
  /** Named views, each one of CaptureScript.views. With `frames`: every view of every frame. */
  views?: string[];
  /** What to show of a document that is not a picture: a cell range ("Sheet1!A1:D10"), a chart's name. */
  range?: string;
  /**
   * The longest side, in px, each picture should have: render no larger (it saves time). The
   * bridge scales down whatever is larger and tiles several pictures into one contact sheet.
   */
  width: number;
  /**
   * An empty folder, private to this capture (an absolute path under the bridge's data dir),
   * to write the pictures into. The bridge reads them and removes the folder afterwards.
   */
  dir: string;
}

/** One picture a capture script wrote into `params.dir`. */
export interface CapturedPicture {
  /** Its file name inside `params.dir` (no folders): PNG, JPEG, WebP, TIFF or GIF, or raw pixels. */
  file: string;
  /** What it shows, written under it on a contact sheet: "frame 12", "front", "Sheet1!A1:D10". */
  label: string;
  /**
   * The file holds raw 8-bit pixels, top row first, `channels` bytes each (what a framebuffer
   * read gives): for apps that would otherwise spend time encoding a picture the bridge encodes again.
   */
  raw?: { width: number; height: number; channels: 3 | 4 };
}

/**
 * A capture script's value: the pictures it wrote, in order (notes say what the caller should
 * know, e.g. "no camera: framed all objects"), or why it will not capture when the request is
 * one the app alone can judge wrong (a frame outside the scene's range, an empty scene, a
 * range that does not exist): `{refused}` reaches the caller as a bad request. A script that
 * throws is the app failing, reported as such.
 */
export type CaptureValue = { pictures: CapturedPicture[]; notes?: string[] } | { refused: string };

/** How an app shows what a script did, in one language its hosts speak. */
export interface CaptureScript {
  /** Code in that language: `params` is a CaptureParams, its final value a CaptureValue. */
  readonly code: string;
  /**
   * The view names it takes; absent: it takes no `views`. Without `views` the script shows its
   * default (Blender: the viewport as the person sees it in the UI, the camera's view headless).
   */
  readonly views?: readonly string[];
  /** It takes `frames` (the app has a timeline). */
  readonly frames?: boolean;
  /** It takes `range`. */
  readonly range?: boolean;
  /** How long a capture may run, when rendering takes longer than the bridge's default (60 s). */
  readonly timeoutMs?: number;
}

/**
 * What a checkpoint script gets as `params` (bound as data, never spliced into the code).
 * Checkpoint scripts run with the app's prelude but never its epilogue: a checkpoint is not a
 * run (in Blender's UI it must not add an undo step of its own).
 */
export interface CheckpointParams {
  /**
   * A copy's file: where `save` writes it and `restore` reads it (absolute, in a folder of the
   * bridge's data dir only the user can open; the bridge makes the file 0600 afterwards).
   */
  path?: string;
  /** For `restore`: the `state` that `save` or `mark` answered. */
  state?: unknown;
  /** For `restore`: the person asked to restore even where the app sees changes since (`--force`). */
  force?: boolean;
}

/** The value of a `save` or `mark` script: the document it is of, and what `restore` will need. */
export interface CheckpointTaken {
  /** The open document's path or name; null for an untitled one. */
  document: string | null;
  /** Anything `restore` needs back, as JSON (the document's file and format, an undo step's id). */
  state?: unknown;
}

/**
 * The value of a `restore` script: the document as it is now, with anything the person should
 * know; or why it will not restore (`refused`), when only the app can tell it would lose work
 * (the person's own edits since the run): the bridge then offers `--force`.
 */
export type CheckpointRestored = { document: string | null; notes?: string[] } | { refused: string };

/**
 * How an app keeps the state before a script that may change its document, to take the run
 * back (`scriptwright undo`), in one language its hosts speak. The app's own undo where it is
 * reliable, else a copy of the document in the bridge's data dir; an app may declare both
 * (Blender: its UI has undo steps, a headless Blender has none).
 */
export interface CheckpointSpec {
  /** The app's own undo: each run is one undo step there. */
  readonly undo?: {
    /** Only hosts whose hello lists this capability use it (Blender's UI says "undo"); absent: every host. */
    readonly capability?: string;
    /** Run before the script: a CheckpointTaken whose state names where the app's undo history is. Absent: nothing to note. */
    readonly mark?: string;
    /** Takes the app back to `params.state`; a CheckpointRestored. */
    readonly restore: string;
  };
  /** A copy of the document, for hosts the app's undo does not serve. */
  readonly copy?: {
    /** Writes a copy of the open document to `params.path` without changing the document; a CheckpointTaken. */
    readonly save: string;
    /** Puts the copy at `params.path` in place of the open document (keeping its name and file); a CheckpointRestored. */
    readonly restore: string;
    /** The copy's file name extension, e.g. ".blend". */
    readonly extension: string;
  };
  /** How long one checkpoint script may run, when the bridge's default (60 s) is too short. */
  readonly timeoutMs?: number;
}

export interface Adapter {
  /** The app id used everywhere (`--app blender`, `hello.app`). */
  readonly app: string;
  readonly displayName: string;
  /** The language its hosts speak unless a run says otherwise. */
  readonly language: string;
  /** Options every run in `language` on this app is wrapped with. */
  readonly wrapOptions?: WrapOptions;
  /**
   * Options per language, for apps whose hosts speak several (LibreOffice: VBA and Python).
   * An entry here wins over `wrapOptions`; see wrapOptionsFor.
   */
  readonly wrapOptionsByLanguage?: Readonly<Record<string, WrapOptions>>;
  /** Present when the bridge can launch and supervise headless instances. */
  readonly headless?: {
    /** Absolute path of the app's executable, or null when it is not installed. */
    find(): string | null;
    launch(executable: string, options: HeadlessLaunchOptions): HeadlessLaunch;
  };
  /**
   * A script whose value is a bounded summary of the app's state: in `language`, or one per
   * language for apps scripted in several (Premiere: UXP and ExtendScript).
   */
  readonly stateProbe?: string | Readonly<Record<string, string>>;
  /**
   * Pictures of the open document (`capture`: agent tool, CLI, HTTP, MCP), one entry per
   * language (`{python: …}`). A host runs the entry for its own language, else one for another
   * language it speaks (LibreOffice's VBA hosts capture in Python); see captureFor.
   */
  readonly capture?: Readonly<Record<string, CaptureScript>>;
  /**
   * Checkpoints before scripts that may change the document (`scriptwright undo`), one entry
   * per language the scripts are in; found as captureFor finds a capture (see checkpointFor).
   * Absent: the app's runs cannot be taken back.
   */
  readonly checkpoint?: Readonly<Record<string, CheckpointSpec>>;
  /** For an app without checkpoints: how a person takes a run back in the app itself (said by undo). */
  readonly undoInApp?: string;
  readonly docs?: DocsSource;
  /**
   * References in other languages its hosts speak, each naming its `language` (Premiere: UXP
   * beside ExtendScript). A host, session or call in that language reads that tree.
   */
  readonly moreDocs?: readonly DocsSource[];
  /**
   * One entry per language its hosts speak (`language` among them): the app's risk rules and
   * read-only list in that language (see classify.ts). Every registered app declares them
   * (test/adapter-contract.test.ts); stand-ins in tests may leave them out.
   */
  readonly rules?: Readonly<Record<string, AppLanguageRules>>;
  /** A few lines for the agent's system prompt: what is predefined, what fails headless, … */
  readonly promptNotes?: string;
  /**
   * A script that opens the document at `params["file"]` (bound as data, never spliced into
   * the code), replacing the open one; batch jobs run it before each file's macro. In
   * `language`, or in the language given (LibreOffice opens files from Python).
   */
  readonly openDocument?: string | { readonly language: string; readonly code: string };
  /**
   * A script that replaces the open document with a new, empty one (as the app starts); a macro's
   * tests run each case on one. In `language`, or in the language given.
   */
  readonly newDocument?: string | { readonly language: string; readonly code: string };
  /**
   * How `scriptwright panel install|doctor|pack` installs the app's panel (absent: nothing to
   * install); several, one per kind, when versions of the app load different ones (panelSpecs).
   */
  readonly panel?: AdapterPanels;
}

/** The options a run in `language` on this adapter's hosts is wrapped with. */
export function wrapOptionsFor(adapter: Adapter | undefined, language: string): WrapOptions | undefined {
  const own = adapter?.wrapOptionsByLanguage?.[language];
  if (own) return own;
  return adapter?.language === language ? adapter.wrapOptions : undefined;
}

/** The languages this app's hosts run: its own first, then every other one it has options or rules for. */
export function adapterLanguages(adapter: Adapter): string[] {
  return [
    ...new Set([
      adapter.language,
      ...Object.keys(adapter.wrapOptionsByLanguage ?? {}),
      ...Object.keys(adapter.rules ?? {}),
    ]),
  ];
}

/** The adapter's openDocument script with the language it is written in, if it has one. */
export function openDocumentFor(
  adapter: Adapter | undefined,
): { language: string; code: string } | undefined {
  const open = adapter?.openDocument;
  if (open === undefined) return undefined;
  return typeof open === "string" ? { language: adapter!.language, code: open } : open;
}

/** The adapter's newDocument script with the language it is written in, if it has one. */
export function newDocumentFor(adapter: Adapter | undefined): { language: string; code: string } | undefined {
  const fresh = adapter?.newDocument;
  if (fresh === undefined) return undefined;
  return typeof fresh === "string" ? { language: adapter!.language, code: fresh } : fresh;
}

/** The adapter's state probe for a host that speaks `language`, if it has one. */
export function stateProbeFor(adapter: Adapter | undefined, language: string): string | undefined {
  const probe = adapter?.stateProbe;
  if (probe === undefined) return undefined;
  if (typeof probe === "string") return adapter?.language === language ? probe : undefined;
  return probe[language];
}

/**
 * The capture a host can run, with the language it is in: the entry for the host's own
 * language first, else the first whose language the host speaks; undefined when none.
 */
export function captureFor(
  adapter: Adapter | undefined,
  hostLanguage: string,
  speaks: (language: string) => boolean = (language) => language === hostLanguage,
): { language: string; script: CaptureScript } | undefined {
  const entries = adapter?.capture;
  if (!entries) return undefined;
  const own = entries[hostLanguage];
  if (own) return { language: hostLanguage, script: own };
  const other = Object.entries(entries).find(([language]) => speaks(language));
  return other ? { language: other[0], script: other[1] } : undefined;
}

/** How a host keeps its checkpoints: the spec for its own language, else one it speaks; undefined when none. */
export function checkpointFor(
  adapter: Adapter | undefined,
  hostLanguage: string,
  speaks: (language: string) => boolean = (language) => language === hostLanguage,
): { language: string; spec: CheckpointSpec } | undefined {
  const entries = adapter?.checkpoint;
  if (!entries) return undefined;
  const own = entries[hostLanguage];
  if (own) return { language: hostLanguage, spec: own };
  const other = Object.entries(entries).find(([language]) => speaks(language));
  return other ? { language: other[0], spec: other[1] } : undefined;
}
