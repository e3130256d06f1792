// Premiere state, bounded (at most 50 selected clips), in both languages it is scripted in.

/** Premiere 25.6+ (UXP): async API; the final expression is awaited by the UXP wrapper. */
export const premiereUxpStateProbe = `const ppro = require("premierepro");
const project = await ppro.Project.getActiveProject();
let sequence = null;
if (project) {
  const active = await project.getActiveSequence();
  if (active) {
    const clips = [];
    const selection = typeof active.getSelection === "function" ? await active.getSelection() : null;
    const items = selection && typeof selection.getTrackItems === "function" ? await selection.getTrackItems() : [];
    for (const item of items.slice(0, 50)) {
      clips.push({ name: typeof item.getName === "function" ? await item.getName() : item.name });
    }
    sequence = {
      name: active.name,
      videoTracks: typeof active.getVideoTrackCount === "function" ? await active.getVideoTrackCount() : null,
      audioTracks: typeof active.getAudioTrackCount === "function" ? await active.getAudioTrackCount() : null,
      selectedClips: clips,
      moreSelected: Math.max(0, items.length - 50),
    };
  }
}
({ project: project ? { name: project.name, path: project.path } : null, activeSequence: sequence })`;

/** Premiere before 25.6 (CEP + ExtendScript), ES3. */
export const premiereExtendScriptStateProbe = `var __swProject = app.project;
var __swSeq = __swProject ? __swProject.activeSequence : null;
var __swSequence = null;
if (__swSeq) {
  var __swClips = [];
  var __swSelection = __swSeq.getSelection ? __swSeq.getSelection() : [];
  for (var __swI = 0; __swI < __swSelection.length && __swI < 50; __swI++) {
    var __swClip = __swSelection[__swI];
    __swClips.push({ name: __swClip.name, start: __swClip.start ? __swClip.start.seconds : null, end: __swClip.end ? __swClip.end.seconds : null });
  }
  __swSequence = {
    name: __swSeq.name,
    videoTracks: __swSeq.videoTracks ? __swSeq.videoTracks.numTracks : null,
    audioTracks: __swSeq.audioTracks ? __swSeq.audioTracks.numTracks : null,
    selectedClips: __swClips,
    moreSelected: Math.max(0, __swSelection.length - 50)
  };
}
({ project: __swProject ? { name: __swProject.name, path: __swProject.path } : null, activeSequence: __swSequence })`;
