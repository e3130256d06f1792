// How an app's panel is installed (`scriptwright panel install|doctor|pack APP`), declared by
// its adapter as data: the installer of the spec's kind (bridge/panels, bridge/cli/panel-*.ts)
// reads it, so the installers never ask which app they serve.

/** Shown by the doctor as information after its checks (not pass or fail). */
export interface PanelNote {
  /** Stable, for `--json` readers: "scripting-pref". */
  readonly id: string;
  readonly title: string;
  readonly detail: string;
}

/** Which versions of the app load this panel, for an app with several ("25.6 and later"). */
interface ForVersions {
  readonly appVersions?: string;
}

/** The CEP extension in panels/cep, copied into Adobe's extensions folder (every CEP app shares it). */
export interface CepPanelSpec extends ForVersions {
  readonly kind: "cep";
  /** The app's host id, as the CEP manifest lists it (AEFT, PPRO). */
  readonly hostCode: string;
  /** Printed with the install plan, before the note about starting the bridge. */
  readonly notes?: readonly string[];
  readonly doctorNotes?: readonly PanelNote[];
}

/**
 * Trust access to the VBA project object model (an Office app's AccessVBOM setting), which a
 * runner needs to import each script as a temporary module.
 */
export interface VbaTrustSpec {
  /** Office versions to look under, newest first ("16.0" is 2016 and every later one). */
  readonly officeVersions: readonly string[];
  /** The app's settings key for a version: present once that version of the app has run. */
  settingsKey(officeVersion: string): string;
  /** Where the user's AccessVBOM value lives. */
  userKey(officeVersion: string): string;
  /** Where a group policy's value lives; it wins over the user's. */
  policyKey(officeVersion: string): string;
  /** The app's process image: the value is set only while the app is closed. */
  readonly processImage: string;
  /** Where a person turns it on in the app. */
  readonly setting: string;
  /** Why the runner needs it and what it lets through (shown by the plan and the install). */
  readonly explanation: string;
  /** What the app does without it, after "so": "Excel refuses to let the runner …". */
  readonly withoutIt: string;
  /** What the app does when a policy turns it off, after "so". */
  readonly underPolicy: string;
}

/** The Windows COM runner (panels/windows-com), which drives the app through its COM class. */
export interface ComRunnerPanelSpec extends ForVersions {
  readonly kind: "com-runner";
  /** What the runner attaches to: `GetActiveObject(progId)`. */
  readonly progId: string;
  /** Printed with the install plan: what must be running when the runner starts. */
  readonly notes: readonly string[];
  /** What to do when the app does not answer through COM: "start Excel and open a workbook". */
  readonly startHint: string;
  readonly vbaTrust?: VbaTrustSpec;
}

/** What the app says of its installed copies of the add-on. */
export interface AddonStatus {
  installed: { module: string; path: string; version?: string }[];
  /** The installed modules it has enabled. */
  enabled: string[];
}

/** A command line of the app's own executable (the installer adds the executable). */
export interface AppCommand {
  readonly title: string;
  readonly args: readonly string[];
}

/** An add-on zip the app installs into its own user folders by its command line (Blender). */
export interface AddonPanelSpec extends ForVersions {
  readonly kind: "addon";
  /** The app's executable, or null when it is not installed. */
  find(): string | null;
  /** What to do when find() found nothing. */
  readonly findFix: string;
  /** Arguments that make the app print its version, and how to read it from what it printed. */
  readonly versionArgs: readonly string[];
  parseVersion(output: string): string | null;
  /** The add-on this Scriptwright ships. */
  addonVersion(): string;
  zipName(): string;
  /** Writes the zip into outDir. */
  pack(outDir: string): { zip: string; version: string; files: string[] };
  /** How this version of the app installs and enables the zip (and keeps it enabled). */
  install(zip: string, appVersion: string): AppCommand;
  /** Arguments that make the app print its add-on status, and how to read it (null: unreadable). */
  readonly statusArgs: readonly string[];
  parseStatus(output: string): AddonStatus | null;
  /** How a person enables the installed add-on in the app. */
  readonly enableHint: string;
  /** How to get the app connected once the add-on is enabled. */
  readonly connectHint: string;
  /** Printed with the install plan. */
  readonly notes: readonly string[];
  /** How to install a packed zip by hand. */
  installHelp(zip: string): string[];
}

/**
 * A UXP plugin folder (manifest.json at its root), packed as a `.ccx` that Creative Cloud
 * installs, or loaded as it is by Adobe's UXP Developer Tool. UXP lets a plugin reach only the
 * network addresses its manifest lists, so each package is built for one bridge port.
 */
export interface UxpPanelSpec extends ForVersions {
  readonly kind: "uxp";
  /** The plugin folder as shipped. */
  readonly source: string;
  /** The plugin's CommonJS file that says which port the bridge is on; rewritten with the manifest. */
  readonly portFile: string;
  /** The package's base name, before `-<version>.ccx`. */
  readonly packageName: string;
  /** Where the panel is in the app once installed. */
  readonly openHint: string;
  /** What the app needs before the UXP Developer Tool can load a plugin folder. */
  readonly developerMode: string;
  /** Printed with the install steps. */
  readonly notes?: readonly string[];
  readonly doctorNotes?: readonly PanelNote[];
}

export type PanelSpec = CepPanelSpec | ComRunnerPanelSpec | AddonPanelSpec | UxpPanelSpec;
export type PanelKind = PanelSpec["kind"];
export type PanelSpecOf<K extends PanelKind> = Extract<PanelSpec, { kind: K }>;

/**
 * An adapter's panels: one, or one per kind for an app whose versions load different ones (the
 * first is what `panel install APP` installs; `--kind` picks another).
 */
export type AdapterPanels = PanelSpec | readonly PanelSpec[];

/** The adapter's panels as a list, the default first. */
export function panelSpecs(panels: AdapterPanels | undefined): readonly PanelSpec[] {
  if (panels === undefined) return [];
  return isPanelList(panels) ? panels : [panels];
}

function isPanelList(panels: AdapterPanels): panels is readonly PanelSpec[] {
  return Array.isArray(panels);
}
