"""A private headless LibreOffice for one runner: started, watched, and never left behind.

`soffice` is a launcher script (and `oosplash` a launcher binary); the process that matters
is `soffice.bin`, so it is started directly: with its own profile (a second soffice on a
profile in use hands its arguments to the first and exits), in its own process group, and
killed with that group when the runner ends. A fresh profile makes soffice.bin exit with 81
("restart") once after initialising it, as oosplash would handle, so it is started again.

If the runner is killed outright (SIGKILL from the bridge's supervisor when a script hangs),
two things take soffice down with it: on Linux the kernel (prctl PR_SET_PDEATHSIG), and on
every platform a small watchdog process that waits for the runner's end of a pipe to close.

It accepts UNO connections on a pipe only this user can open (see uno_channel), never on a
TCP port. The pipe's random name is set in the private profile's configuration
(ooSetupConnectionURL), so it is not in the command line that every local user can read.
"""

import ctypes
import ctypes.util
import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

import uno_channel

RESTART_EXIT_CODE = 81
PR_SET_PDEATHSIG = 1
# Added to the runner's umask for soffice: the UNO pipe (and anything else the office creates)
# is then never group/other writable, and no other user can connect. Only write bits: a
# document a script saves keeps the read permissions the user's umask gives (0644 under 022),
# where 077 would make every saved file private (0600), unlike the user's other programs'.
SOFFICE_UMASK_BITS = 0o022

# What a fresh profile starts with: the office accepts UNO connections on this pipe.
_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupConnectionURL" oor:op="fuse"><value>{accept}</value></prop></item>
</oor:items>
"""

# Started with the runner's Python; reads the UNO pipe's socket file name from its stdin (not
# argv, which any user can read), then waits until the runner's end of that pipe closes, kills
# soffice's process group and removes the profile and the socket file (the runner could not).
_WATCHDOG = r"""
import os, shutil, signal, stat, sys, time
pid, profile = int(sys.argv[1]), sys.argv[2]
socket_file = sys.stdin.buffer.readline().decode("utf-8").strip()
sys.stdin.buffer.read()
try:
    if hasattr(os, "killpg"):
        os.killpg(pid, signal.SIGKILL)
    else:
        os.kill(pid, signal.SIGTERM)
except OSError:
    pass
try:
    info = os.lstat(socket_file) if socket_file else None
    if info and stat.S_ISSOCK(info.st_mode) and info.st_uid == os.getuid():
        os.unlink(socket_file)
except OSError:
    pass
for _ in range(20):
    shutil.rmtree(profile, ignore_errors=True)
    if not os.path.exists(profile):
        break
    time.sleep(0.25)
"""


class StartError(Exception):
    pass


def soffice_binary(soffice):
    """soffice.bin next to the (symlink-resolved) launcher when there is one, else the launcher."""
    real = os.path.realpath(soffice)
    candidate = os.path.join(os.path.dirname(real), "soffice.bin")
    return candidate if os.path.isfile(candidate) else real


def _prepare_child(die_with_parent):
    """Runs in the child before exec (POSIX): the umask, and with `die_with_parent` (Linux) a
    SIGKILL when the runner's thread that started it dies."""
    os.umask(os.umask(0o077) | SOFFICE_UMASK_BITS)
    if die_with_parent:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def write_profile_settings(profile, accept):
    """Settings a fresh profile starts with: soffice reads them before it creates its acceptors."""
    user = os.path.join(profile, "user")
    os.makedirs(user, exist_ok=True)
    with open(os.path.join(user, "registrymodifications.xcu"), "w", encoding="utf-8") as handle:
        handle.write(_PROFILE_SETTINGS.format(accept=escape(accept)))


class Office:
    """One soffice.bin with its own profile, accepting UNO connections on a private pipe (`target`)."""

    def __init__(self, soffice, timeout=45.0, use_pdeathsig=None):
        self.binary = soffice_binary(soffice)
        # mkdtemp: mode 0700, so the profile (and the pipe's name in it) is this user's alone.
        self.profile = tempfile.mkdtemp(prefix="scriptwright-lo-")
        self.target = uno_channel.pipe_target(uno_channel.new_pipe_name())
        write_profile_settings(self.profile, f"{self.target.description};urp;StarOffice.ComponentContext")
        self.process = None
        self._watchdog = None
        if use_pdeathsig is None:
            use_pdeathsig = sys.platform.startswith("linux") and not os.environ.get("SCRIPTWRIGHT_LIBREOFFICE_NO_PDEATHSIG")
        self._use_pdeathsig = use_pdeathsig
        try:
            self._start(timeout)
        except BaseException:
            self.stop()
            raise

    def arguments(self):
        return [
            self.binary,
            "-env:UserInstallation=" + Path(self.profile).as_uri(),
            "--headless",
            "--invisible",
            "--norestore",
            "--nologo",
            "--nodefault",
            "--nolockcheck",
            "--nofirststartwizard",
        ]

    def _spawn(self):
        options = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        if os.name == "posix":
            options["start_new_session"] = True
            options["preexec_fn"] = functools.partial(_prepare_child, self._use_pdeathsig)
        else:
            options["creationflags"] = subprocess.CREATE_NEW_PROCESS_GROUP
        self.process = subprocess.Popen(self.arguments(), **options)
        self._start_watchdog()

    def _start_watchdog(self):
        self._stop_watchdog()
        options = {"stdin": subprocess.PIPE, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        if os.name == "posix":
            # Its own session: a Ctrl-C aimed at the runner's group must not end the watchdog first.
            options["start_new_session"] = True
        self._watchdog = subprocess.Popen([sys.executable, "-c", _WATCHDOG, str(self.process.pid), self.profile], **options)
        self._watchdog.stdin.write((uno_channel.pipe_path(self.target.pipe_name) or "").encode("utf-8") + b"\n")
        self._watchdog.stdin.flush()

    def _stop_watchdog(self):
        if self._watchdog is None:
            return
        watchdog, self._watchdog = self._watchdog, None
        try:
            watchdog.kill()
            watchdog.wait(5)
        except OSError:
            pass
        try:
            watchdog.stdin.close()
        except OSError:
            pass

    def _start(self, timeout):
        deadline = time.monotonic() + timeout
        self._spawn()
        while True:
            code = self.process.poll()
            if code is None and uno_channel.pipe_exists(self.target.pipe_name):
                return
            if code == RESTART_EXIT_CODE:
                self._spawn()
            elif code is not None:
                raise StartError(f"{self.binary} exited with code {code} before accepting connections")
            if time.monotonic() > deadline:
                raise StartError(f"{self.binary} did not accept connections on its UNO pipe within {timeout:g} s")
            time.sleep(0.05)

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """Kills soffice (its whole process group), removes the profile and the pipe's socket file.
        Safe to call twice."""
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            try:
                if os.name == "posix":
                    os.killpg(process.pid, signal.SIGKILL)
                else:
                    process.kill()
            except OSError:
                pass
        if process is not None:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                pass
        self._stop_watchdog()
        uno_channel.remove_pipe(self.target.pipe_name)
        shutil.rmtree(self.profile, ignore_errors=True)
