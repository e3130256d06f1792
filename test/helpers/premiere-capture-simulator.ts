// A Premiere simulator for captures, in both of Premiere's scripting worlds:
// - UXP: a `premierepro` module (Project.getActiveProject, Sequence.getTimebase/getEndTime/
//   getPlayerPosition/getFrameSize, TickTime.createWithTicks, Exporter.exportSequenceFrame, which
//   resolves before its file is written, as Premiere's may) and UXP's `fs` (lstat), for code run
//   as the plugin runs it: `await new Function(code)()` with `require` global;
// - ExtendScript (the CEP panel): app.project.activeSequence (timebase, end in ticks, player
//   position) and the QE DOM's exportFramePNG, which appends ".png" and writes only when the
//   script next sleeps, run in node:vm with JSON and the ES5 array methods deleted.
// Each frame's picture is one colour, from the clip under it. Premiere cannot run here: what
// passes against this simulator proves the scripts' shape, never that Premiere works.

import { existsSync, statSync, writeFileSync } from "node:fs";
import { lstat } from "node:fs/promises";
import { basename } from "node:path";
import { createContext, runInContext } from "node:vm";
import { type Rgb, solidPng } from "./aftereffects-simulator.js";

export const TICKS_PER_SECOND = 254_016_000_000;

export interface SimulatedClip {
  color: Rgb;
  /** First frame it covers, and the frame after its last. */
  start: number;
  end: number;
}

export class SimulatedPrSequence {
  playheadFrame = 0;
  constructor(
    public name: string,
    public fps: number,
    public frames: number,
    public clips: SimulatedClip[],
    public size = { width: 640, height: 360 },
  ) {}
  get ticksPerFrame(): number {
    return TICKS_PER_SECOND / this.fps;
  }
  colorAt(frame: number): Rgb {
    return this.clips.find((c) => frame >= c.start && frame < c.end)?.color ?? [0, 0, 0];
  }
}

export interface PremiereExport {
  frame: number;
  path: string;
  width: number;
  height: number;
}

/** The UXP side: `premierepro` and `fs` for `require`, and what was exported. */
export function premiereUxpCaptureSimulator(
  sequence: SimulatedPrSequence | null,
  options: { fileAccess?: boolean } = {},
) {
  const exports: PremiereExport[] = [];
  const writes: Promise<void>[] = [];
  const tickTime = (ticks: number) => ({ ticks: String(ticks), seconds: ticks / TICKS_PER_SECOND });
  const uxpSequence = sequence && {
    name: sequence.name,
    getTimebase: async () => String(sequence.ticksPerFrame),
    getEndTime: async () => tickTime(sequence.frames * sequence.ticksPerFrame),
    getPlayerPosition: async () => tickTime(sequence.playheadFrame * sequence.ticksPerFrame),
    getFrameSize: async () => ({ x: 0, y: 0, ...sequence.size }),
  };
  const premierepro = {
    Project: { getActiveProject: async () => ({ name: "Edit", getActiveSequence: async () => uxpSequence }) },
    TickTime: { createWithTicks: (ticks: string) => tickTime(Number(ticks)) },
    Exporter: {
      async exportSequenceFrame(
        target: unknown,
        time: { ticks: string },
        filename: string,
        filepath: string,
        width: number,
        height: number,
      ) {
        if (target !== uxpSequence || !sequence) throw new Error("simulator: not the active sequence");
        const frame = Number(time.ticks) / sequence.ticksPerFrame;
        const path = `${filepath}/${filename}`;
        exports.push({ frame, path, width, height });
        const rgb = sequence.colorAt(frame).map((c) => Math.round(c * 255)) as Rgb;
        // Resolves now; the file comes a little later.
        writes.push(
          new Promise((resolve) =>
            setTimeout(() => {
              writeFileSync(path, solidPng(width, height, rgb));
              resolve();
            }, 30),
          ),
        );
        return true;
      },
    },
  };
  // Without the manifest's localFileSystem permission, UXP refuses to look at the folder.
  const fs = {
    lstat: (path: string) =>
      options.fileAccess === false ? Promise.reject(new Error(`Permission denied: ${path}`)) : lstat(path),
  };
  return {
    exports,
    /** Resolves when every exported frame has been written. */
    settled: () => Promise.all(writes),
    /** Runs wrapped uxp-js code as the plugin does, with `require` answering these modules. */
    async run(code: string): Promise<string> {
      const global = globalThis as { require?: unknown };
      const before = global.require;
      global.require = (name: string) => {
        if (name === "premierepro") return premierepro;
        if (name === "fs") return fs;
        throw new Error(`simulator: no module ${name}`);
      };
      try {
        return (await new Function(code)()) as string;
      } finally {
        // Files still being written are not waited for here: the script must wait for them.
        global.require = before;
      }
    },
  };
}

class SimulatedFile {
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

/** The ExtendScript side: app.project.activeSequence and the QE DOM. */
export function premiereQeCaptureSimulator(sequence: SimulatedPrSequence | null) {
  const exports: PremiereExport[] = [];
  const positions: number[] = [];
  let pending: Array<() => void> = [];
  let qeEnabled = false;
  const timecode = (frame: number) => {
    const fps = Math.round(sequence!.fps);
    const pad = (n: number) => String(n).padStart(2, "0");
    const seconds = Math.floor(frame / fps);
    return `${pad(Math.floor(seconds / 3600))};${pad(Math.floor(seconds / 60) % 60)};${pad(seconds % 60)};${pad(frame % fps)}`;
  };
  const app = {
    project: {
      activeSequence: sequence && {
        name: sequence.name,
        timebase: String(sequence.ticksPerFrame),
        end: String(sequence.frames * sequence.ticksPerFrame),
        getPlayerPosition: () => ({ ticks: String(sequence.playheadFrame * sequence.ticksPerFrame) }),
        setPlayerPosition: (ticks: string) => {
          sequence.playheadFrame = Number(ticks) / sequence.ticksPerFrame;
          positions.push(sequence.playheadFrame);
        },
      },
    },
    enableQE: () => {
      qeEnabled = true;
    },
  };
  const qe = {
    project: {
      getActiveSequence: () => {
        if (!qeEnabled) throw new Error("simulator: qe used before app.enableQE()");
        return (
          sequence && {
            CTI: {
              get timecode() {
                return timecode(sequence.playheadFrame);
              },
            },
            exportFramePNG: (at: string, base: string) => {
              if (at !== timecode(sequence.playheadFrame))
                throw new Error("simulator: not the playhead's timecode");
              const frame = sequence.playheadFrame;
              const path = `${base}.png`;
              exports.push({ frame, path, ...sequence.size });
              const rgb = sequence.colorAt(frame).map((c) => Math.round(c * 255)) as Rgb;
              pending.push(() =>
                writeFileSync(path, solidPng(sequence.size.width, sequence.size.height, rgb)),
              );
            },
          }
        );
      },
    },
  };
  const flush = () => {
    const now = pending;
    pending = [];
    for (const write of now) write();
  };
  const context = createContext({ app, qe, File: SimulatedFile, $: { writeln: () => {}, sleep: flush } });
  runInContext(
    "delete JSON; delete Object.keys; delete Array.prototype.map; delete Array.prototype.forEach; delete Array.prototype.indexOf;",
    context,
  );
  return {
    exports,
    positions,
    evalScript: (code: string) => String(runInContext(code, context, { timeout: 10_000 })),
  };
}
