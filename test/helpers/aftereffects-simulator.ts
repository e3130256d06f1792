// An After Effects simulator for ExtendScript: the scripts the bridge sends really execute
// (node:vm, with JSON, Object.keys and the ES5 array methods deleted as in an ES3 host) against a
// small object model shaped like After Effects': app.project with CompItems whose layers are
// solids (layers.addSolid), File, $.sleep, undo groups with Edit > Undo (executeCommand(16)),
// and CompItem.saveFrameToPng, which writes a PNG of the frame's colour only when the script
// next sleeps (as After Effects may write it after the call returns). After Effects cannot run
// here: what passes against this simulator proves the scripts' shape, never that the app works.
import { existsSync, statSync, writeFileSync } from "node:fs";
import { basename } from "node:path";
import { createContext, runInContext } from "node:vm";
import { crc32, deflateSync } from "node:zlib";

export type Rgb = [number, number, number];

/** A solid layer: its colour (0-1 channels, as After Effects takes them) and when it shows. */
export interface SimulatedLayer {
  name: string;
  color: Rgb;
  inPoint: number;
  outPoint: number;
}

/** A PNG of one colour (8-bit RGB), standing in for After Effects' renderer. */
export function solidPng(width: number, height: number, rgb: Rgb): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body) >>> 0);
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.alloc(1 + width * 3);
  for (let x = 0; x < width; x++) row.set(rgb, 1 + x * 3);
  const pixels = Buffer.concat(Array.from({ length: height }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(pixels)),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

type Change = () => void;

export interface AfterEffectsSimulator {
  app: SimulatedApp;
  /** Runs ExtendScript text as the CEP panel's evalScript would, returning the string it gives. */
  evalScript(code: string): string;
  /** Every saveFrameToPng call: the comp, the time, the file. */
  exports: Array<{ comp: string; time: number; path: string }>;
  /** Calls of executeCommand. */
  commands: number[];
}

export class SimulatedApp {
  project: SimulatedProject;
  private depth = 0;
  private group: Change[] = [];
  readonly undoStack: Change[][] = [];
  constructor(comps: SimulatedCompItem[], file: string | null) {
    this.project = new SimulatedProject(comps, file, this);
  }
  /** A change to the project: recorded in the open undo group, or as its own step. */
  record(undo: Change): void {
    if (this.depth > 0) this.group.push(undo);
    else this.undoStack.push([undo]);
  }
  beginUndoGroup(_name: string): void {
    this.depth++;
  }
  endUndoGroup(): void {
    if (this.depth === 0) throw new Error("simulator: endUndoGroup without beginUndoGroup");
    this.depth--;
    if (this.depth === 0 && this.group.length) {
      this.undoStack.push(this.group);
      this.group = [];
    }
  }
  beginSuppressDialogs(): void {}
  endSuppressDialogs(_alert: boolean): void {}
  executeCommand(id: number): void {
    this.onCommand?.(id);
    if (id !== 16) return;
    if (this.depth > 0) throw new Error("simulator: Edit > Undo while an undo group is open");
    const step = this.undoStack.pop();
    if (step) for (const undo of [...step].reverse()) undo();
  }
  onCommand?: (id: number) => void;
}

export class SimulatedProject {
  file: { fsName: string } | null;
  activeItem: SimulatedCompItem | null;
  constructor(
    readonly items: SimulatedCompItem[],
    file: string | null,
    app: SimulatedApp,
  ) {
    this.file = file ? { fsName: file } : null;
    this.activeItem = items[0] ?? null;
    for (const comp of items) comp.app = app;
  }
  get numItems(): number {
    return this.items.length;
  }
  item(index: number): SimulatedCompItem {
    const found = this.items[index - 1];
    if (!found) throw new Error(`simulator: project.item(${index}) is out of range`);
    return found;
  }
}

export class SimulatedCompItem {
  app!: SimulatedApp;
  time = 0;
  displayStartTime = 0;
  readonly layerList: SimulatedLayer[] = [];
  /** Writes saveFrameToPng promised, done when the script sleeps or the run ends. */
  pending: Array<() => void> = [];
  onExport?: (time: number, path: string) => void;
  readonly layers = {
    addSolid: (color: Rgb, name: string, _w: number, _h: number, _aspect: number, duration?: number) => {
      const layer = { name, color, inPoint: 0, outPoint: duration ?? this.duration };
      this.layerList.unshift(layer);
      this.app.record(() => this.layerList.splice(this.layerList.indexOf(layer), 1));
      return layer;
    },
  };
  get numLayers(): number {
    return this.layerList.length;
  }
  get frameDuration(): number {
    return 1 / this.frameRate;
  }
  constructor(
    public name: string,
    public width: number,
    public height: number,
    public frameRate: number,
    public duration: number,
    public bgColor: Rgb = [0.5, 0.5, 0.5],
  ) {}
  /** The topmost solid showing at `time`, or the background. */
  colorAt(time: number): Rgb {
    const layer = this.layerList.find((l) => time >= l.inPoint && time < l.outPoint);
    return layer ? layer.color : this.bgColor;
  }
  saveFrameToPng(time: number, file: SimulatedFile): void {
    if (!(file instanceof SimulatedFile)) throw new Error("simulator: saveFrameToPng takes a File");
    if (time < 0 || time > this.duration) throw new Error("simulator: time outside the comp");
    this.onExport?.(time, file.fsName);
    const rgb = this.colorAt(time).map((c) => Math.round(c * 255)) as Rgb;
    this.pending.push(() => writeFileSync(file.fsName, solidPng(this.width, this.height, rgb)));
  }
}

/** ExtendScript's File, over the real file system. */
export class SimulatedFile {
  constructor(readonly fsName: string) {}
  get name(): string {
    return basename(this.fsName);
  }
  get exists(): boolean {
    return existsSync(this.fsName);
  }
  get length(): number {
    return this.exists ? statSync(this.fsName).size : -1;
  }
}

export function afterEffectsSimulator(options: {
  comps: SimulatedCompItem[];
  file?: string | null;
}): AfterEffectsSimulator {
  const app = new SimulatedApp(options.comps, options.file ?? null);
  const exports: AfterEffectsSimulator["exports"] = [];
  const commands: number[] = [];
  app.onCommand = (id) => commands.push(id);
  for (const comp of options.comps)
    comp.onExport = (time, path) => exports.push({ comp: comp.name, time, path });
  const flush = () => {
    for (const comp of options.comps) {
      const writes = comp.pending;
      comp.pending = [];
      for (const write of writes) write();
    }
  };
  const context = createContext({
    app,
    File: SimulatedFile,
    CompItem: SimulatedCompItem,
    $: { writeln: () => {}, sleep: flush },
  });
  runInContext(
    [
      "delete JSON;",
      "delete Object.keys; delete Object.create; delete Object.defineProperty; delete Array.isArray;",
      "delete Array.prototype.map; delete Array.prototype.filter; delete Array.prototype.forEach;",
      "delete Array.prototype.indexOf; delete String.prototype.trim; delete Function.prototype.bind;",
    ].join("\n"),
    context,
  );
  return {
    app,
    exports,
    commands,
    // Frames not yet written stay pending after the run: a script must wait for its files.
    evalScript: (code) => String(runInContext(code, context, { timeout: 10_000 })),
  };
}
