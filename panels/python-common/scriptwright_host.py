"""Scriptwright host runtime for runners written in Python (Blender, LibreOffice, COM apps).

Everything a host needs that does not depend on the app: a stdlib RFC 6455 client, the
host protocol (hello / welcome / run / result / cancel), bridge discovery, a Runner that
evaluates wrapped code per language, and the headless serving loop with a watcher thread
that answers pings and cancels while a long script runs.

A runner describes its app with a `HostInfo` and its languages with evaluators
(`code -> output string`), then calls `serve(...)`. Stdlib only: the runners run with the
Python that comes with the app (LibreOffice's) or a plain Windows install.

The Blender add-on (panels/blender/scriptwright) imports it as one of its modules; the zip built
for Blender carries a copy.
"""

import argparse
import base64
import collections
import ctypes
import hashlib
import json
import os
import select
import socket
import struct
import sys
import threading
import time
import traceback
from urllib.parse import urlsplit

PROTOCOL_VERSION = 1
# The bridge's default WebSocket maxPayload: a bigger reply would make it close the socket (1009).
MAX_OUTGOING_BYTES = 32 * 1024 * 1024
# Refuse absurd inbound messages instead of exhausting memory.
MAX_INCOMING_BYTES = 256 * 1024 * 1024
HANDSHAKE_TIMEOUT_S = 10.0
RECONNECT_FIRST_S = 0.5
RECONNECT_MAX_S = 10.0

EXIT_NORMAL_CLOSE = 0
EXIT_CONNECTION_LOST = 1
EXIT_REFUSED = 2



def log(message):
    print(f"[scriptwright] {message}", file=sys.stderr, flush=True)


# ── RFC 6455 client ───────────────────────────────────────────────────────────────────────────

_WS_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
OP_CONTINUATION, OP_TEXT, OP_BINARY = 0x0, 0x1, 0x2
OP_CLOSE, OP_PING, OP_PONG = 0x8, 0x9, 0xA
# Writes above this size go out as header + payload in two calls instead of one copy.
_SINGLE_WRITE_LIMIT = 64 * 1024
_READ_AHEAD = 64 * 1024


class ConnectionClosed(Exception):
    """The WebSocket is gone; `code` is the close code (1006 when the TCP connection just dropped)."""

    def __init__(self, code, reason=""):
        super().__init__(f"connection closed ({code}{': ' + reason if reason else ''})")
        self.code = code
        self.reason = reason

    @property
    def normal(self):
        # 1005 = a close frame without a status: still a deliberate close by the peer.
        return self.code in (1000, 1001, 1005)


def _mask(payload, key):
    """XOR with the 4-byte key, done on whole integers: per-byte loops take seconds on 20 MB."""
    size = len(payload)
    if size == 0:
        return b""
    repeated_key = (key * (size // 4 + 1))[:size]
    masked = int.from_bytes(payload, "little") ^ int.from_bytes(repeated_key, "little")
    return masked.to_bytes(size, "little")


def _frame_header(opcode, length):
    first = 0x80 | opcode  # FIN set: outgoing messages are never fragmented
    if length < 126:
        return struct.pack("!BB", first, 0x80 | length)
    if length < 65536:
        return struct.pack("!BBH", first, 0x80 | 126, length)
    return struct.pack("!BBQ", first, 0x80 | 127, length)


def _expected_accept(key):
    return base64.b64encode(hashlib.sha1(key.encode("ascii") + _WS_GUID).digest()).decode("ascii")


def _read_http_head(sock):
    """The response head up to the blank line, and whatever frame bytes came after it."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("the bridge closed the connection during the WebSocket handshake")
        data += chunk
        if len(data) > 65536:
            raise ConnectionError("WebSocket handshake: response head too long")
    head, _, rest = data.partition(b"\r\n\r\n")
    return head.decode("latin-1").split("\r\n"), rest


def _check_handshake_response(lines, key):
    status = lines[0].split(" ", 2)
    if len(status) < 2 or status[1] != "101":
        raise ConnectionError(f"WebSocket handshake refused: {lines[0].strip()}")
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if headers.get("upgrade", "").lower() != "websocket":
        raise ConnectionError("WebSocket handshake: missing 'Upgrade: websocket'")
    if headers.get("sec-websocket-accept") != _expected_accept(key):
        raise ConnectionError("WebSocket handshake: wrong Sec-WebSocket-Accept")


class WebSocket:
    """A blocking client socket: one thread at a time reads (`receive`), any thread may send."""

    def __init__(self, sock, buffered=b""):
        self._sock = sock
        self._buffer = bytearray(buffered)  # received bytes not yet consumed as frames
        self._send_lock = threading.Lock()
        self._close_sent = False

    @classmethod
    def connect(cls, url, timeout=HANDSHAKE_TIMEOUT_S):
        parts = urlsplit(url)
        if parts.scheme != "ws" or not parts.hostname:
            raise ValueError(f"expected a ws:// URL, got {url!r}")
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        sock = socket.create_connection((parts.hostname, parts.port or 80), timeout=timeout)
        try:
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            key = base64.b64encode(os.urandom(16)).decode("ascii")
            host = parts.netloc.rpartition("@")[2]
            request = (
                f"GET {path} HTTP/1.1\r\nHost: {host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                "User-Agent: scriptwright-host\r\n\r\n"
            )
            sock.sendall(request.encode("ascii"))
            lines, rest = _read_http_head(sock)
            _check_handshake_response(lines, key)
        except BaseException:
            sock.close()
            raise
        return cls(sock, rest)

    def set_timeout(self, seconds):
        self._sock.settimeout(seconds)

    def fileno(self):
        return self._sock.fileno()

    @property
    def has_buffered_bytes(self):
        """Bytes already read from the socket: select() on it would not show them."""
        return bool(self._buffer)

    # sending ───────────────────────────────────────────────────────────────────────────────
    def send_text(self, text):
        """Sends one text message: a str, or bytes already encoded as UTF-8."""
        self._send_frame(OP_TEXT, text.encode("utf-8") if isinstance(text, str) else text)

    def _send_frame(self, opcode, payload):
        key = os.urandom(4)
        header = _frame_header(opcode, len(payload)) + key
        masked = _mask(payload, key)  # outside the lock: a pong never waits for masking
        with self._send_lock:
            if len(masked) < _SINGLE_WRITE_LIMIT:
                self._sock.sendall(header + masked)
            else:
                self._sock.sendall(header)
                self._sock.sendall(masked)

    def close(self, code=1000, reason=""):
        """Starts the close handshake (once); the reader sees the peer's close frame."""
        with self._send_lock:
            if self._close_sent:
                return
            self._close_sent = True
        try:
            self._send_frame(OP_CLOSE, struct.pack("!H", code) + reason.encode("utf-8")[:123])
        except OSError:
            pass

    def abort(self):
        """Drops the TCP connection; unblocks a thread waiting in `receive`."""
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()

    # receiving ─────────────────────────────────────────────────────────────────────────────
    def receive(self, stop_after_control=False):
        """The next text message as str (binary messages as bytes).

        Pings are answered and the close handshake is completed here, on the reading thread,
        so they are answered even while the main thread is busy with a script. With
        `stop_after_control`, returns None after a control frame between messages instead of
        blocking for the next message. Raises ConnectionClosed when the connection ends.
        """
        fragments = []
        size = 0
        message_opcode = None
        while True:
            fin, opcode, payload = self._read_frame()
            if opcode >= OP_CLOSE:
                self._handle_control(opcode, payload)
                if stop_after_control and message_opcode is None:
                    return None
                continue
            if (opcode == OP_CONTINUATION) == (message_opcode is None):
                self._fail(1002, "unexpected continuation or data frame")
            if message_opcode is None:
                message_opcode = opcode
            fragments.append(payload)
            size += len(payload)
            if size > MAX_INCOMING_BYTES:
                self._fail(1009, "message too big")
            if fin:
                data = payload if len(fragments) == 1 else b"".join(fragments)
                return self._decode(message_opcode, data)

    def _decode(self, opcode, data):
        if opcode != OP_TEXT:
            return bytes(data)
        try:
            return str(data, "utf-8")
        except UnicodeDecodeError:
            self._fail(1007, "invalid UTF-8 in a text frame")

    def _read_frame(self):
        first, second = self._read_exact(2)
        if first & 0x70:
            self._fail(1002, "reserved bits set")
        fin, opcode = bool(first & 0x80), first & 0x0F
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", self._read_exact(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", self._read_exact(8))
        if opcode >= OP_CLOSE and (length > 125 or not fin):
            self._fail(1002, "bad control frame")
        if length > MAX_INCOMING_BYTES:
            self._fail(1009, "frame too big")
        key = self._read_exact(4) if second & 0x80 else None
        payload = self._read_exact(length)
        return fin, opcode, (_mask(payload, key) if key else payload)

    def _read_exact(self, size):
        buffer = self._buffer
        if size > _READ_AHEAD and len(buffer) < size:
            return self._read_large(size)
        while len(buffer) < size:
            buffer += self._recv(_READ_AHEAD)  # reads ahead: one recv usually holds a whole frame
        data = bytes(buffer[:size])
        del buffer[:size]
        return data

    def _read_large(self, size):
        """Straight into one buffer of the final size: no growing copies for a 20 MB frame."""
        data = bytearray(size)
        view = memoryview(data)
        filled = len(self._buffer)
        view[:filled] = self._buffer
        self._buffer.clear()
        while filled < size:
            try:
                count = self._sock.recv_into(view[filled:])
            except OSError as error:
                raise ConnectionClosed(1006, str(error)) from None
            if count == 0:
                raise ConnectionClosed(1006, "connection lost")
            filled += count
        return data

    def _recv(self, size):
        try:
            chunk = self._sock.recv(size)
        except OSError as error:
            raise ConnectionClosed(1006, str(error)) from None
        if not chunk:
            raise ConnectionClosed(1006, "connection lost")
        return chunk

    def _handle_control(self, opcode, payload):
        if opcode == OP_PING:
            try:
                self._send_frame(OP_PONG, payload)
            except OSError as error:
                raise ConnectionClosed(1006, str(error)) from None
        elif opcode == OP_CLOSE:
            code = struct.unpack("!H", payload[:2])[0] if len(payload) >= 2 else 1005
            reason = payload[2:].decode("utf-8", "replace")
            self.close(code if code not in (1005, 1006) else 1000)
            self.abort()
            raise ConnectionClosed(code, reason)

    def _fail(self, code, reason):
        self.close(code, reason)
        self.abort()
        raise ConnectionClosed(code, reason)


# ── protocol: hello / welcome ────────────────────────────────────────────────────────────────


class Refused(Exception):
    """The bridge answered the hello with an error frame."""

    def __init__(self, code, message):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


class HostInfo:
    """What a runner says about itself in its hello."""

    def __init__(self, app, app_version, language, capabilities, current_document=lambda: None):
        self.app = app
        self.app_version = app_version
        self.language = language
        self.capabilities = list(capabilities)
        self.current_document = current_document

    def default_name(self):
        return f"{self.app}-{os.getpid()}"


def make_hello(info, token, name, document, instance=None):
    hello = {
        "type": "hello",
        "protocol": PROTOCOL_VERSION,
        "token": token,
        "app": info.app,
        "appVersion": info.app_version,
        "language": info.language,
        "name": name,
        "document": document,
        "capabilities": info.capabilities,
    }
    if instance:
        hello["instance"] = instance
    return hello


def encode_message(message):
    """Compact UTF-8 JSON; falls back to ASCII escapes for strings holding lone surrogates."""
    try:
        return json.dumps(message, ensure_ascii=False, separators=(",", ":"))
    except UnicodeEncodeError:
        return json.dumps(message, separators=(",", ":"))


def send_message(ws, message):
    data = encode_message(message).encode("utf-8")
    if len(data) > MAX_OUTGOING_BYTES:
        if message.get("type") != "result":
            log(f"dropped a {message.get('type')!r} message of {len(data)} bytes")
            return
        data = encode_message(_too_big_result(message, len(data))).encode("utf-8")
    ws.send_text(data)


def _too_big_result(result, size):
    message = f"output too large to send ({size} bytes of JSON, limit {MAX_OUTGOING_BYTES})"
    return {
        "type": "result",
        "id": result["id"],
        "ok": False,
        "error": {"message": message},
        "durationMs": result.get("durationMs", 0),
    }


def parse_message(text):
    if not isinstance(text, str):
        log("ignored a binary frame")
        return None
    try:
        message = json.loads(text)
    except ValueError:
        log(f"ignored a frame that is not JSON: {text[:80]!r}")
        return None
    if not isinstance(message, dict):
        log(f"ignored a frame that is not a JSON object: {text[:80]!r}")
        return None
    return message


def say_hello(ws, hello):
    """Sends hello and waits for welcome; returns the welcome or raises Refused/ConnectionClosed."""
    ws.set_timeout(HANDSHAKE_TIMEOUT_S)
    try:
        ws.send_text(encode_message(hello))
        while True:
            message = parse_message(ws.receive())
            if message is None:
                continue
            if message.get("type") == "welcome":
                return message
            if message.get("type") == "error":
                raise Refused(str(message.get("code")), str(message.get("message")))
            log(f"ignored {message.get('type')!r} before welcome")
    finally:
        ws.set_timeout(None)



# ── running code ─────────────────────────────────────────────────────────────────────────────


def evaluate_python(code, namespace=None):
    """Runs wrapped Python; its output is what it left in __scriptwright_output__."""
    ns = {"__name__": "__scriptwright__"}
    if namespace:
        ns.update(namespace)
    exec(compile(code, "<scriptwright>", "exec"), ns)
    return ns.get("__scriptwright_output__")


def _checkpoint():
    """A Python-level call: the interpreter delivers a pending async exception on entry."""


def _elapsed_ms(started):
    return round((time.perf_counter() - started) * 1000, 3)


class UnsupportedLanguage(Exception):
    pass


class EvaluationFailed(Exception):
    """An evaluator's own failure report: the message goes back as is, without a Python traceback."""

    def __init__(self, message, raw=None):
        super().__init__(message)
        self.raw = raw


class Runner:
    """Runs one script at a time on the thread that calls `execute` (the runner's main thread).

    `cancel` comes from the socket thread and raises KeyboardInterrupt in the running
    script, but only while that very run is still the current one. A run cancelled while it
    waits its turn (the UI's queue, a busy host) never starts.
    """

    def __init__(self, evaluators):
        # language -> callable(code) returning the output string (or None when nothing came back)
        self._evaluators = evaluators
        self._lock = threading.Lock()
        self._current = None  # (run id, thread id) while a script runs
        self._cancelled = None
        # Ids cancelled when not running: waiting runs, or ones already done (bounded: ids are unique).
        self._cancelled_early = collections.deque(maxlen=64)

    def execute(self, run):
        run_id = run.get("id")
        started = time.perf_counter()
        try:
            with self._lock:
                if run_id in self._cancelled_early:
                    self._cancelled_early.remove(run_id)
                    return _failed_result(run_id, "cancelled by the bridge before it started", None, started)
                self._current = (run_id, threading.get_ident())
                self._cancelled = None
            try:
                output = self._evaluate(run)
            finally:
                with self._lock:
                    self._current = None
            # A cancel that raced the end of the script lands here, still inside this try.
            _checkpoint()
        except BaseException as error:  # SystemExit and KeyboardInterrupt must not end the host
            return self._failure(run_id, error, started)
        if not isinstance(output, str):
            problem = (
                "did not set __scriptwright_output__"
                if output is None
                else f"set __scriptwright_output__ to {type(output).__name__}, not str"
            )
            return _failed_result(run_id, f"the wrapped code {problem}", None, started)
        return {"type": "result", "id": run_id, "ok": True, "output": output, "durationMs": _elapsed_ms(started)}

    def _evaluate(self, run):
        language = run.get("language")
        evaluator = self._evaluators.get(language)
        if evaluator is None:
            raise UnsupportedLanguage(f"this host does not run {language!r} (it runs {', '.join(self._evaluators)})")
        return evaluator(run.get("code"))

    def _failure(self, run_id, error, started):
        if isinstance(error, KeyboardInterrupt) and self._cancelled == run_id:
            message = "cancelled by the bridge"
        elif isinstance(error, (EvaluationFailed, UnsupportedLanguage)):
            return _failed_result(run_id, str(error), getattr(error, "raw", None), started)
        else:
            message = f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
        return _failed_result(run_id, message, traceback.format_exc(), started)

    def cancel(self, run_id):
        """Interrupts the run `run_id` if it is the one running now, else keeps it from starting."""
        with self._lock:
            if self._current is None or self._current[0] != run_id:
                self._cancelled_early.append(run_id)
                return False
            self._cancelled = run_id
            _raise_in_thread(self._current[1], KeyboardInterrupt)
            return True

    def interrupt_current(self):
        with self._lock:
            if self._current is not None:
                self._cancelled = self._current[0]
                _raise_in_thread(self._current[1], KeyboardInterrupt)


def _raise_in_thread(thread_id, exception_type):
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(exception_type))


def _failed_result(run_id, message, raw, started):
    error = {"message": message}
    if raw:
        error["raw"] = raw
    return {"type": "result", "id": run_id, "ok": False, "error": error, "durationMs": _elapsed_ms(started)}


def receive_run(ws, runner):
    """Reads until the next run, handling every other frame on the way. Raises ConnectionClosed."""
    while True:
        run = receive_one(ws, runner)
        if run is not None:
            return run


def receive_one(ws, runner, stop_after_control=False):
    """Reads one frame's worth: returns a run, or handles whatever else came and returns None."""
    data = ws.receive(stop_after_control)
    if data is None:
        return None
    message = parse_message(data)
    if message is None:
        return None
    kind = message.get("type")
    if kind == "run" and isinstance(message.get("id"), str):
        return message
    if kind == "cancel":
        runner.cancel(message.get("id"))
    elif kind == "error":
        log(f"bridge error {message.get('code')}: {message.get('message')}")
    else:
        log(f"ignored a {kind!r} frame")
    return None


def read_loop(ws, runner, on_run):
    """Socket thread: hands runs over in arrival order, handles cancels itself. Returns the close."""
    try:
        while True:
            on_run(receive_run(ws, runner))
    except ConnectionClosed as closed:
        return closed
    except Exception as error:  # a bug here must end the connection, not hang it
        log(f"socket thread failed: {error!r}")
        ws.abort()
        return ConnectionClosed(1006, repr(error))


# ── document events ──────────────────────────────────────────────────────────────────────────


def document_event(document):
    return {"type": "event", "name": "document-changed", "document": document}


# ── token hand-over ──────────────────────────────────────────────────────────────────────────

TOKEN_VARIABLE = "SCRIPTWRIGHT_TOKEN"


def take_token():
    """The token a managed host was handed in its environment, or None; called once at start-up,
    before any script can run. The variable is gone afterwards: scripts and the processes they
    start cannot read it from the environment (a script can still reach this process's memory:
    the bridge redacts the token from whatever comes back)."""
    token = os.environ.get(TOKEN_VARIABLE) or None
    forget_environment_variable(TOKEN_VARIABLE)
    return token


def forget_environment_variable(name):
    """Removes `name` from os.environ and the C environment (unsetenv: children do not inherit
    it), from posix.environ (a copy Python keeps), and on Linux from the environment block the
    process started with, which /proc/self/environ shows and unsetenv leaves as it was."""
    original = _original_environment_entry(name)
    os.environ.pop(name, None)
    try:
        os.unsetenv(name)  # also when it was set after os.environ was made
    except (AttributeError, OSError):
        pass
    for module_name in ("posix", "nt"):
        copy = getattr(sys.modules.get(module_name), "environ", None)
        if isinstance(copy, dict):
            copy.pop(name, None)
            copy.pop(name.encode("ascii"), None)
    if original is not None:
        # After unsetenv, so the C environment no longer points at the entry being blanked.
        ctypes.memset(original[0], 0, original[1])


def _original_environment_entry(name):
    """(address, length) of `name=value` when it lies in the block /proc/self/environ shows;
    None elsewhere (not Linux, not set, or set after start-up). Best effort: never raises."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(None)
        getenv = libc.getenv
        getenv.restype = ctypes.c_void_p
        getenv.argtypes = [ctypes.c_char_p]
        value = getenv(name.encode("ascii"))
        if not value:
            return None
        with open("/proc/self/stat", "rb") as handle:
            fields = handle.read().rpartition(b")")[2].split()
        # Fields 50 and 51 of proc(5)'s /proc/pid/stat; `fields` starts at field 3.
        block_start, block_end = int(fields[47]), int(fields[48])
        start = value - len(name) - 1
        end = value + len(ctypes.string_at(value))
        if block_start <= start and end <= block_end:
            return start, end - start
    except (OSError, ValueError, IndexError, AttributeError) as error:
        log(f"cannot find {name} in the process environment block: {error!r}")
    return None


# ── bridge discovery ─────────────────────────────────────────────────────────────────────────


def data_dir(override=""):
    if override:
        return os.path.expanduser(override)
    return os.environ.get("SCRIPTWRIGHT_HOME") or os.path.join(os.path.expanduser("~"), ".scriptwright")


def discover_bridge(directory):
    """(host WebSocket URL, token) from bridge.json, or raises LookupError saying why."""
    path = os.path.join(directory, "bridge.json")
    try:
        with open(path, encoding="utf-8") as handle:
            info = json.load(handle)
    except FileNotFoundError:
        raise LookupError(f"no bridge running (no {path})") from None
    except (OSError, ValueError) as error:
        raise LookupError(f"cannot read {path}: {error}") from None
    if not isinstance(info, dict) or not isinstance(info.get("token"), str):
        raise LookupError(f"{path} is not a bridge file")
    try:
        url = host_socket_url(info)
    except (TypeError, ValueError):
        raise LookupError(f"{path} has no usable url or port") from None
    return require_loopback(url), info["token"]


def host_socket_url(info):
    url = info.get("url")
    if isinstance(url, str) and url.startswith(("http://", "ws://")):
        return f"ws://{urlsplit(url).netloc}/ws/host"
    return f"ws://127.0.0.1:{int(info.get('port'))}/ws/host"


_LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


def require_loopback(url):
    """The token travels in clear text: it may only go to this machine (the bridge binds 127.0.0.1)."""
    host = urlsplit(url).hostname
    if host not in _LOOPBACK_HOSTS:
        raise ValueError(f"refusing to send the token to {host!r}: the bridge URL must be loopback")
    return url


# ── headless mode ────────────────────────────────────────────────────────────────────────────


def parse_args(args, prog):
    parser = argparse.ArgumentParser(prog=prog, add_help=True)
    parser.add_argument("--bridge", help="ws://127.0.0.1:PORT/ws/host (default: from bridge.json)")
    parser.add_argument("--name", default=None, help="host name shown by `scriptwright hosts`")
    parser.add_argument("--instance", default=None, help="id the bridge gave this managed process")
    parser.add_argument("--data-dir", default="", help="where bridge.json is (default: $SCRIPTWRIGHT_HOME)")
    return parser


def bridge_target(options, token):
    """(URL, token) to connect to: --bridge with the token handed over, else bridge.json's."""
    if options.bridge and token:
        return require_loopback(options.bridge), token
    try:
        url, discovered_token = discover_bridge(data_dir(options.data_dir))
    except LookupError as error:
        if options.bridge:
            raise LookupError(f"SCRIPTWRIGHT_TOKEN is not set, and {error}") from None
        raise
    return require_loopback(options.bridge or url), token or discovered_token


class _Refused(Exception):
    """The bridge said no (bad token, protocol mismatch): trying again would not help."""


def _connect(options, info, token):
    """(ws, hello, url) once connected and welcomed. Raises LookupError/ValueError (no bridge
    to connect to), _Refused, or OSError/ConnectionClosed (the connection failed)."""
    url, token = bridge_target(options, token)
    try:
        ws = WebSocket.connect(url)
        hello = make_hello(info, token, options.name or info.default_name(), info.current_document(), options.instance)
        welcome = say_hello(ws, hello)
    except Refused as refused:
        raise _Refused(f"the bridge refused this host: {refused}") from None
    except (OSError, ValueError, ConnectionClosed) as error:
        raise OSError(f"cannot connect to {url}: {error}") from None
    log(f"connected to {url} as {hello['name']} (host {welcome.get('hostId')})")
    return ws, hello


def connect_and_serve(options, info, evaluators, token=None):
    """Connects as `info` and serves runs on the calling thread until the bridge goes away.

    `options` comes from `parse_args(...).parse_args()`; `token` is what `take_token()` gave
    at start-up (a runner that starts other processes first takes it before it does; None:
    taken now, else bridge.json's). Returns the process exit code: 0 the bridge closed
    normally, 1 the connection failed or was lost, 2 refused / no bridge.
    """
    token = token or take_token()
    try:
        ws, hello = _connect(options, info, token)
    except (LookupError, ValueError) as error:
        log(f"no bridge to connect to: {error}")
        return EXIT_REFUSED
    except _Refused as refused:
        log(str(refused))
        return EXIT_REFUSED
    except OSError as error:
        log(str(error))
        return EXIT_CONNECTION_LOST
    return serve(ws, Runner(evaluators), DocumentReporter(ws, info, hello["document"]))


def keep_serving(options, info, evaluators, sleep=time.sleep, token=None):
    """For runners a person starts and leaves running: serves, and whenever the bridge is not
    there (not started yet, stopped, restarted with a new port and token) finds it again
    through bridge.json, with backoff. Ends only when the bridge refuses the host (returns 2)
    or on Ctrl-C. `token` as for connect_and_serve."""
    token = token or take_token()
    delay = RECONNECT_FIRST_S
    waiting_said = False
    while True:
        try:
            ws, hello = _connect(options, info, token)
        except _Refused as refused:
            log(str(refused))
            return EXIT_REFUSED
        except (LookupError, ValueError, OSError) as error:
            if not waiting_said:
                log(f"waiting for the bridge ({error}); retrying until it is back (Ctrl-C stops)")
                waiting_said = True
            sleep(delay)
            delay = min(delay * 2, RECONNECT_MAX_S)
            continue
        waiting_said = False
        delay = RECONNECT_FIRST_S
        serve(ws, Runner(evaluators), DocumentReporter(ws, info, hello["document"]))


class DocumentReporter:
    """After each run, sends `document-changed` when the runner's open document is another one
    (a script opened a file or saved under a new name)."""

    def __init__(self, ws, info, document):
        self._ws = ws
        self._info = info
        self._last = document

    def __call__(self):
        try:
            document = self._info.current_document()
        except Exception as error:  # the app may be gone; the next run will say so
            log(f"cannot read the open document: {error!r}")
            return
        if document != self._last:
            self._last = document
            send_quietly(self._ws, document_event(document))


def serve(ws, runner, after_run=None):
    """The calling thread reads the socket itself between runs: no thread handoff per run."""
    watcher = BusyWatcher(ws, runner)
    while True:
        try:
            run = watcher.take_run() or receive_run(ws, runner)
        except ConnectionClosed as closed:
            return _exit_code(closed)
        watcher.run_started()
        result = runner.execute(run)
        if after_run is not None:
            # Before the result, so whoever waits for the result sees the new document already.
            after_run()
        send_quietly(ws, result)
        closed = watcher.run_finished()
        if closed is not None:
            return _exit_code(closed)


def _exit_code(closed):
    log(f"bridge {closed}")
    return EXIT_NORMAL_CLOSE if closed.normal else EXIT_CONNECTION_LOST


class BusyWatcher:
    """Reads the socket while a long script holds the main thread (headless mode).

    Between runs the main thread reads the socket itself. A run still going after
    TAKEOVER_S hands the socket to this thread, which answers pings (how the bridge tells
    busy from dead), applies cancels, queues further runs and notices a lost bridge, until
    the run ends and the main thread takes the socket back.
    """

    TAKEOVER_S = 0.02
    IDLE, RUNNING, WATCHING, RECLAIMING = range(4)

    def __init__(self, ws, runner):
        self._ws = ws
        self._runner = runner
        self._lock = threading.Lock()
        self._state = self.IDLE
        self._since = 0.0
        self._runs = collections.deque()  # runs read while watching, in arrival order
        self._closed = None
        self._released = threading.Event()
        self._wake_reader, self._wake_writer = socket.socketpair()
        threading.Thread(target=self._tick_loop, name="scriptwright-watcher", daemon=True).start()

    def take_run(self):
        return self._runs.popleft() if self._runs else None

    def run_started(self):
        with self._lock:
            self._state = self.RUNNING
            self._since = time.monotonic()

    def run_finished(self):
        """Takes the socket back; returns the ConnectionClosed the watcher saw, if any."""
        with self._lock:
            taken_over = self._state == self.WATCHING
            self._state = self.RECLAIMING if taken_over else self.IDLE
        if taken_over:
            self._wake_writer.send(b"!")
            self._released.wait()
            self._released.clear()
        return self._closed

    def _tick_loop(self):
        # Polling keeps the per-run path free of any cross-thread signal.
        while True:
            time.sleep(self.TAKEOVER_S)
            with self._lock:
                if self._state != self.RUNNING or time.monotonic() - self._since < self.TAKEOVER_S:
                    continue
                self._state = self.WATCHING
            self._watch()
            with self._lock:
                self._state = self.IDLE
            self._released.set()

    def _watch(self):
        while self._closed is None:
            if not self._ws.has_buffered_bytes:
                readable, _, _ = select.select([self._ws, self._wake_reader], [], [])
                if self._wake_reader in readable:
                    self._wake_reader.recv(64)
                    if self._state == self.RECLAIMING:
                        return
                    continue
            try:
                # One frame at a time, so a reclaim is never stuck behind a blocking read.
                run = receive_one(self._ws, self._runner, stop_after_control=True)
                if run is not None:
                    self._runs.append(run)
            except ConnectionClosed as closed:
                self._closed = closed
                self._runner.interrupt_current()  # nobody is left to receive the result
        self._wait_for_reclaim()

    def _wait_for_reclaim(self):
        while self._state != self.RECLAIMING:
            self._wake_reader.recv(64)


def send_quietly(ws, message):
    """A failed send means the socket is gone; the socket thread reports that."""
    try:
        send_message(ws, message)
    except OSError as error:
        log(f"send failed: {error}")
