"""Where the runner's UNO connection to soffice goes, and making sure only this user can open it.

Anyone who can connect to an office's UNO acceptor can make it run commands as its user
(com.sun.star.system.SystemShellExecute), and a TCP port on 127.0.0.1 is open to every local
user. So a managed office accepts on a UNO pipe instead: a unix socket that LibreOffice's sal
creates at /tmp/OSL_PIPE_<uid>_<name> (/var/tmp when /tmp is not writable), with the mode the
office's umask leaves. Connecting to a unix socket needs write permission on it: with group
and other write bits off, only this user (and root) can. A socket found there that another
user owns, or that is group/other writable, may be a squatter's: the runner refuses it.

On Windows the pipe is a named pipe that LibreOffice creates with its user's default
security; the socket-file checks do not apply there.
"""

import os
import re
import secrets
import stat
from dataclasses import dataclass

PIPE_PREFIX = "OSL_PIPE_"
# sal's choice of directory for pipes, in its order (its last resort, the OSL_SOCKET_PATH
# bootstrap variable, is used only when neither is writable).
_PIPE_DIRS = ("/tmp", "/var/tmp")
_PIPE_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,64}$")


class ChannelError(Exception):
    """The office's UNO pipe is missing, or is not one only this user can open (refused)."""


@dataclass(frozen=True)
class UnoTarget:
    """A UNO connection description: `pipe,name=N` or `socket,host=H,port=P`."""

    description: str
    pipe_name: str = ""

    @property
    def url(self):
        return f"uno:{self.description};urp;StarOffice.ComponentContext"

    def __str__(self):
        return f"pipe {self.pipe_name}" if self.pipe_name else self.description


def new_pipe_name():
    """Random, so no other user can create the socket before the office does."""
    return "scriptwright_" + secrets.token_hex(16)


def pipe_target(name):
    if not _PIPE_NAME.match(name):
        raise ValueError(f"a pipe name is 1 to 64 letters, digits, '_', '.' or '-', got {name!r}")
    return UnoTarget(f"pipe,name={name}", name)


def parse_connect(value):
    """`--connect pipe:NAME` (a soffice started with --accept=pipe,name=NAME;urp;) or HOST:PORT."""
    if value.startswith("pipe:"):
        return pipe_target(value[len("pipe:") :])
    host, _, port = value.rpartition(":")
    if not port.isdigit() or not 0 < int(port) < 65536:
        raise ValueError(f"--connect takes HOST:PORT or pipe:NAME, got {value!r}")
    return UnoTarget(f"socket,host={host or '127.0.0.1'},port={int(port)}")


def pipe_path(name):
    """The socket file a UNO pipe of this user's is at, or None where pipes are not files."""
    if os.name != "posix":
        return None
    directory = next((d for d in _PIPE_DIRS if os.access(d, os.W_OK)), None)
    if directory is None:
        directory = os.environ.get("OSL_SOCKET_PATH", "")
    return f"{directory}/{PIPE_PREFIX}{os.getuid()}_{name}"


def pipe_exists(name):
    path = pipe_path(name)
    if path is not None:
        return os.path.lexists(path)
    try:
        return any(entry.endswith("_" + name) for entry in os.listdir("\\\\.\\pipe\\"))
    except OSError:
        return False


def check_private(target):
    """Raises ChannelError unless the target's socket exists, is this user's and no one else may write it.

    A TCP target passes unchecked: it is what a person asked for with --connect HOST:PORT."""
    path = pipe_path(target.pipe_name) if target.pipe_name else None
    if path is None:
        return
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise ChannelError(f"no UNO pipe at {path}: is soffice running with --accept=pipe,name={target.pipe_name};urp;?") from None
    if not stat.S_ISSOCK(info.st_mode):
        raise ChannelError(f"refusing {path}: it is not a socket")
    if info.st_uid != os.getuid():
        raise ChannelError(f"refusing {path}: it belongs to uid {info.st_uid}, not this user ({os.getuid()})")
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        mode = stat.S_IMODE(info.st_mode)
        raise ChannelError(f"refusing {path}: other users may connect to it (mode {mode:o}); start soffice with umask 022 or stricter")


def remove_pipe(name):
    """Removes the socket file of a pipe whose office was killed (it cannot remove it itself):
    only a socket of this user's, never what another user put at that path."""
    path = pipe_path(name)
    try:
        info = os.lstat(path) if path else None
        if info and stat.S_ISSOCK(info.st_mode) and info.st_uid == os.getuid():
            os.unlink(path)
    except OSError:
        pass
