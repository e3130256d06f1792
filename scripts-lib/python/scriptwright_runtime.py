"""Scriptwright's in-app runtime for Python hosts (stdlib only, Python 3.10+).

The bridge's Python language kit embeds this file in every wrapped script. The wrapper
executes it once per Python process, keeps it in ``sys.modules`` under a name carrying a
hash of this source, and then only calls ``run()``. ``run()`` returns the JSON text
envelope the bridge's ``unwrap()`` reads:

    {"$scriptwright": 1, "ok": true,  "value": <json>, "logs": "..."}
    {"$scriptwright": 1, "ok": false, "error": {"message", "type", "line", "column",
                                                 "stack"}, "logs": "..."}

``logs`` is present only when something was printed; ``line``/``column``/``stack`` only
when known. Positions are 1-based, in the user's code.
"""

import ast
import builtins
import io
import json
import linecache
import math
import sys
import threading
import traceback
import types
from collections.abc import Mapping

ENVELOPE_VERSION = 1
SCRIPT_FILENAME = "<script>"
PRELUDE_FILENAME = "<prelude>"
EPILOGUE_FILENAME = "<epilogue>"

DEFAULT_MAX_LOG_CHARS = 65_536
DEFAULT_MAX_VALUE_CHARS = 1_000_000
MAX_DEPTH = 8
MAX_ITEMS = 1000
MAX_REPR_CHARS = 300
MAX_MESSAGE_CHARS = 4000
MAX_STACK_CHARS = 16_000
# Integers beyond this lose precision as JSON numbers in JavaScript.
MAX_SAFE_INT = 2**53 - 1
COMPILE_CACHE_SIZE = 64
COMPILE_CACHE_MAX_SOURCE = 65_536


# ---------------------------------------------------------------------------
# Log capture


class _LogSink:
    """Keeps the first ``limit`` characters written and only counts the rest, so a
    script printing megabytes costs a counter increment per write, not memory."""

    __slots__ = ("parts", "room", "dropped")

    def __init__(self, limit):
        self.parts = []
        self.room = limit
        self.dropped = 0

    def write(self, text):
        n = len(text)
        room = self.room
        if n <= room:
            self.parts.append(text)
            self.room = room - n
        elif room > 0:
            self.parts.append(text[:room])
            self.room = 0
            self.dropped += n - room
        else:
            self.dropped += n
        return n

    def text(self):
        out = "".join(self.parts)
        if self.dropped:
            out += "\n[scriptwright: %d more characters of output were dropped]\n" % self.dropped
        return out


class _CaptureStream(io.TextIOBase):
    """Stands in for sys.stdout / sys.stderr; both feed one sink so order is kept.

    Only the thread running the script is captured: a thread a script started (one that
    outlives its run, too) writes to the host's own stderr, so its output never shows up in
    that run's logs or a later run's."""

    def __init__(self, sink, name, elsewhere):
        super().__init__()
        self._sink = sink
        self._name = name
        self._owner = threading.get_ident()
        self._elsewhere = elsewhere

    @property
    def name(self):
        return self._name

    @property
    def encoding(self):
        return "utf-8"

    @property
    def errors(self):
        return "strict"

    def writable(self):
        return True

    def isatty(self):
        return False

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError("write() argument must be str, not %s" % type(text).__name__)
        if threading.get_ident() != self._owner:
            return self._write_elsewhere(text)
        return self._sink.write(text)

    def _write_elsewhere(self, text):
        try:
            if self._elsewhere is not None:
                self._elsewhere.write(text)
        except Exception:  # a host without a usable stderr (pythonw): the text is dropped
            pass
        return len(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        pass


# ---------------------------------------------------------------------------
# Compilation (cached: the same script, prelude or epilogue compiles once per process)

_compile_cache = {}


def _remember(key, compiled):
    if len(key[1]) > COMPILE_CACHE_MAX_SOURCE:
        return compiled  # big one-off scripts would only pin memory
    if len(_compile_cache) >= COMPILE_CACHE_SIZE:
        # Dicts keep insertion order: drop the oldest entry.
        del _compile_cache[next(iter(_compile_cache))]
    _compile_cache[key] = compiled
    return compiled


def _compile_script(source):
    """Returns (body_code, final_expression_code_or_None). Raises SyntaxError before
    anything runs. The final expression statement is compiled apart so its value can be
    returned, like a notebook cell."""
    key = ("script", source)
    hit = _compile_cache.get(key)
    if hit is not None:
        return hit
    tree = ast.parse(source, SCRIPT_FILENAME, "exec")
    final = None
    if tree.body and isinstance(tree.body[-1], ast.Expr):
        last = tree.body.pop()
        final = compile(ast.Expression(last.value), SCRIPT_FILENAME, "eval")
    body = compile(tree, SCRIPT_FILENAME, "exec")
    return _remember(key, (body, final))


def _compile_fixed(source, filename):
    key = (filename, source)
    hit = _compile_cache.get(key)
    if hit is None:
        hit = _remember(key, compile(source, filename, "exec"))
    return hit


# ---------------------------------------------------------------------------
# Value serialisation


def _cap(text, limit):
    if len(text) <= limit:
        return text
    return text[:limit] + "... [%d more characters]" % (len(text) - limit)


def _type_name(obj):
    t = type(obj)
    module = getattr(t, "__module__", None)
    if module in (None, "builtins", "__main__"):
        return t.__qualname__
    return "%s.%s" % (module, t.__qualname__)


def _safe_repr(obj):
    try:
        return _cap(repr(obj), MAX_REPR_CHARS)
    except Exception as exc:  # a broken __repr__ must not break the run
        return "<repr() raised %s: %s>" % (type(exc).__name__, _cap(_safe_str(exc), 200))


def _safe_str(obj):
    try:
        return str(obj)
    except Exception:
        return "<unprintable %s>" % type(obj).__name__


def _key_text(key):
    if isinstance(key, str):
        return str(key)
    if key is None:
        return "null"
    if key is True or key is False:
        return "true" if key else "false"
    if isinstance(key, int):
        return int.__repr__(key)
    if isinstance(key, float):
        return float.__repr__(key)
    return _safe_repr(key)


_BPY_COLLECTION_TYPES = ("bpy_prop_collection", "bpy_prop_collection_idprop")


class _Encoder:
    """Turns any Python value into plain JSON data. Never raises for a value's own
    misbehaviour: each object that cannot be converted becomes a marker saying why.

    Markers: {"$ref": T, "name"|"identifier"|"$repr"} Blender data, {"$repr", "$type"}
    anything else, {"$float": "nan"|"inf"|"-inf"}, {"$int": "digits"} beyond 2**53,
    {"$type": "bytes", "length", "$repr"}, {"$cycle": T}, {"$truncated": "depth", "$type"},
    {"$truncated": "size", "head", "length"} for a cut string, {"$more": N} as the last
    list item (or a "$more" key) when N items were dropped, {"$error": ...} when
    converting an object raised.
    """

    __slots__ = ("budget", "active", "max_items")

    def __init__(self, max_chars, max_items=MAX_ITEMS):
        self.budget = max_chars
        self.active = set()
        self.max_items = max_items

    def convert(self, obj, depth=0):
        t = type(obj)
        if t is str:
            return self._string(obj)
        if obj is None or t is bool:
            self.budget -= 5
            return obj
        if t is int:
            return self._int(obj)
        if t is float:
            return self._float(obj)
        try:
            return self._convert_other(obj, depth)
        except (KeyboardInterrupt, SystemExit, MemoryError):
            raise
        except Exception as exc:
            self.budget -= 80
            return {
                "$type": _type_name(obj),
                "$error": "could not serialise: %s: %s" % (type(exc).__name__, _cap(_safe_str(exc), 200)),
            }

    def _string(self, text):
        n = len(text)
        if n + 2 <= self.budget:
            self.budget -= n + 2
            return text
        head = text[: max(self.budget, 0)]
        self.budget -= len(head) + 60
        return {"$truncated": "size", "head": head, "length": n}

    def _int(self, value):
        if -MAX_SAFE_INT <= value <= MAX_SAFE_INT:
            self.budget -= 8
            return value
        try:
            digits = str(value)
        except ValueError:  # beyond sys.get_int_max_str_digits()
            digits = "<int of %d bits>" % value.bit_length()
        self.budget -= len(digits) + 12
        return {"$int": digits}

    def _float(self, value):
        self.budget -= 12
        if math.isfinite(value):
            return value
        return {"$float": "nan" if value != value else ("inf" if value > 0 else "-inf")}

    def _convert_other(self, obj, depth):
        if type(obj).__name__ == "pyuno":  # LibreOffice's UNO objects: isinstance() raises on them
            return self._uno_ref(obj)
        # Subclasses (IntEnum, str enums, ...) as their plain value; the base-class
        # methods bypass any overridden __str__/__int__/__float__.
        if isinstance(obj, str):
            return self._string(str.__str__(obj))
        if isinstance(obj, int):
            return self._int(int.__int__(obj))
        if isinstance(obj, float):
            return self._float(float.__float__(obj))
        if isinstance(obj, (bytes, bytearray, memoryview)):
            return self._bytes(obj)
        if isinstance(obj, (type, types.ModuleType, types.FunctionType, types.BuiltinFunctionType)):
            return self._opaque(obj)
        if isinstance(obj, (dict, Mapping)):
            return self._container(obj, depth, self._mapping_items)
        if isinstance(obj, (list, tuple, set, frozenset)):
            return self._container(obj, depth, self._iter_items)
        type_name = type(obj).__name__
        if type_name in _BPY_COLLECTION_TYPES:
            return self._container(obj, depth, self._iter_items)
        rna = getattr(obj, "bl_rna", None)
        if rna is not None:
            return self._blender_ref(obj, rna)
        if hasattr(obj, "__len__") and hasattr(obj, "__getitem__"):
            if hasattr(obj, "keys"):
                return self._container(obj, depth, self._keyed_items)
            # mathutils Vector/Matrix/Color/Euler/Quaternion, bpy_prop_array, range, ...
            return self._container(obj, depth, self._indexed_items)
        if hasattr(obj, "__len__") and hasattr(obj, "__iter__"):
            # Sized iterables (dict views, Blender's idprop views) iterate again on demand;
            # iterators and generators have no __len__ and are never consumed here.
            return self._container(obj, depth, self._iter_items)
        to_tuple = getattr(obj, "to_tuple", None)
        if callable(to_tuple):
            return self.convert(list(to_tuple()), depth)
        return self._opaque(obj)

    def _uno_ref(self, obj):
        """A UNO object as its implementation, its name or title, and its item count."""
        ref = {"$ref": "uno"}
        getters = (("getImplementationName", "$ref"), ("getName", "name"), ("getTitle", "title"), ("getCount", "count"))
        for getter, key in getters:
            try:
                value = getattr(obj, getter)()
            except Exception:  # the object has no such interface
                continue
            if (isinstance(value, str) and value) or type(value) is int:
                ref[key] = value
        self.budget -= len(repr(ref)) + 8
        return ref

    def _opaque(self, obj):
        text = _safe_repr(obj)
        name = _type_name(obj)
        self.budget -= len(text) + len(name) + 24
        return {"$repr": text, "$type": name}

    def _bytes(self, data):
        if isinstance(data, memoryview):
            length, text = data.nbytes, "<memoryview of %d bytes>" % data.nbytes
        else:
            length, text = len(data), _safe_repr(bytes(data[:64]))
        self.budget -= len(text) + 48
        return {"$type": type(data).__name__, "length": length, "$repr": text}

    def _blender_ref(self, obj, rna):
        identifier = getattr(rna, "identifier", None)
        ref = {"$ref": identifier if isinstance(identifier, str) else type(obj).__name__}
        name = getattr(obj, "name", None)
        if isinstance(name, str):
            ref["name"] = name
        else:
            own_identifier = getattr(obj, "identifier", None)
            if isinstance(own_identifier, str):
                ref["identifier"] = own_identifier
            else:
                # e.g. bpy.data.meshes['Cube'].vertices[0]: the repr is the data path.
                ref["$repr"] = _safe_repr(obj)
        self.budget -= sum(len(v) for v in ref.values()) + 32
        return ref

    def _container(self, obj, depth, items):
        marker_type = _type_name(obj)
        if id(obj) in self.active:
            self.budget -= len(marker_type) + 16
            return {"$cycle": marker_type}
        if depth >= MAX_DEPTH:
            self.budget -= len(marker_type) + 36
            return {"$truncated": "depth", "$type": marker_type}
        self.active.add(id(obj))
        try:
            return items(obj, depth + 1)
        finally:
            self.active.discard(id(obj))

    def _drop_count(self, obj, taken):
        try:
            return max(len(obj) - taken, 1)
        except Exception:
            return 1

    def _iter_items(self, obj, depth):
        out = []
        self.budget -= 2
        for item in obj:
            if len(out) >= self.max_items or self.budget <= 0:
                out.append({"$more": self._drop_count(obj, len(out))})
                break
            self.budget -= 1
            out.append(self.convert(item, depth))
        return out

    def _indexed_items(self, obj, depth):
        out = []
        self.budget -= 2
        count = len(obj)
        for index in range(count):
            if index >= self.max_items or self.budget <= 0:
                out.append({"$more": count - index})
                break
            self.budget -= 1
            out.append(self.convert(obj[index], depth))
        return out

    def _mapping_items(self, obj, depth):
        return self._pairs(obj, obj.items(), depth)

    def _keyed_items(self, obj, depth):
        return self._pairs(obj, ((key, obj[key]) for key in obj.keys()), depth)

    def _pairs(self, obj, pairs, depth):
        out = {}
        self.budget -= 2
        for key, item in pairs:
            if len(out) >= self.max_items or self.budget <= 0:
                out["$more"] = self._drop_count(obj, len(out))
                break
            text = _key_text(key)
            self.budget -= len(text) + 4
            out[text] = self.convert(item, depth)
        return out


# ---------------------------------------------------------------------------
# Errors


def _is_user_frame(tb):
    return tb.tb_frame.f_code.co_filename == SCRIPT_FILENAME


def _cap_stack(stack):
    if len(stack) <= MAX_STACK_CHARS:
        return stack
    # The end of a traceback (deepest frames, the exception) matters most.
    return "[... %d characters cut]\n" % (len(stack) - MAX_STACK_CHARS) + stack[-MAX_STACK_CHARS:]


def _exception_message(exc):
    if isinstance(exc, KeyboardInterrupt):
        return "run was cancelled"
    if isinstance(exc, SystemExit):
        if exc.code is None:
            return "script called sys.exit()"
        return "script called sys.exit(%s)" % _safe_repr(exc.code)
    message = _safe_str(exc)
    return _cap(message if message else type(exc).__name__, MAX_MESSAGE_CHARS)


def _only_frames_of(summary, filename):
    """Keeps the frames of ``filename`` in a TracebackException and its chained causes:
    the user reads their own code, not the runtime's or a library's internals."""
    seen = set()
    while summary is not None and id(summary) not in seen:
        seen.add(id(summary))
        summary.stack = traceback.StackSummary.from_list([f for f in summary.stack if f.filename == filename])
        cause = summary.__cause__
        if cause is not None:
            _only_frames_of(cause, filename)
        summary = summary.__context__


def _describe_exception(exc, filename, prefix=""):
    error = {"message": prefix + _exception_message(exc), "type": type(exc).__name__}
    try:
        summary = traceback.TracebackException(type(exc), exc, exc.__traceback__)
        _only_frames_of(summary, filename)
        error["stack"] = _cap_stack("".join(summary.format()))
    except Exception:
        pass
    if filename == SCRIPT_FILENAME:
        _add_user_position(error, exc.__traceback__)
    return error


def _add_user_position(error, tb):
    """Line and column of the deepest user frame: where the user's code was when the
    exception started, even when it was raised inside a library it called."""
    deepest = None
    while tb is not None:
        if _is_user_frame(tb):
            deepest = tb
        tb = tb.tb_next
    if deepest is None:
        return
    error["line"] = deepest.tb_lineno
    positions = getattr(deepest.tb_frame.f_code, "co_positions", None)  # Python 3.11+
    if positions is None or deepest.tb_lasti < 0:
        return
    try:
        position = list(positions())[deepest.tb_lasti // 2]
    except (IndexError, ValueError):
        return
    if position[0] == deepest.tb_lineno and position[2] is not None:
        error["column"] = position[2] + 1


def _describe_syntax_error(exc):
    # IndentationError and TabError stay visible in the stack; the type is the category.
    message = _safe_str(getattr(exc, "msg", None) or exc)
    error = {"message": _cap(message, MAX_MESSAGE_CHARS), "type": "SyntaxError"}
    line = getattr(exc, "lineno", None)
    column = getattr(exc, "offset", None)
    if isinstance(line, int) and line > 0:
        error["line"] = line
        if isinstance(column, int) and column > 0:
            error["column"] = column  # SyntaxError.offset is already 1-based
    try:
        error["stack"] = _cap_stack("".join(traceback.format_exception_only(type(exc), exc)))
    except Exception:
        pass
    return error


# ---------------------------------------------------------------------------
# One run


class _LinecacheEntry:
    """Makes the user's source visible to tracebacks (also ones the script prints
    itself) for the duration of a run, then puts back whatever was there."""

    __slots__ = ("source", "previous")

    def __init__(self, source):
        self.source = source
        self.previous = None

    def __enter__(self):
        self.previous = linecache.cache.get(SCRIPT_FILENAME)
        lines = self.source.splitlines(True)
        linecache.cache[SCRIPT_FILENAME] = (len(self.source), None, lines, SCRIPT_FILENAME)
        return self

    def __exit__(self, *exc_info):
        if self.previous is None:
            linecache.cache.pop(SCRIPT_FILENAME, None)
        else:
            linecache.cache[SCRIPT_FILENAME] = self.previous
        return False


def _execute(source, namespace, prelude):
    """Runs prelude and user code. Returns (outcome, value or error dict, whether the user
    code started: the epilogue may use what the prelude defined only then)."""
    try:
        body, final = _compile_script(source)
    except (SyntaxError, ValueError) as exc:  # ValueError: e.g. surrogates in the source
        return "error", _describe_syntax_error(exc), False
    if prelude:
        try:
            exec(_compile_fixed(prelude, PRELUDE_FILENAME), namespace)
        except BaseException as exc:
            return "error", _describe_exception(exc, PRELUDE_FILENAME, "prelude failed: "), False
    try:
        exec(body, namespace)
        value = eval(final, namespace) if final is not None else None
    except BaseException as exc:
        return "error", _describe_exception(exc, SCRIPT_FILENAME), True
    return "ok", value, True


def _run_epilogue(epilogue, namespace):
    try:
        exec(_compile_fixed(epilogue, EPILOGUE_FILENAME), namespace)
    except BaseException as exc:
        error = _describe_exception(exc, EPILOGUE_FILENAME)
        return "[scriptwright: the epilogue failed: %s: %s]\n%s" % (
            error["type"],
            error["message"],
            error.get("stack", ""),
        )
    return None


def _serialise(value, max_value_chars, max_items):
    try:
        return "ok", _Encoder(max_value_chars, max_items).convert(value)
    except KeyboardInterrupt as exc:
        return "error", _describe_exception(exc, SCRIPT_FILENAME)
    except BaseException as exc:  # MemoryError and the like: the value is lost, say so
        error = {
            "message": "the script ran, but its value could not be serialised: %s: %s"
            % (type(exc).__name__, _exception_message(exc)),
            "type": type(exc).__name__,
        }
        return "error", error


def _envelope(outcome, payload, logs):
    envelope = {"$scriptwright": ENVELOPE_VERSION, "ok": outcome == "ok"}
    if outcome == "ok":
        envelope["value"] = payload
    else:
        envelope["error"] = payload
    if logs:
        envelope["logs"] = logs
    # ensure_ascii keeps lone surrogates (possible in Python str) valid for any transport.
    return json.dumps(
        envelope, ensure_ascii=True, allow_nan=False, check_circular=False, separators=(",", ":")
    )


def run(
    source,
    params_json="null",
    prelude=None,
    epilogue=None,
    max_log_chars=DEFAULT_MAX_LOG_CHARS,
    max_value_chars=DEFAULT_MAX_VALUE_CHARS,
    max_items=MAX_ITEMS,
):
    """Runs ``source`` in a fresh namespace and returns the JSON envelope text."""
    sink = _LogSink(max_log_chars)
    notes = []
    saved_stdout, saved_stderr = sys.stdout, sys.stderr
    sys.stdout = _CaptureStream(sink, "<stdout>", saved_stderr)
    sys.stderr = _CaptureStream(sink, "<stderr>", saved_stderr)
    try:
        params = None if params_json == "null" else json.loads(params_json)
        # "__main__" so scripts written for Blender's text editor behave the same.
        namespace = {"__name__": "__main__", "__builtins__": builtins, "params": params}
        started = False
        with _LinecacheEntry(source):
            try:
                outcome, payload, started = _execute(source, namespace, prelude)
                if outcome == "ok":
                    outcome, payload = _serialise(payload, max_value_chars, max_items)
            finally:
                if epilogue and started:
                    note = _run_epilogue(epilogue, namespace)
                    if note:
                        notes.append(note)
    except BaseException as exc:  # a cancel landing in the runtime itself, or a broken host
        outcome, payload = "error", _describe_exception(exc, SCRIPT_FILENAME)
    finally:
        sys.stdout, sys.stderr = saved_stdout, saved_stderr
    logs = sink.text()
    if notes:
        logs += "".join(notes)
    return _envelope(outcome, payload, logs)
