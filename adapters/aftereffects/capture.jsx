// biome-ignore-all lint: ExtendScript is ES3 (var, function expressions, no JSON); modern rewrites would break it.
// biome-ignore-all format: the formatter would add trailing commas, which ES3 rejects.
// After Effects' capture (Adapter.capture, adapters/types.ts): frames of the active comp, or of
// the comp `params.range` names, written by the app's own frame export (CompItem.saveFrameToPng)
// into params.dir. ES3: the ExtendScript kit wraps this body in a function, so the helpers
// below stay local to the run (After Effects keeps one global scope for its whole session).
// Frames are the comp's own numbers, as its timeline counts them from its start frame; without
// `frames`, the frame at the comp's current time.
function __scriptwrightAeCapture(params) {
  // saveFrameToPng may return before the file is complete: wait for it, this long at most.
  var WAIT_MS = 30000;
  var project = app.project;
  if (!project) return { refused: "After Effects has no project open" };

  function compNames() {
    var names = [];
    for (var i = 1; i <= project.numItems; i++) {
      if (project.item(i) instanceof CompItem) names.push('"' + project.item(i).name + '"');
    }
    return names.length ? "comps in the project: " + names.join(", ") : "the project has no comp";
  }

  var comp = null;
  if (params.range) {
    for (var i = 1; i <= project.numItems; i++) {
      var item = project.item(i);
      if (item instanceof CompItem && item.name === params.range) {
        comp = item;
        break;
      }
    }
    if (!comp) return { refused: 'no comp named "' + params.range + '": ' + compNames() };
  } else {
    comp = project.activeItem;
    if (!(comp instanceof CompItem)) {
      var why = "no comp is active: open one in the Timeline, or name one with range (" + compNames() + ")";
      return { refused: why };
    }
  }
  if (typeof comp.saveFrameToPng !== "function") {
    throw new Error("this After Effects has no CompItem.saveFrameToPng, which captures use");
  }

  var frameDuration = comp.frameDuration;
  var first = Math.round(comp.displayStartTime / frameDuration);
  var count = Math.max(1, Math.round(comp.duration / frameDuration));
  var last = first + count - 1;
  var frames = params.frames && params.frames.length ? params.frames : null;
  var notes = [];
  if (!frames) {
    frames = [first + Math.round(comp.time / frameDuration)];
    notes.push("frame " + frames[0] + ' of "' + comp.name + '" (its current time)');
  }
  for (var f = 0; f < frames.length; f++) {
    if (frames[f] < first || frames[f] > last) {
      var range = first + "-" + last + " (" + comp.frameRate + " fps)";
      return { refused: "frame " + frames[f] + ' is outside the comp "' + comp.name + '": its frames are ' + range };
    }
  }

  var pictures = [];
  var files = [];
  for (var n = 0; n < frames.length; n++) {
    var name = "frame-" + n + ".png";
    var file = new File(params.dir + "/" + name);
    try {
      comp.saveFrameToPng((frames[n] - first) * frameDuration, file);
    } catch (e) {
      var hint = '"Allow Scripts to Write Files and Access Network" in Preferences > Scripting & Expressions';
      throw new Error("After Effects did not export frame " + frames[n] + " (" + e.message + "); scripts may need " + hint);
    }
    files.push(file);
    pictures.push({ file: name, label: "frame " + frames[n] });
  }
  var deadline = new Date().getTime() + WAIT_MS;
  for (var w = 0; w < files.length; w++) {
    while (!(files[w].exists && files[w].length > 0)) {
      if (new Date().getTime() > deadline) {
        var late = pictures[w].label + " after " + WAIT_MS / 1000 + " s";
        throw new Error("After Effects had not written " + late);
      }
      $.sleep(20);
    }
  }
  return { pictures: pictures, notes: notes };
}
__scriptwrightAeCapture(params);
