"""Runs learner code in a child process with a wall-time limit, a memory limit and an output cap.

The grader talks to the child over two pipes with plain-data frames (grader/worker/protocol.py).
Anything the child does wrong (dies, hangs, floods output, exits, sends garbage) becomes a
SandboxBreach with a message for the learner; an exception in learner code becomes a LearnerError.
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from grader.paths import PACKAGE_ROOT, WORKER_DIR, configure_numba_cache
from grader.worker.protocol import FrameReader, ProtocolError, encode

OUTPUT_CAP = 1024 * 1024  # bytes of learner output kept; more than this ends the run
SIGNAL_HELP = {
    signal.SIGSEGV: "a segmentation fault: usually an out-of-bounds index in an @njit or CUDA kernel",
    signal.SIGBUS: "a bus error: usually an out-of-bounds index in an @njit or CUDA kernel",
    signal.SIGKILL: "killed (SIGKILL), often by the system when memory ran out",
    signal.SIGABRT: "aborted (SIGABRT)",
    signal.SIGFPE: "a floating-point exception (SIGFPE)",
    signal.SIGXCPU: "the CPU time limit (SIGXCPU)",
}


_LIVE: set[LearnerProcess] = set()
_LIVE_LOCK = threading.Lock()


def kill_all() -> None:
    """Kill every learner process still running (the app quits mid-check, or the CLI exits)."""
    with _LIVE_LOCK:
        live = list(_LIVE)
    for proc in live:
        proc.close()


atexit.register(kill_all)


def _become_subreaper() -> bool:
    """Orphans of learner code (double forks, setsid) are re-parented to us instead of init, so
    _reap_orphans can end them. Linux only; elsewhere the process group and RLIMIT_CPU remain."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(36, 1, 0, 0, 0) == 0  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        return False


_SUBREAPER = _become_subreaper()


def _reap_orphans() -> None:
    """Kill learner orphans re-parented to us: our children that lead their own session (setsid)
    and are not a live worker. Editors or other tools we start share our session and are spared."""
    if not _SUBREAPER:
        return
    with _LIVE_LOCK:  # held throughout: no worker starts while we decide what is an orphan
        _reap_orphans_locked({p._proc.pid for p in _LIVE if p._proc is not None})


def _reap_orphans_locked(workers: set[int]) -> None:
    me = os.getpid()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            pid, ppid, sid = int(stat.parent.name), int(fields[1]), int(fields[3])
        except (OSError, IndexError, ValueError):
            continue
        if ppid == me and sid == pid and pid not in workers:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(pid, signal.SIGKILL)
            with contextlib.suppress(ChildProcessError, OSError):
                os.waitpid(pid, os.WNOHANG)


class SandboxBreach(Exception):
    """The learner's process broke the rules or died; the whole exercise scores 0."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind  # timeout | crashed | exited | output | protocol | memory | base_exception | import
        self.message = message


@dataclass
class LearnerError(Exception):
    """Learner code raised an ordinary exception during one call."""

    type: str
    message: str
    traceback: str

    def __str__(self) -> str:
        return f"{self.type}: {self.message}"

    @property
    def not_implemented(self) -> bool:
        return self.type == "NotImplementedError"


def cuda_mode() -> str:
    """'gpu' where an NVIDIA GPU is visible, else 'sim' (Numba's CUDA simulator).
    GRADSCHOOL_CUDA=gpu|sim overrides."""
    forced = os.environ.get("GRADSCHOOL_CUDA")
    if forced in {"gpu", "sim"}:
        return forced
    if os.path.exists("/dev/nvidia0") or shutil.which("nvidia-smi"):
        return "gpu"
    return "sim"


@functools.cache
def _gpu_name() -> str:
    """The first GPU's name from nvidia-smi (asked here, in the grader: the learner process is untrusted)."""
    try:
        out = subprocess.run(["nvidia-smi", "--query-gpu=name", "--format=csv,noheader"], capture_output=True,
                             text=True, timeout=10, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return "(name unknown)"
    names = [line.strip() for line in out.splitlines() if line.strip()]
    return names[0] if names else "(name unknown)"


def cuda_device_label(mode: str | None = None) -> str:
    """Where CUDA checks run, for reports: "CUDA simulator" or "GPU <name>"."""
    return "CUDA simulator" if (mode or cuda_mode()) == "sim" else f"GPU {_gpu_name()}"


def _child_env(cuda: str) -> dict[str, str]:
    configure_numba_cache()
    keep = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "NUMBA_CACHE_DIR", "CUDA_HOME", "CUDA_PATH",
            "LD_LIBRARY_PATH", "NUMBA_CUDA_DRIVER", "CUDA_VISIBLE_DEVICES", "SYSTEMROOT")
    env = {k: os.environ[k] for k in keep if k in os.environ}
    env["OMP_NUM_THREADS"] = env["OPENBLAS_NUM_THREADS"] = env["MKL_NUM_THREADS"] = "1"
    env["NUMBA_NUM_THREADS"] = "1"
    # Out-of-bounds indexing in learner @njit code raises IndexError instead of corrupting memory.
    env["NUMBA_BOUNDSCHECK"] = "1"
    if cuda == "sim":
        env["NUMBA_ENABLE_CUDASIM"] = "1"
    return env


class LearnerProcess:
    """One child process for one exercise: `setup` imports the learner module, `call` runs a function."""

    def __init__(self, workspace_root: Path, *, time_limit: float, memory_mb: int,
                 output_cap: int = OUTPUT_CAP) -> None:
        self.workspace_root = workspace_root
        self.time_limit = time_limit
        self.memory_mb = memory_mb
        self.output_cap = output_cap
        self.output = bytearray()
        self.output_total = 0
        self.deadline = time.monotonic() + time_limit
        self.current_step = "starting"
        self._reader = FrameReader()
        self._proc: subprocess.Popen | None = None
        self._cwd = tempfile.mkdtemp(prefix="gradschool-run-")
        self._closed = False
        self._start()

    # -- lifecycle -----------------------------------------------------------------------------

    def _start(self) -> None:
        req_r, req_w = os.pipe()
        rep_r, rep_w = os.pipe()
        out_r, out_w = os.pipe()
        cuda = self.cuda = cuda_mode()
        # A CUDA context on a real GPU reserves far more address space than any sane RLIMIT_AS,
        # so there the limit is on resident memory instead, watched from here (_check_memory).
        self._watch_rss = cuda == "gpu" and os.path.exists("/proc/self/statm")
        address_limit = 0 if self._watch_rss else self.memory_mb
        # -I ignores PYTHON* variables, so: -u (output reaches us even if the process dies) and -B
        # (nothing written into the workspace). Learner files are always compiled from source (child.py).
        argv = [sys.executable, "-I", "-u", "-B",
                str(WORKER_DIR / "child.py"), str(req_r), str(rep_w),
                str(address_limit), str(self.workspace_root), str(PACKAGE_ROOT),
                str(int(self.time_limit * 2) + 10)]  # CPU seconds: also ends forks that escaped the group
        try:
            with _LIVE_LOCK:  # registered before any _reap_orphans can see it
                self._proc = subprocess.Popen(
                    argv, stdin=subprocess.DEVNULL, stdout=out_w, stderr=out_w, pass_fds=(req_r, rep_w),
                    cwd=self._cwd, env=_child_env(cuda), start_new_session=True, close_fds=True,
                )
                _LIVE.add(self)
        finally:
            for fd in (req_r, rep_w, out_w):
                os.close(fd)
        self._req_w, self._rep_r, self._out_r = req_w, rep_r, out_r
        for fd in (req_w, rep_r, out_r):
            os.set_blocking(fd, False)
        self._selector = selectors.DefaultSelector()
        self._selector.register(rep_r, selectors.EVENT_READ, "reply")
        self._selector.register(out_r, selectors.EVENT_READ, "output")

    def close(self) -> None:
        with _LIVE_LOCK:
            if self._closed:
                return
            self._closed = True
            _LIVE.discard(self)
        if self._proc is not None and self._proc.poll() is None:
            self._kill()
        self._drain_output()
        _reap_orphans()
        for fd in (self._req_w, self._rep_r, self._out_r):
            with contextlib.suppress(OSError):
                os.close(fd)
        self._selector.close()
        shutil.rmtree(self._cwd, ignore_errors=True)

    def __enter__(self) -> LearnerProcess:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _kill(self) -> None:
        assert self._proc is not None
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self._proc.pid, signal.SIGKILL)  # the whole group: forks die with it
        with contextlib.suppress(subprocess.TimeoutExpired):
            self._proc.wait(timeout=5)

    @property
    def cuda_device(self) -> str:
        """Where this process runs CUDA kernels: "CUDA simulator" or "GPU <name>"."""
        return cuda_device_label(self.cuda)

    @property
    def printed(self) -> str:
        text = self.output.decode("utf-8", errors="replace")
        if self.output_total > len(self.output):
            text += f"\n… ({self.output_total - len(self.output)} more bytes not shown)"
        return text

    # -- requests ------------------------------------------------------------------------------

    def setup(self, import_root: Path, module: str, probe_source: str | None = None) -> list[str]:
        self.current_step = f"importing {module}"
        reply = self._roundtrip({"op": "setup", "import_root": str(import_root), "module": module,
                                 "probe_source": probe_source})
        return list(reply.get("names", []))

    def call(self, fn: str, *args, **kwargs):
        """Run fn(*args, **kwargs) in the learner's process; returns (result, mutated arg indices)."""
        reply = self._roundtrip({"op": "call", "fn": fn, "args": list(args), "kwargs": kwargs})
        mutated = reply.get("mutated", [])
        if not isinstance(mutated, list) or not all(isinstance(i, int) for i in mutated):
            raise self._breach("protocol", "The worker sent a malformed reply.")
        return reply.get("result"), mutated

    def _roundtrip(self, request: dict):
        request["id"] = secrets.token_hex(8)
        self._send(encode(request))
        reply = self._receive()
        if isinstance(reply, dict) and reply.get("id") != request["id"]:
            raise self._breach("protocol", "The learner process sent a reply the grader did not ask for (while "
                                           f"{self.current_step}): exercise code must not write to the "
                                           "grader's channel.")
        if not isinstance(reply, dict) or not isinstance(reply.get("ok"), bool):
            raise self._breach("protocol", "The learner process sent a reply the grader does not understand "
                                           "(did the code write to the grader's channel or patch the worker?).")
        if not reply["ok"]:
            error = reply.get("error")
            if not isinstance(error, dict):
                raise self._breach("protocol", "The learner process sent a malformed error report.")
            kind = str(error.get("type", "Exception"))
            message = str(error.get("message", ""))
            trace = str(error.get("traceback", ""))
            if kind == "MemoryError":
                raise self._breach("memory", f"Your code ran out of memory (the limit is {self.memory_mb} MB) "
                                             f"while {self.current_step}.\n{trace}")
            if error.get("base") is True:
                what = "called sys.exit()/exit()/quit()" if kind == "SystemExit" else f"raised {kind}"
                raise self._breach("base_exception",
                                   f"Your code {what} while {self.current_step}. Exercise code must return its "
                                   f"result, not exit or raise BaseException.\n{trace}")
            raise LearnerError(kind, message, trace)
        return reply

    def _breach(self, kind: str, message: str) -> SandboxBreach:
        self._kill()
        return SandboxBreach(kind, message)

    def _remaining(self) -> float:
        return self.deadline - time.monotonic()

    def _timeout(self) -> SandboxBreach:
        return self._breach(
            "timeout",
            f"Your code did not finish within the exercise's time limit of {self.time_limit:g} s "
            f"(while {self.current_step}). Look for an infinite loop, or a loop over far more "
            f"elements than needed.",
        )

    def _check_memory(self) -> None:
        assert self._proc is not None
        try:
            pages = int(Path(f"/proc/{self._proc.pid}/statm").read_text().split()[1])
        except (OSError, ValueError, IndexError):
            return
        if pages * os.sysconf("SC_PAGE_SIZE") > self.memory_mb * 1024 * 1024:
            raise self._breach("memory", f"Your code used more than {self.memory_mb} MB of memory while "
                                         f"{self.current_step}.")

    def _pump(self, timeout: float) -> None:
        """Wait for output or reply bytes, up to timeout seconds."""
        if self._watch_rss:
            self._check_memory()
        for key, _ in self._selector.select(timeout=max(0.0, min(timeout, 0.25))):
            try:
                data = os.read(key.fd, 1 << 20)
            except BlockingIOError:
                continue
            if key.data == "output":
                if not data:
                    self._selector.unregister(key.fd)
                    continue
                self.output_total += len(data)
                room = self.output_cap - len(self.output)
                if room > 0:
                    self.output += data[:room]
                if self.output_total > self.output_cap:
                    raise self._breach(
                        "output",
                        f"Your code printed more than {self.output_cap // 1024} KiB of output (while "
                        f"{self.current_step}). Remove print calls inside loops.",
                    )
            elif not data:
                raise self._died()
            else:
                self._reader.feed(data)

    def _drain_output(self) -> None:
        """Read what the process printed before it ended (up to the cap): it helps the learner most then."""
        while len(self.output) < self.output_cap:
            try:
                data = os.read(self._out_r, 1 << 16)
            except (BlockingIOError, OSError):
                return
            if not data:
                return
            self.output_total += len(data)
            self.output += data[: self.output_cap - len(self.output)]

    def _died(self) -> SandboxBreach:
        assert self._proc is not None
        try:
            code = self._proc.wait(timeout=2)
            self._drain_output()
        except subprocess.TimeoutExpired:
            return self._breach("protocol", f"Your code closed the grader's channel while {self.current_step}.")
        if code < 0:
            sig = signal.Signals(-code)
            why = SIGNAL_HELP.get(sig, f"signal {sig.name}")
            return SandboxBreach("crashed", f"Your code crashed the worker process with {why} "
                                            f"(while {self.current_step}).")
        return SandboxBreach(
            "exited",
            f"The worker process ended with exit code {code} while {self.current_step}: does your code call "
            f"sys.exit(), os._exit() or exit()? Exercise code must return its result instead.",
        )

    def _send(self, data: bytes) -> None:
        view = memoryview(data)
        while view:
            if self._remaining() <= 0:
                raise self._timeout()
            try:
                written = os.write(self._req_w, view)
                view = view[written:]
            except BlockingIOError:
                self._pump(0.01)
            except BrokenPipeError:
                raise self._died() from None

    def _receive(self):
        while True:
            try:
                frame = self._reader.next_frame()
            except ProtocolError as exc:
                raise self._breach("protocol", f"The learner process sent something that is not a grader reply "
                                               f"({exc}); did the code write to file descriptors it does not "
                                               f"own?") from None
            if frame is not None:
                return frame
            remaining = self._remaining()
            if remaining <= 0:
                raise self._timeout()
            self._pump(remaining)
