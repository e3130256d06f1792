// biome-ignore-all lint: ExtendScript is ES3 (var, function expressions, no JSON); modern rewrites would break it.
// biome-ignore-all format: the formatter would add trailing commas, which ES3 rejects.
// Premiere's capture for ExtendScript hosts (before 25.6, through the CEP panel): frames of the
// active sequence through the QE DOM's exportFramePNG, which exports the frame at a timecode.
// Each asked frame is put under the playhead (setPlayerPosition), exported at the playhead's
// timecode, and the playhead is put back. QE appends ".png" to the name it is given and may
// write the file after the call returns: the script waits for it. Frames count from the
// sequence's start (0); without `frames`, the frame under the playhead.
function __scriptwrightPrCapture(params) {
  var WAIT_MS = 30000;
  var sequence = app.project ? app.project.activeSequence : null;
  if (!sequence) return { refused: "no sequence is active: open one in the Timeline" };
  app.enableQE();
  var qeSequence = qe.project.getActiveSequence();
  if (!qeSequence) throw new Error("Premiere's QE DOM has no active sequence");
  var ticksPerFrame = Number(sequence.timebase);
  var count = Math.max(1, Math.floor(Number(sequence.end) / ticksPerFrame));
  var playhead = sequence.getPlayerPosition();
  var notes = [];
  var frames = params.frames && params.frames.length ? params.frames : null;
  if (!frames) {
    frames = [Math.floor(Number(playhead.ticks) / ticksPerFrame)];
    notes.push("frame " + frames[0] + ' of "' + sequence.name + '" (under the playhead)');
  }
  for (var f = 0; f < frames.length; f++) {
    if (frames[f] < 0 || frames[f] >= count) {
      var range = "0-" + (count - 1);
      return { refused: "frame " + frames[f] + ' is outside the sequence "' + sequence.name + '": its frames are ' + range };
    }
  }
  var bases = [];
  try {
    for (var n = 0; n < frames.length; n++) {
      sequence.setPlayerPosition(String(frames[n] * ticksPerFrame));
      var base = params.dir + "/frame-" + n;
      qeSequence.exportFramePNG(qeSequence.CTI.timecode, base);
      bases.push(base);
    }
  } finally {
    sequence.setPlayerPosition(String(playhead.ticks));
  }
  var pictures = [];
  var deadline = new Date().getTime() + WAIT_MS;
  for (var w = 0; w < bases.length; w++) {
    var found = null;
    while (found === null) {
      var candidates = [bases[w] + ".png", bases[w]];
      for (var c = 0; c < candidates.length; c++) {
        var file = new File(candidates[c]);
        if (file.exists && file.length > 0) found = file.name;
      }
      if (found !== null) break;
      if (new Date().getTime() > deadline) throw new Error("Premiere had not written frame " + frames[w] + " after " + WAIT_MS / 1000 + " s");
      $.sleep(20);
    }
    pictures.push({ file: found, label: "frame " + frames[w] });
  }
  return { pictures: pictures, notes: notes };
}
__scriptwrightPrCapture(params);
