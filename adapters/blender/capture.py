# Blender's capture (Adapter.capture, adapters/types.ts): pictures of the open scene, written
# into params["dir"], the value listing them with their labels. Headless, each picture is a
# Workbench render (fast on software GL) from the scene camera or from a temporary camera that
# frames every visible object; in the UI, the 3D viewport drawn off-screen as the user sees it
# (never the window's pixels, so no splash or menu can cover it). Whatever a capture changes
# (render settings, frame, a temporary camera, the Render Result image) is put back: capturing
# never changes the document.


def _scriptwright_capture(params):
    import math
    import os

    import bpy

    # Camera rotations of the named views (a camera looks down its local -Z).
    rotations = {
        "front": (math.radians(90), 0.0, 0.0),
        "side": (math.radians(90), 0.0, math.radians(90)),
        "top": (0.0, 0.0, 0.0),
        "persp": (math.radians(63.6), 0.0, math.radians(46.7)),
    }
    drawable = {"MESH", "CURVE", "SURFACE", "META", "FONT", "GPENCIL", "VOLUME", "CURVES", "POINTCLOUD"}

    context = bpy.context
    scene = context.scene or bpy.data.scenes[0]
    view_layer = context.view_layer or scene.view_layers[0]
    width = max(16, int(params["width"]))
    out_dir = params["dir"]
    background = bpy.app.background
    frames = params.get("frames") or []
    views = params.get("views") or []

    def visible_objects():
        return [
            obj
            for obj in scene.objects
            if obj.type in drawable and not obj.hide_render and obj.visible_get(view_layer=view_layer)
        ]

    if not visible_objects():
        return {"refused": "the scene is empty: no visible object to show (add one, or unhide it)"}
    for frame in frames:
        if frame < scene.frame_start or frame > scene.frame_end:
            return {
                "refused": "frame %d is outside the scene's range %d-%d"
                % (frame, scene.frame_start, scene.frame_end)
            }
    viewport = _viewport_area(context) if not background else None
    if "viewport" in views and viewport is None:
        return {"refused": "a headless Blender has no viewport: ask for camera, front, side, top or persp"}
    if not views:
        views = ["viewport"] if viewport is not None else ["camera"]

    notes = []
    render = scene.render
    saved_frame = (scene.frame_current, scene.frame_subframe)
    saved_camera = scene.camera
    had_render_result = "Render Result" in bpy.data.images
    temporary = []
    settings = _Settings()
    try:
        if background:
            # Blender adds noise against banding: it would triple a picture's bytes for nothing.
            # (Only renders: the UI's off-screen drawing has none, and setting any scene property
            # there redraws the whole window, ~0.3 s in software GL, after every capture.)
            settings.set(render, "dither_intensity", 0.0)
            # Workbench: a 480x270 frame in well under a second on two cores; Eevee takes ~10x
            # that on software GL, and Cycles needs OpenImageDenoise this build may lack.
            settings.set(render, "engine", "BLENDER_WORKBENCH")
            settings.set(render, "resolution_percentage", 100)
            settings.set(render, "use_border", False)
            settings.set(render, "film_transparent", False)
            settings.set(render, "use_compositing", False)
            settings.set(render, "use_sequencer", False)
            settings.set(render, "use_multiview", False)
            # FXAA: about half the time of the default 8 samples, and smooth enough to read.
            settings.set(scene.display, "render_aa", "FXAA")
            settings.set(render.image_settings, "file_format", "PNG")
            settings.set(render.image_settings, "color_mode", "RGB")
            settings.set(render.image_settings, "color_depth", "8")
            # The bridge re-encodes: spend no time compressing here.
            settings.set(render.image_settings, "compression", 0)
        pictures = []
        for frame in frames or [None]:
            if frame is not None:
                scene.frame_set(frame)
            for view in views:
                label = _label(view, frame, len(views) > 1)
                # Renders are written by Blender as PNG; drawings as raw pixels.
                name = "%02d.%s" % (len(pictures), "png" if background else "rgba")
                path = os.path.join(out_dir, name)
                if view == "viewport":
                    raw = _draw_viewport(context, viewport, width, path)
                else:
                    camera = _camera_for(view, scene, rotations, temporary, notes, visible_objects)
                    if background:
                        raw = _render(scene, settings, camera, width, path)
                    else:
                        raw = _draw_camera(context, viewport, scene, camera, width, path)
                picture = {"file": name, "label": label}
                if raw:
                    picture["raw"] = raw
                pictures.append(picture)
        notes.extend(_material_notes(visible_objects()))
        return {"pictures": pictures, "notes": list(dict.fromkeys(notes))}
    finally:
        settings.restore()
        if scene.camera != saved_camera:
            scene.camera = saved_camera
        for obj, data in temporary:
            bpy.data.objects.remove(obj)
            bpy.data.cameras.remove(data)
        if (scene.frame_current, scene.frame_subframe) != saved_frame:
            scene.frame_set(saved_frame[0], subframe=saved_frame[1])
        if not had_render_result and "Render Result" in bpy.data.images:
            bpy.data.images.remove(bpy.data.images["Render Result"])


class _Settings:
    """Property changes to undo, in reverse order."""

    def __init__(self):
        self.changed = []

    def set(self, owner, name, value):
        old = getattr(owner, name)
        if old != value:
            self.changed.append((owner, name, old))
            setattr(owner, name, value)

    def restore(self):
        while self.changed:
            owner, name, old = self.changed.pop()
            setattr(owner, name, old)


def _label(view, frame, several_views):
    if frame is None:
        return view
    return "frame %d · %s" % (frame, view) if several_views else "frame %d" % frame


def _viewport_area(context):
    """The largest 3D viewport of the window the person works in, with its main region."""
    best = None
    windows = context.window_manager.windows if context.window_manager else []
    for window in windows:
        for area in window.screen.areas:
            if area.type != "VIEW_3D":
                continue
            region = next((r for r in area.regions if r.type == "WINDOW"), None)
            if region is None or region.width < 2 or region.height < 2:
                continue
            size = region.width * region.height
            if best is None or size > best[0]:
                best = (size, window, area, region)
    return None if best is None else best[1:]


def _fit(width, aspect_x, aspect_y):
    """Pixel size with the longest side `width` and the given aspect."""
    if aspect_x >= aspect_y:
        return width, max(1, round(width * aspect_y / aspect_x))
    return max(1, round(width * aspect_x / aspect_y)), width


def _camera_for(view, scene, rotations, temporary, notes, visible_objects):
    """The scene camera for "camera" (a framing view when there is none), else a temporary camera."""
    import bpy
    from mathutils import Euler, Vector

    if view == "camera":
        if scene.camera is not None and scene.camera.type == "CAMERA":
            return scene.camera
        notes.append("the scene has no camera: showing a view that frames every object")
        view = "persp"
    data = bpy.data.cameras.new("scriptwright-capture")
    obj = bpy.data.objects.new("scriptwright-capture", data)
    temporary.append((obj, data))
    scene.collection.objects.link(obj)
    data.type = "PERSP" if view == "persp" else "ORTHO"
    obj.rotation_euler = Euler(rotations[view], "XYZ")
    depsgraph = bpy.context.evaluated_depsgraph_get()
    corners = []
    for item in visible_objects():
        evaluated = item.evaluated_get(depsgraph)
        corners.extend(evaluated.matrix_world @ Vector(corner) for corner in evaluated.bound_box)
    center = sum(corners, Vector()) / len(corners)
    radius = max((corner - center).length for corner in corners) or 1.0
    # A margin of about a tenth around the objects.
    padded = [center + (corner - center) * 1.1 for corner in corners]
    flat = [value for corner in padded for value in corner]
    location, scale = obj.camera_fit_coords(depsgraph, flat)
    direction = obj.rotation_euler.to_matrix() @ Vector((0.0, 0.0, -1.0))
    if data.type == "ORTHO":
        data.ortho_scale = scale
        # Back out of the objects: an orthographic picture does not change with distance.
        location = Vector(location) - direction * (radius * 2)
    data.clip_start = radius / 1000
    data.clip_end = (Vector(location) - center).length + radius * 4
    obj.matrix_world.translation = location
    obj.location = location
    bpy.context.view_layer.update()
    return obj


def _render(scene, settings, camera, width, path):
    import bpy

    render = scene.render
    size = _fit(width, render.resolution_x * render.pixel_aspect_x, render.resolution_y * render.pixel_aspect_y)
    settings.set(render, "resolution_x", size[0])
    settings.set(render, "resolution_y", size[1])
    if scene.camera != camera:
        scene.camera = camera
    bpy.ops.render.render(write_still=False)
    bpy.data.images["Render Result"].save_render(path, scene=scene)
    return None


def _draw_camera(context, viewport, scene, camera, width, path):
    """A named view in the UI: the viewport's drawing from the camera, without overlays (a render)."""
    render = scene.render
    size = _fit(width, render.resolution_x * render.pixel_aspect_x, render.resolution_y * render.pixel_aspect_y)
    depsgraph = context.evaluated_depsgraph_get()
    view_matrix = camera.matrix_world.inverted()
    projection = camera.calc_matrix_camera(depsgraph, x=size[0], y=size[1])
    overlay = viewport[1].spaces.active.overlay
    shown = overlay.show_overlays
    overlay.show_overlays = False
    try:
        return _draw(context, viewport, scene, size, view_matrix, projection, path)
    finally:
        overlay.show_overlays = shown


def _draw_viewport(context, viewport, width, path):
    """The 3D viewport as the person sees it: its view, shading and overlays, at its shape."""
    _window, area, region = viewport
    view = area.spaces.active.region_3d
    size = _fit(width, region.width, region.height)
    return _draw(context, viewport, context.scene, size, view.view_matrix, view.window_matrix, path)


def _draw(context, viewport, scene, size, view_matrix, projection, path):
    """Draws off-screen (never the window's pixels: no splash or menu can cover the picture) and
    writes the raw pixels, top row first; the bridge encodes them."""
    import gpu

    _window, area, region = viewport
    w, h = size
    offscreen = gpu.types.GPUOffScreen(w, h)
    try:
        with offscreen.bind():
            offscreen.draw_view3d(
                scene,
                context.view_layer,
                area.spaces.active,
                region,
                view_matrix,
                projection,
                do_color_management=True,
            )
            pixels = gpu.state.active_framebuffer_get().read_color(0, 0, w, h, 4, 0, "UBYTE")
    finally:
        offscreen.free()
    pixels.dimensions = w * h * 4
    data = memoryview(pixels).cast("B")
    row = w * 4
    with open(path, "wb") as out:
        # OpenGL reads bottom row first.
        for y in range(h - 1, -1, -1):
            out.write(data[y * row : (y + 1) * row])
    return {"width": w, "height": h, "channels": 4}


def _material_notes(objects):
    """Workbench shows a material's viewport colour, not its node colour: say when they differ."""
    differ = set()
    for obj in objects:
        for slot in getattr(obj, "material_slots", []):
            material = slot.material
            if material is None or not material.use_nodes or material.node_tree is None:
                continue
            for node in material.node_tree.nodes:
                base = node.inputs.get("Base Color") if node.type == "BSDF_PRINCIPLED" else None
                if base is None or base.is_linked:
                    continue
                if max(abs(a - b) for a, b in zip(base.default_value[:3], material.diffuse_color[:3])) > 0.05:
                    differ.add(material.name)
    if not differ:
        return []
    names = ", ".join(sorted(differ)[:5])
    return [
        "Workbench shows each material's viewport colour (material.diffuse_color), which differs from its Base Color in: "
        + names
    ]


_scriptwright_capture(params)
