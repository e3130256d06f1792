// Premiere's capture: frames of the active sequence. UXP hosts (25.6+) export each through
// ppro.Exporter.exportSequenceFrame, at the width asked; ExtendScript hosts (the CEP panel) go
// through the QE DOM (adapters/premiere/capture-qe.jsx, read on first use). Frames count from
// the sequence's start; without `frames`, the frame under the playhead.
import { readFileSync } from "node:fs";
import { packagePath } from "../shared/package-path.js";
import type { CaptureScript } from "../types.js";

export const PREMIERE_QE_CAPTURE_PATH = packagePath("adapters", "premiere", "capture-qe.jsx");

// exportSequenceFrame may resolve before the file is complete: the script waits for it through
// UXP's fs module, which needs the plugin's localFileSystem permission; refused that, it stops
// looking and says so in a note (the bridge then names any file that is missing).
const UXP_CAPTURE = `const ppro = require("premierepro");
const WAIT_MS = 30000;
const project = await ppro.Project.getActiveProject();
if (!project) return { refused: "Premiere has no project open" };
const sequence = await project.getActiveSequence();
if (!sequence) return { refused: "no sequence is active: open one in the Timeline" };
const ticksPerFrame = Number(await sequence.getTimebase());
const count = Math.max(1, Math.floor(Number((await sequence.getEndTime()).ticks) / ticksPerFrame));
const notes = [];
let frames = params.frames?.length ? params.frames : null;
if (!frames) {
  frames = [Math.floor(Number((await sequence.getPlayerPosition()).ticks) / ticksPerFrame)];
  notes.push(\`frame \${frames[0]} of "\${sequence.name}" (under the playhead)\`);
}
const outside = frames.find((frame) => frame < 0 || frame >= count);
if (outside !== undefined) {
  return { refused: \`frame \${outside} is outside the sequence "\${sequence.name}": its frames are 0-\${count - 1}\` };
}
const size = await sequence.getFrameSize();
const scale = Math.min(1, params.width / Math.max(size.width, size.height));
const width = Math.max(1, Math.round(size.width * scale));
const height = Math.max(1, Math.round(size.height * scale));
const names = [];
for (const [index, frame] of frames.entries()) {
  const name = \`frame-\${index}.png\`;
  const time = ppro.TickTime.createWithTicks(String(frame * ticksPerFrame));
  const ok = await ppro.Exporter.exportSequenceFrame(sequence, time, name, params.dir, width, height);
  if (!ok) throw new Error(\`Premiere did not export frame \${frame} of "\${sequence.name}"\`);
  names.push(name);
}
let fs = null;
try {
  fs = require("fs");
} catch {
  notes.push("this plugin cannot read files, so it did not wait for Premiere to finish writing them");
}
const pictures = [];
for (const [index, name] of names.entries()) {
  let file = name;
  if (fs) {
    const deadline = Date.now() + WAIT_MS;
    let found = null;
    let failure = "";
    while (found === null) {
      for (const candidate of [name, \`\${name}.png\`]) {
        try {
          if ((await fs.lstat(\`\${params.dir}/\${candidate}\`)).size > 0) found = candidate;
        } catch (error) {
          failure = String(error?.message ?? error);
        }
        if (found !== null) break;
      }
      if (found !== null) break;
      if (/permission|denied|not allowed|EACCES|EPERM/i.test(failure)) {
        // No waiting without file access: the bridge names any file that is not there.
        notes.push(\`this plugin cannot read the capture folder (\${failure}), so it did not wait for Premiere to write the frames\`);
        fs = null;
        found = name;
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(\`Premiere had not written frame \${frames[index]} after \${WAIT_MS / 1000} s (\${failure}); reading it may need the plugin's localFileSystem permission\`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    file = found;
  }
  pictures.push({ file, label: \`frame \${frames[index]}\` });
}
({ pictures, notes });
`;

let qeSource: string | undefined;

export const premiereUxpCapture: CaptureScript = { code: UXP_CAPTURE, frames: true };

export const premiereQeCapture: CaptureScript = {
  get code() {
    qeSource ??= readFileSync(PREMIERE_QE_CAPTURE_PATH, "utf8");
    return qeSource;
  },
  frames: true,
};
