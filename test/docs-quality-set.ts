// Questions a user or the agent would ask, with the symbols that answer them. A question
// counts as found when any expected symbol is in the top five search results.
export interface QualityQuestion {
  app: "aftereffects" | "premiere" | "blender";
  question: string;
  expect: string[];
}

export const QUALITY_SET: QualityQuestion[] = [
  // After Effects (ExtendScript)
  { app: "aftereffects", question: "add a text layer to a composition", expect: ["LayerCollection.addText"] },
  { app: "aftereffects", question: "create a new composition", expect: ["ItemCollection.addComp"] },
  { app: "aftereffects", question: "add a solid layer", expect: ["LayerCollection.addSolid"] },
  {
    app: "aftereffects",
    question: "set a keyframe value at a given time",
    expect: ["Property.setValueAtTime"],
  },
  { app: "aftereffects", question: "all layers of a comp", expect: ["CompItem.layers"] },
  { app: "aftereffects", question: "import a footage file into the project", expect: ["Project.importFile"] },
  {
    app: "aftereffects",
    question: "add a composition to the render queue",
    expect: ["RQItemCollection.add", "RenderQueue.items"],
  },
  { app: "aftereffects", question: "start an undo group", expect: ["Application.beginUndoGroup"] },
  {
    app: "aftereffects",
    question: "the selected item in the project panel",
    expect: ["Project.activeItem", "Project.selection"],
  },
  { app: "aftereffects", question: "comp frame rate", expect: ["CompItem.frameRate", "AVItem.frameRate"] },
  { app: "aftereffects", question: "add a null object", expect: ["LayerCollection.addNull"] },
  { app: "aftereffects", question: "add a camera layer", expect: ["LayerCollection.addCamera"] },
  { app: "aftereffects", question: "precompose layers", expect: ["LayerCollection.precompose"] },
  { app: "aftereffects", question: "set an expression on a property", expect: ["Property.expression"] },
  {
    app: "aftereffects",
    question: "parent a layer to another layer",
    expect: ["Layer.parent", "Layer.setParentWithJump"],
  },
  { app: "aftereffects", question: "duplicate a layer", expect: ["Layer.duplicate"] },
  { app: "aftereffects", question: "save the project to a file", expect: ["Project.save"] },
  { app: "aftereffects", question: "layer blending mode", expect: ["AVLayer.blendingMode", "BlendingMode"] },
  { app: "aftereffects", question: "number of keyframes on a property", expect: ["Property.numKeys"] },
  { app: "aftereffects", question: "remove a keyframe", expect: ["Property.removeKey"] },
  { app: "aftereffects", question: "selected layers in the comp", expect: ["CompItem.selectedLayers"] },
  { app: "aftereffects", question: "create a folder in the project", expect: ["ItemCollection.addFolder"] },
  { app: "aftereffects", question: "font size of a text document", expect: ["TextDocument.fontSize"] },
  { app: "aftereffects", question: "addText", expect: ["LayerCollection.addText"] },
  { app: "aftereffects", question: "CompItem.layers", expect: ["CompItem.layers"] },
  { app: "aftereffects", question: "open a file for reading", expect: ["File.open"] },
  { app: "aftereffects", question: "write a line to the JavaScript console", expect: ["$.writeln"] },

  // Premiere Pro (ExtendScript)
  { app: "premiere", question: "the active sequence", expect: ["Project.activeSequence"] },
  { app: "premiere", question: "import files into the project", expect: ["Project.importFiles"] },
  { app: "premiere", question: "create a new sequence", expect: ["Project.createNewSequence"] },
  { app: "premiere", question: "insert a clip into a track", expect: ["Track.insertClip"] },
  { app: "premiere", question: "overwrite a clip on a track", expect: ["Track.overwriteClip"] },
  { app: "premiere", question: "add a marker", expect: ["MarkerCollection.createMarker"] },
  { app: "premiere", question: "move the playhead position", expect: ["Sequence.setPlayerPosition"] },
  { app: "premiere", question: "video tracks of a sequence", expect: ["Sequence.videoTracks"] },
  { app: "premiere", question: "create a bin", expect: ["ProjectItem.createBin"] },
  {
    app: "premiere",
    question: "export a sequence with an encoder preset",
    expect: ["Sequence.exportAsMediaDirect", "Encoder.encodeSequence"],
  },
  { app: "premiere", question: "save the project", expect: ["Project.save"] },

  // Blender (bpy, from live introspection)
  { app: "blender", question: "add a cube", expect: ["bpy.ops.mesh.primitive_cube_add"] },
  { app: "blender", question: "primitive_cube_add", expect: ["bpy.ops.mesh.primitive_cube_add"] },
  { app: "blender", question: "add a uv sphere", expect: ["bpy.ops.mesh.primitive_uv_sphere_add"] },
  { app: "blender", question: "object location", expect: ["bpy.types.Object.location"] },
  {
    app: "blender",
    question: "add a modifier to an object",
    expect: ["bpy.types.ObjectModifiers.new", "bpy.ops.object.modifier_add"],
  },
  { app: "blender", question: "render the current scene", expect: ["bpy.ops.render.render"] },
  { app: "blender", question: "last frame of the scene", expect: ["bpy.types.Scene.frame_end"] },
  {
    app: "blender",
    question: "create a new material",
    expect: ["bpy.types.BlendDataMaterials.new", "bpy.ops.material.new"],
  },
  { app: "blender", question: "render engine", expect: ["bpy.types.RenderSettings.engine"] },
  {
    app: "blender",
    question: "save the blend file under a new name",
    expect: ["bpy.ops.wm.save_as_mainfile"],
  },
  { app: "blender", question: "export to FBX", expect: ["bpy.ops.export_scene.fbx"] },
  { app: "blender", question: "select all objects", expect: ["bpy.ops.object.select_all"] },
  { app: "blender", question: "delete selected objects", expect: ["bpy.ops.object.delete"] },
  {
    app: "blender",
    question: "object rotation in euler angles",
    expect: ["bpy.types.Object.rotation_euler"],
  },
  { app: "blender", question: "apply the scale transform", expect: ["bpy.ops.object.transform_apply"] },
  {
    app: "blender",
    question: "subdivision surface modifier levels",
    expect: ["bpy.types.SubsurfModifier.levels"],
  },
  { app: "blender", question: "camera focal length", expect: ["bpy.types.Camera.lens"] },
];
