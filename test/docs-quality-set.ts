// Questions a user or the agent would ask, with the symbols that answer them. A question
// counts as found when any expected symbol is in the top five search results. At least 25 per
// tree, most written as users ask (their words, not the API's).
export interface QualityQuestion {
  app: "aftereffects" | "premiere" | "blender";
  /** Which of the app's references (Premiere: uxp-js or extendscript); default: the app's own. */
  language?: string;
  question: string;
  expect: string[];
}

/** The trees the set covers, by app and language, as the test and the bench name them. */
export const QUALITY_TREES = [
  { app: "aftereffects", language: undefined, label: "aftereffects" },
  { app: "premiere", language: "extendscript", label: "premiere (extendscript)" },
  { app: "premiere", language: "uxp-js", label: "premiere (uxp-js)" },
  { app: "blender", language: undefined, label: "blender" },
] as const;

export type QualityTree = (typeof QUALITY_TREES)[number];

export function questionsOf(tree: QualityTree): QualityQuestion[] {
  return QUALITY_SET.filter((q) => q.app === tree.app && q.language === tree.language);
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
  { app: "aftereffects", question: "add expression to property", expect: ["Property.expression"] },
  { app: "aftereffects", question: "add a keyframe", expect: ["Property.addKey", "Property.setValueAtTime"] },
  {
    app: "aftereffects",
    question: "change the comp duration",
    expect: ["CompItem.duration", "AVItem.duration"],
  },
  {
    app: "aftereffects",
    question: "render the comp to a file",
    expect: ["OutputModule.file", "RenderQueue.render"],
  },
  {
    app: "aftereffects",
    question: "layer opacity",
    expect: ["Layer.opacity", "AVLayer.opacity", "LayerCollection.addShape"],
  },
  {
    app: "aftereffects",
    question: "apply an effect to a layer",
    expect: ["PropertyGroup.addProperty", "AVLayer.effect"],
  },
  { app: "aftereffects", question: "trim a layer's in point", expect: ["Layer.inPoint"] },

  // Premiere Pro (ExtendScript)
  {
    app: "premiere",
    language: "extendscript",
    question: "the active sequence",
    expect: ["Project.activeSequence"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "import files into the project",
    expect: ["Project.importFiles"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "create a new sequence",
    expect: ["Project.createNewSequence"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "insert a clip into a track",
    expect: ["Track.insertClip"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "overwrite a clip on a track",
    expect: ["Track.overwriteClip"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "add a marker",
    expect: ["MarkerCollection.createMarker"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "move the playhead position",
    expect: ["Sequence.setPlayerPosition"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "video tracks of a sequence",
    expect: ["Sequence.videoTracks"],
  },
  { app: "premiere", language: "extendscript", question: "create a bin", expect: ["ProjectItem.createBin"] },
  {
    app: "premiere",
    language: "extendscript",
    question: "export a sequence with an encoder preset",
    expect: ["Sequence.exportAsMediaDirect", "Encoder.encodeSequence"],
  },
  { app: "premiere", language: "extendscript", question: "save the project", expect: ["Project.save"] },

  {
    app: "premiere",
    language: "extendscript",
    question: "where is the playhead",
    expect: ["Sequence.getPlayerPosition"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "set the in point of the sequence",
    expect: ["Sequence.setInPoint"],
  },
  { app: "premiere", language: "extendscript", question: "audio tracks", expect: ["Sequence.audioTracks"] },
  { app: "premiere", language: "extendscript", question: "clips on a track", expect: ["Track.clips"] },
  { app: "premiere", language: "extendscript", question: "mute a track", expect: ["Track.setMute"] },
  { app: "premiere", language: "extendscript", question: "lock a track", expect: ["Track.setLocked"] },
  { app: "premiere", language: "extendscript", question: "rename a bin", expect: ["ProjectItem.renameBin"] },
  {
    app: "premiere",
    language: "extendscript",
    question: "delete a sequence",
    expect: ["Project.deleteSequence"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "open the project file",
    expect: ["Application.openDocument"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "render the sequence in media encoder",
    expect: ["Encoder.encodeSequence"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "frame width of the sequence",
    expect: ["Sequence.frameSizeHorizontal"],
  },
  { app: "premiere", language: "extendscript", question: "speed of a clip", expect: ["TrackItem.getSpeed"] },
  {
    app: "premiere",
    language: "extendscript",
    question: "remove a clip from the timeline",
    expect: ["TrackItem.remove"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "effects applied to a clip",
    expect: ["TrackItem.components"],
  },
  {
    app: "premiere",
    language: "extendscript",
    question: "keyframe an effect parameter",
    expect: ["ComponentParam.addKey", "ComponentParam.setValueAtKey"],
  },
  { app: "premiere", language: "extendscript", question: "time in seconds", expect: ["Time.seconds"] },
  {
    app: "premiere",
    language: "extendscript",
    question: "path of the media file",
    expect: ["ProjectItem.getMediaPath"],
  },

  // Premiere Pro (UXP, from @adobe/premierepro)
  {
    app: "premiere",
    language: "uxp-js",
    question: "get the active sequence",
    expect: ["Project.getActiveSequence"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "get the project that is open",
    expect: ["Project.getActiveProject"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "import media files into the project",
    expect: ["Project.importFiles"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "make a new sequence",
    expect: ["Project.createSequence", "Project.createSequenceFromMedia"],
  },
  { app: "premiere", language: "uxp-js", question: "save the project", expect: ["Project.save"] },
  {
    app: "premiere",
    language: "uxp-js",
    question: "put a clip on the timeline",
    expect: ["SequenceEditor.createInsertProjectItemAction", "SequenceEditor.createOverwriteItemAction"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "overwrite a clip in the timeline",
    expect: ["SequenceEditor.createOverwriteItemAction"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "move the playhead",
    expect: ["Sequence.setPlayerPosition"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "where is the playhead",
    expect: ["Sequence.getPlayerPosition"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "add a marker",
    expect: ["Markers.createAddMarkerAction"],
  },
  { app: "premiere", language: "uxp-js", question: "list all markers", expect: ["Markers.getMarkers"] },
  { app: "premiere", language: "uxp-js", question: "create a bin", expect: ["FolderItem.createBinAction"] },
  {
    app: "premiere",
    language: "uxp-js",
    question: "rename a clip",
    expect: [
      "VideoClipTrackItem.createSetNameAction",
      "AudioClipTrackItem.createSetNameAction",
      "ProjectItem.createSetNameAction",
      "ClipProjectItem.createSetNameAction",
    ],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "clips on a video track",
    expect: ["VideoTrack.getTrackItems"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "how many video tracks",
    expect: ["Sequence.getVideoTrackCount"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "export the sequence",
    expect: ["EncoderManager.exportSequence"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "export a single frame as an image",
    expect: ["Exporter.exportSequenceFrame"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "undo group for my edits",
    expect: ["Project.executeTransaction"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "lock the project while editing",
    expect: ["Project.lockedAccess"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "selected clips in the timeline",
    expect: ["Sequence.getSelection", "TrackItemSelection.getTrackItems"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "time from seconds",
    expect: ["TickTime.createWithSeconds"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "add a transition between clips",
    expect: ["VideoClipTrackItem.createAddVideoTransitionAction"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "apply an effect to a clip",
    expect: [
      "VideoFilterFactory.createComponent",
      "VideoComponentChain.createAppendComponentAction",
      "VideoComponentChain.createInsertComponentAction",
    ],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "add a keyframe to an effect parameter",
    expect: ["ComponentParam.createAddKeyframeAction", "ComponentParam.createKeyframe"],
  },
  { app: "premiere", language: "uxp-js", question: "sequence resolution", expect: ["Sequence.getFrameSize"] },
  { app: "premiere", language: "uxp-js", question: "mute an audio track", expect: ["AudioTrack.setMute"] },
  {
    app: "premiere",
    language: "uxp-js",
    question: "clip speed",
    expect: ["VideoClipTrackItem.getSpeed", "AudioClipTrackItem.getSpeed"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "file path of a clip's media",
    expect: ["ClipProjectItem.getMediaFilePath"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "listen for project events",
    expect: ["EventManager.addEventListener"],
  },
  {
    app: "premiere",
    language: "uxp-js",
    question: "selected items in the project panel",
    expect: ["ProjectUtils.getSelection"],
  },

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
  {
    app: "blender",
    question: "set the render resolution width",
    expect: ["bpy.types.RenderSettings.resolution_x"],
  },
  {
    app: "blender",
    question: "export frame as png",
    expect: [
      "bpy.ops.render.render",
      "bpy.types.ImageFormatSettings.file_format",
      "bpy.types.RenderSettings.image_settings",
    ],
  },
  { app: "blender", question: "frames per second", expect: ["bpy.types.RenderSettings.fps"] },
  {
    app: "blender",
    question: "current frame",
    expect: ["bpy.types.Scene.frame_current", "bpy.types.Scene.frame_set"],
  },
  {
    app: "blender",
    question: "insert a keyframe",
    expect: ["bpy.ops.anim.keyframe_insert"],
  },
  { app: "blender", question: "hide an object in the render", expect: ["bpy.types.Object.hide_render"] },
  {
    app: "blender",
    question: "parent an object to another",
    expect: ["bpy.types.Object.parent", "bpy.ops.object.parent_set"],
  },
  {
    app: "blender",
    question: "light strength",
    expect: [
      "bpy.types.PointLight.energy",
      "bpy.types.SunLight.energy",
      "bpy.types.SpotLight.energy",
      "bpy.types.AreaLight.energy",
    ],
  },
  { app: "blender", question: "join objects into one", expect: ["bpy.ops.object.join"] },
  {
    app: "blender",
    question: "output file path of the render",
    expect: ["bpy.types.RenderSettings.filepath"],
  },
  {
    app: "blender",
    question: "number of render samples in cycles",
    expect: ["bpy.types.Scene.cycles"],
  },
];

/**
 * Questions written apart from QUALITY_SET, after it, to see whether ranking changes made for
 * the set carry over to other wording. The bench reports their recall; no test asserts it.
 */
export const HELD_OUT_SET: QualityQuestion[] = [
  {
    app: "blender",
    question: "move the object to a new position",
    expect: ["bpy.types.Object.location", "bpy.ops.transform.translate"],
  },
  {
    app: "blender",
    question: "rotate an object 90 degrees",
    expect: ["bpy.types.Object.rotation_euler", "bpy.ops.transform.rotate"],
  },
  {
    app: "blender",
    question: "make the object bigger",
    expect: ["bpy.types.Object.scale", "bpy.ops.transform.resize"],
  },
  {
    app: "blender",
    question: "assign a material to an object",
    expect: [
      "bpy.types.Object.active_material",
      "bpy.types.Object.material_slots",
      "bpy.types.IDMaterials.append",
    ],
  },
  { app: "blender", question: "world background color", expect: ["bpy.types.World.color"] },
  { app: "blender", question: "list all meshes in the file", expect: ["bpy.types.BlendData.meshes"] },
  { app: "blender", question: "set the active camera of the scene", expect: ["bpy.types.Scene.camera"] },
  {
    app: "blender",
    question: "duplicate an object",
    expect: ["bpy.ops.object.duplicate", "bpy.types.ID.copy"],
  },
  { app: "blender", question: "rename an object", expect: ["bpy.types.ID.name", "bpy.types.Object.name"] },
  { app: "blender", question: "delete a material", expect: ["bpy.types.BlendDataMaterials.remove"] },
  { app: "blender", question: "add a camera", expect: ["bpy.ops.object.camera_add"] },
  { app: "blender", question: "add a light to the scene", expect: ["bpy.ops.object.light_add"] },
  { app: "blender", question: "set the start frame", expect: ["bpy.types.Scene.frame_start"] },
  { app: "blender", question: "smooth shading", expect: ["bpy.ops.object.shade_smooth"] },
  { app: "blender", question: "set origin to geometry", expect: ["bpy.ops.object.origin_set"] },
  { app: "blender", question: "vertices of a mesh", expect: ["bpy.types.Mesh.vertices"] },
  { app: "blender", question: "open a blend file", expect: ["bpy.ops.wm.open_mainfile"] },
  { app: "blender", question: "save the file", expect: ["bpy.ops.wm.save_mainfile"] },
  { app: "blender", question: "set the object's color", expect: ["bpy.types.Object.color"] },
  { app: "blender", question: "add a text object", expect: ["bpy.ops.object.text_add"] },
  { app: "aftereffects", question: "rename a layer", expect: ["Layer.name"] },
  { app: "aftereffects", question: "move layer to the top", expect: ["Layer.moveToBeginning"] },
  { app: "aftereffects", question: "width of the composition", expect: ["AVItem.width", "CompItem.width"] },
  { app: "aftereffects", question: "close the project without saving", expect: ["Project.close"] },
  { app: "aftereffects", question: "make a layer 3D", expect: ["AVLayer.threeDLayer"] },
  { app: "aftereffects", question: "lock a layer", expect: ["Layer.locked"] },
  { app: "aftereffects", question: "set the work area duration", expect: ["CompItem.workAreaDuration"] },
  { app: "aftereffects", question: "background color of the comp", expect: ["CompItem.bgColor"] },
  { app: "aftereffects", question: "hide a layer", expect: ["Layer.enabled", "Layer.shy"] },
  { app: "aftereffects", question: "delete a layer", expect: ["Layer.remove", "PropertyBase.remove"] },
  { app: "aftereffects", question: "out point of a layer", expect: ["Layer.outPoint"] },
  { app: "aftereffects", question: "show an alert", expect: ["alert", "Window.alert"] },
];

export function heldOutOf(tree: QualityTree): QualityQuestion[] {
  return HELD_OUT_SET.filter((q) => q.app === tree.app && q.language === tree.language);
}
