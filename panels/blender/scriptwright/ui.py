"""The add-on in Blender's UI: a connection kept alive from background threads, scripts run on
the main thread from a bpy.app.timers callback, and a sidebar showing the connection.

Threads: bpy belongs to the main thread, so scripts always run there. A socket thread reads,
the timer callback runs scripts, and a sender thread writes replies so a big one never freezes
the interface.
"""

import os
import queue
import sys
import threading
import time
import traceback

import bpy

from . import scriptwright_host as host
from .blender_host import EVALUATORS, current_document, host_info

# The add-on's module name: "scriptwright" as an add-on, "bl_ext.<repository>.scriptwright" as an
# extension; preferences are stored under it.
ADDON = __package__


class UiConnection:
    """Keeps one bridge connection alive from a background thread, reconnecting with backoff.

    Runs reach Blender's main thread through `inbox` (drained by a bpy.app.timers callback);
    replies leave through `outbox` and a sender thread, so big replies never block the UI.
    `target` gives (URL, token) at each attempt: bridge.json is read again after a restart.
    """

    def __init__(self, target, name, document):
        self._target = target
        self.name = name
        self.document = document
        self.status = "Connecting…"
        self.host_id = None
        self.last_run = None
        self.runner = host.Runner(EVALUATORS)
        self.inbox = queue.SimpleQueue()  # (ws, run)
        self._outbox = queue.SimpleQueue()  # (ws, message) or None to stop
        self._stop = threading.Event()
        self._status_lock = threading.Lock()
        self._ws = None
        self._threads = [
            threading.Thread(target=self._connect_loop, name="scriptwright-socket", daemon=True),
            threading.Thread(target=self._send_loop, name="scriptwright-sender", daemon=True),
        ]

    def start(self):
        for thread in self._threads:
            thread.start()

    def stop(self):
        with self._status_lock:
            self._stop.set()
            self.status = "Disconnected"
        self._outbox.put(None)
        ws = self._ws
        if ws is not None:
            ws.close(1001, "disconnected by the user")
            ws.abort()

    def _report(self, status, final=False):
        """Status for the sidebar; once stopped, the last word stays ("Disconnected", "Refused")."""
        with self._status_lock:
            if not self._stop.is_set():
                self.status = status
            if final:
                self._stop.set()

    @property
    def active(self):
        return not self._stop.is_set()

    def send(self, ws, message):
        self._outbox.put((ws, message))

    def document_changed(self, document):
        self.document = document
        ws = self._ws
        if ws is not None and self.host_id is not None:
            self.send(ws, host.document_event(document))

    def _connect_loop(self):
        try:
            self._keep_connected()
        finally:
            self._outbox.put(None)  # ends the sender thread too

    def _keep_connected(self):
        delay = host.RECONNECT_FIRST_S
        while not self._stop.is_set():
            welcomed = False
            try:
                welcomed = self._serve_once()
            except host.Refused as refused:
                # Retrying cannot fix a bad token or protocol; the Connect button tries again.
                final = refused.code in ("unauthorized", "protocol-mismatch")
                self._report(f"Refused: {refused.message}", final)
            except (LookupError, OSError, ValueError, host.ConnectionClosed) as error:
                self._report(f"Retrying: {error}")
            except Exception as error:  # a bug must not silently end the reconnect loop
                host.log(f"connection failed: {traceback.format_exc()}")
                self._report(f"Retrying after an error: {error!r}")
            if welcomed:
                delay = host.RECONNECT_FIRST_S
            if self._stop.wait(delay):
                return
            delay = min(delay * 2, host.RECONNECT_MAX_S)

    def _serve_once(self):
        url, token = self._target()
        self._report("Connecting…")
        ws = host.WebSocket.connect(url)
        self._ws = ws
        try:
            if self._stop.is_set():
                return False
            welcome = host.say_hello(ws, host.make_hello(host_info(), token, self.name, self.document))
            # The id the bridge knows this host by (`exec --host`, `hosts`, the chat panel).
            self.host_id = welcome.get("hostId")
            self._report("Connected")
            closed = host.read_loop(ws, self.runner, lambda run: self.inbox.put((ws, run)))
            self.host_id = None  # before the status, so no redraw shows the old id as connected
            self._report(f"Connection closed ({closed.code}), reconnecting")
            return True
        finally:
            self.host_id = None
            self._ws = None
            ws.abort()

    def _send_loop(self):
        while True:
            item = self._outbox.get()
            if item is None:
                return
            ws, message = item
            host.send_quietly(ws, message)


_connection = None
# Set when started as `blender --python scriptwright_blender.py -- …` in the UI: (target, name).
_command_line = None
_PUMP_IDLE_S = 0.0  # every pass of the UI loop (which sleeps ~5 ms when idle)
_PUMP_BUDGET_S = 0.05
# What the sidebar last showed: the socket thread changes the status at any time (lost,
# reconnecting, connected) and only the main thread may redraw, so each pump compares.
_drawn = None


def _pump():
    """Main thread: runs queued scripts, keeps the sidebar fresh. A bpy.app.timers callback."""
    global _drawn
    connection = _connection
    if connection is None:
        return None
    deadline = time.perf_counter() + _PUMP_BUDGET_S
    while time.perf_counter() < deadline:
        try:
            ws, run = connection.inbox.get_nowait()
        except queue.Empty:
            break
        result = connection.runner.execute(run)
        connection.last_run = _describe_run(result)
        connection.send(ws, result)
    active = connection.active  # read before the status: a stopped connection's status is final
    showing = _sidebar_state(connection)
    if showing != _drawn:
        _drawn = showing
        _redraw_sidebars_safely()
    # Stopped: nothing more to run; Connect registers this timer again.
    return _PUMP_IDLE_S if active else None


def _sidebar_state(connection):
    return (connection.status, connection.host_id, connection.last_run)


def _host_line(connection):
    """The id the bridge gave this host (what `exec --host` takes), its name beside it when
    different; only the name while there is no connection."""
    if connection.host_id is None:
        return f"Name: {connection.name}"
    if connection.host_id == connection.name:
        return f"Host: {connection.host_id}"
    return f"Host: {connection.host_id} ({connection.name})"


def _describe_run(result):
    verdict = "ok" if result["ok"] else "failed"
    return f"{verdict} in {result['durationMs']:.1f} ms"


def _redraw_sidebars():
    # Only the sidebar region: redrawing the whole 3D view after every run costs a viewport draw.
    for window in bpy.context.window_manager.windows:
        for area in window.screen.areas:
            if area.type != "VIEW_3D":
                continue
            for region in area.regions:
                if region.type == "UI" and region.width > 1:
                    region.tag_redraw()


def _redraw_sidebars_safely():
    try:
        _redraw_sidebars()
    except (AttributeError, RuntimeError):  # no window yet (startup, background)
        pass


def _preferences():
    addon = bpy.context.preferences.addons.get(ADDON)
    return addon.preferences if addon else None


def connect():
    """Starts (or restarts) the UI connection on the main thread."""
    global _connection
    disconnect()
    prefs = _preferences()
    if _command_line is not None:
        target, name = _command_line
    else:
        directory = host.data_dir(prefs.data_dir if prefs else "")
        target, name = (lambda: host.discover_bridge(directory)), None
    name = name or (prefs.host_name if prefs else "") or host_info().default_name()
    _connection = UiConnection(target, name, current_document())
    _connection.start()
    if not bpy.app.timers.is_registered(_pump):
        bpy.app.timers.register(_pump, first_interval=0.0, persistent=True)


def disconnect():
    if _connection is not None:
        _connection.stop()
    # Keep the object so the sidebar shows the final status and last run.
    _redraw_sidebars_safely()


def run_from_command_line(module_name, args):
    """`blender --python scriptwright_blender.py [-- --bridge URL --name NAME]` in the UI: enables
    the add-on for this session (not saved in the preferences) and connects as the installed
    add-on does, through bridge.json, or to --bridge with the token from the environment."""
    global _command_line
    import addon_utils

    token = host.take_token()
    options = host.parse_args(args, "scriptwright_blender.py").parse_args(args)
    _command_line = (lambda: host.bridge_target(options, token)), options.name
    module = sys.modules[module_name]
    # addon_utils reloads a module whose load time it did not record itself; record it as it would.
    module.__time__ = os.path.getmtime(module.__file__)
    if addon_utils.enable(module_name, default_set=False) is None:
        host.log("the add-on could not be enabled; see the error above")


# ── document events (load_post / save_post) ──────────────────────────────────────────────────


@bpy.app.handlers.persistent
def _on_document_changed(*_args):
    if _connection is not None and _connection.active:
        _connection.document_changed(current_document())


def _install_document_handlers():
    for handlers in (bpy.app.handlers.load_post, bpy.app.handlers.save_post):
        if _on_document_changed not in handlers:
            handlers.append(_on_document_changed)


def _remove_document_handlers():
    for handlers in (bpy.app.handlers.load_post, bpy.app.handlers.save_post):
        while _on_document_changed in handlers:
            handlers.remove(_on_document_changed)


# ── preferences, operators, sidebar ──────────────────────────────────────────────────────────


def _auto_connect():
    prefs = _preferences()
    if prefs is None or prefs.auto_connect:
        connect()
    return None


class ScriptwrightPreferences(bpy.types.AddonPreferences):
    bl_idname = ADDON

    data_dir: bpy.props.StringProperty(
        name="Data directory",
        description="Where the bridge writes bridge.json (empty: $SCRIPTWRIGHT_HOME, else ~/.scriptwright)",
        subtype="DIR_PATH",
        default="",
    )
    host_name: bpy.props.StringProperty(
        name="Host name",
        description="Name shown by `scriptwright hosts` (empty: blender-<pid>)",
        default="",
    )
    auto_connect: bpy.props.BoolProperty(
        name="Connect on start",
        description="Look for a running bridge as soon as Blender starts",
        default=True,
    )

    def draw(self, _context):
        layout = self.layout
        layout.prop(self, "data_dir")
        layout.prop(self, "host_name")
        layout.prop(self, "auto_connect")


class SCRIPTWRIGHT_OT_connect(bpy.types.Operator):
    bl_idname = "scriptwright.connect"
    bl_label = "Connect"
    bl_description = "Connect to the Scriptwright bridge found through bridge.json"

    def execute(self, _context):
        connect()
        return {"FINISHED"}


class SCRIPTWRIGHT_OT_disconnect(bpy.types.Operator):
    bl_idname = "scriptwright.disconnect"
    bl_label = "Disconnect"
    bl_description = "Disconnect from the Scriptwright bridge"

    def execute(self, _context):
        disconnect()
        return {"FINISHED"}


class SCRIPTWRIGHT_PT_sidebar(bpy.types.Panel):
    bl_label = "Scriptwright"
    bl_space_type = "VIEW_3D"
    bl_region_type = "UI"
    bl_category = "Scriptwright"

    def draw(self, _context):
        layout = self.layout
        connection = _connection
        if connection is None:
            layout.label(text="Disconnected", icon="UNLINKED")
            layout.operator(SCRIPTWRIGHT_OT_connect.bl_idname, icon="LINKED")
            return
        connected = connection.host_id is not None
        layout.label(text=connection.status, icon="LINKED" if connected else "UNLINKED")
        layout.label(text=_host_line(connection))
        layout.label(text=f"Last run: {connection.last_run or '—'}")
        if connection.active:
            layout.operator(SCRIPTWRIGHT_OT_disconnect.bl_idname, icon="CANCEL")
        else:
            layout.operator(SCRIPTWRIGHT_OT_connect.bl_idname, icon="LINKED")


_CLASSES = (ScriptwrightPreferences, SCRIPTWRIGHT_OT_connect, SCRIPTWRIGHT_OT_disconnect, SCRIPTWRIGHT_PT_sidebar)


def register():
    # The UI finds the bridge through bridge.json; a token in Blender's environment (a person
    # started it from a shell holding one) must not be there for scripts either.
    host.take_token()
    for cls in _CLASSES:
        bpy.utils.register_class(cls)
    _install_document_handlers()
    # Deferred: while register() runs, the add-on's preferences entry may not exist yet.
    bpy.app.timers.register(_auto_connect, first_interval=0.1)


def unregister():
    global _connection
    disconnect()
    _connection = None
    for timer in (_pump, _auto_connect):
        if bpy.app.timers.is_registered(timer):
            bpy.app.timers.unregister(timer)
    _remove_document_handlers()
    for cls in reversed(_CLASSES):
        bpy.utils.unregister_class(cls)
