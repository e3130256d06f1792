// After Effects state, in ES3: its final expression is the value (the ExtendScript wrapper
// serialises it). Bounded: at most 50 selected layers and 50 render-queue items counted by status.
export const afterEffectsStateProbe = `var __swProject = app.project;
var __swActive = __swProject ? __swProject.activeItem : null;
var __swComp = null;
if (__swActive && __swActive instanceof CompItem) {
  var __swLayers = [];
  var __swSelected = __swActive.selectedLayers;
  for (var __swI = 0; __swI < __swSelected.length && __swI < 50; __swI++) {
    var __swL = __swSelected[__swI];
    var __swType = __swL instanceof TextLayer ? "text" : __swL instanceof ShapeLayer ? "shape" :
      __swL instanceof CameraLayer ? "camera" : __swL instanceof LightLayer ? "light" : "av";
    __swLayers.push({ index: __swL.index, name: __swL.name, type: __swType, inPoint: __swL.inPoint, outPoint: __swL.outPoint });
  }
  __swComp = {
    name: __swActive.name, width: __swActive.width, height: __swActive.height,
    frameRate: __swActive.frameRate, duration: __swActive.duration, numLayers: __swActive.numLayers,
    selectedLayers: __swLayers, moreSelected: Math.max(0, __swSelected.length - 50)
  };
}
var __swQueue = { items: 0, byStatus: {} };
if (__swProject && __swProject.renderQueue) {
  var __swRq = __swProject.renderQueue;
  __swQueue.items = __swRq.numItems;
  for (var __swJ = 1; __swJ <= __swRq.numItems && __swJ <= 50; __swJ++) {
    var __swStatus = String(__swRq.item(__swJ).status);
    __swQueue.byStatus[__swStatus] = (__swQueue.byStatus[__swStatus] || 0) + 1;
  }
}
({
  app: "After Effects " + app.version,
  projectFile: __swProject && __swProject.file ? __swProject.file.fsName : null,
  items: __swProject ? __swProject.numItems : 0,
  activeComp: __swComp,
  renderQueue: __swQueue
})`;
