"""A private headless LibreOffice for one runner: started, watched, and never left behind.

`soffice` is a launcher script (and `oosplash` a launcher binary); the process that matters
is `soffice.bin`, so it is started directly: with its own profile (a second soffice on a
profile in use hands its arguments to the first and exits), in its own process group, and
killed with that group when the runner ends. A fresh profile makes soffice.bin exit with 81
("restart") once after initialising it, as oosplash would handle, so it is started again.

If the runner is killed outright (SIGKILL from the bridge's supervisor when a script hangs),
two things take soffice down with it: on Linux the kernel (prctl PR_SET_PDEATHSIG), and on
every platform a small watchdog process that waits for the runner's end of a pipe to close.
"""

import ctypes
import ctypes.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

RESTART_EXIT_CODE = 81
PR_SET_PDEATHSIG = 1

# Started with the runner's Python; reads until the runner's end of its stdin pipe closes,
# then kills soffice's process group and removes the profile (the runner could not).
_WATCHDOG = r"""
import os, shutil, signal, sys, time
pid, profile = int(sys.argv[1]), sys.argv[2]
sys.stdin.buffer.read()
try:
    if hasattr(os, "killpg"):
        os.killpg(pid, signal.SIGKILL)
    else:
        os.kill(pid, signal.SIGTERM)
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


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _die_with_parent():
    """Runs in the child before exec (Linux): SIGKILL it when the runner's thread that started it dies."""
    libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _listening(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.2):
            return True
    except OSError:
        return False


class Office:
    """One soffice.bin with its own profile, accepting UNO connections on 127.0.0.1:port."""

    def __init__(self, soffice, timeout=45.0, use_pdeathsig=None):
        self.binary = soffice_binary(soffice)
        self.profile = tempfile.mkdtemp(prefix="scriptwright-lo-")
        self.port = free_port()
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
            f"--accept=socket,host=127.0.0.1,port={self.port};urp;",
        ]

    def _spawn(self):
        options = {"stdin": subprocess.DEVNULL, "stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
        if os.name == "posix":
            options["start_new_session"] = True
            if self._use_pdeathsig:
                options["preexec_fn"] = _die_with_parent
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
        while not _listening(self.port):
            code = self.process.poll()
            if code == RESTART_EXIT_CODE:
                self._spawn()
            elif code is not None:
                raise StartError(f"{self.binary} exited with code {code} before accepting connections")
            if time.monotonic() > deadline:
                raise StartError(f"{self.binary} did not accept connections on port {self.port} within {timeout:g} s")
            time.sleep(0.05)

    @property
    def pid(self):
        return self.process.pid if self.process else None

    def alive(self):
        return self.process is not None and self.process.poll() is None

    def stop(self):
        """Kills soffice (its whole process group) and removes the profile. Safe to call twice."""
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
        shutil.rmtree(self.profile, ignore_errors=True)
