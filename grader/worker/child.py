"""The learner's process: imports the learner's module and answers the grader's calls.

Started as `python -I child.py REQUEST_FD REPLY_FD MEMORY_MB WORKSPACE_ROOT` with its stdout and
stderr on a capped pipe. It applies its resource limits before any learner code runs, hides the
grader's own packages from imports, and sends back only plain data (see protocol.py).
Everything it reports is treated as untrusted by the grader.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import importlib.abc
import importlib.machinery
import os
import resource
import sys
import threading
import traceback
import types

BLOCKED_PACKAGES = frozenset({"grader", "tutor", "solutions", "exercises"})


class _BlockGraderImports(importlib.abc.MetaPathFinder):
    """Learner code may not import the reference kernels, the checks or the solutions."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] in BLOCKED_PACKAGES:
            raise ImportError(f"'{fullname}' is not available to exercise code")
        return None


class _FreshSourceLoader(importlib.machinery.SourceFileLoader):
    """Compile a learner file from its source every time: a .pyc left from an edit saved within the
    same second, with the same size, would otherwise be graded instead of the file as it is now."""

    def get_code(self, fullname):
        return compile(self.get_data(self.path), self.path, "exec", dont_inherit=True)


class _LearnerFilesFinder(importlib.abc.MetaPathFinder):
    """Finds modules under the workspace with _FreshSourceLoader; everything else as usual."""

    def __init__(self, workspace_root: str) -> None:
        self.workspace_root = workspace_root

    def find_spec(self, fullname, path=None, target=None):
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None or not spec.origin or not spec.origin.endswith(".py"):
            return None
        if not os.path.realpath(spec.origin).startswith(self.workspace_root + os.sep):
            return None
        spec.loader = _FreshSourceLoader(fullname, spec.origin)
        return spec


def _limit_resources(memory_mb: int, cpu_seconds: int) -> None:
    # soft == hard, so learner code cannot raise them again; forks inherit them. A platform that refuses
    # one (macOS has no working RLIMIT_AS) keeps the others and the grader's wall-time limit.
    limits = [(resource.RLIMIT_CPU, cpu_seconds), (resource.RLIMIT_CORE, 0)]
    if memory_mb > 0:  # 0: on a real GPU the grader watches resident memory instead
        limits.append((resource.RLIMIT_AS, memory_mb * 1024 * 1024))
    for which, value in limits:
        with contextlib.suppress(ValueError, OSError):
            resource.setrlimit(which, (value, value))
    # The CUDA simulator runs one OS thread per CUDA thread; small stacks keep them within the limit.
    threading.stack_size(2 * 1024 * 1024)


def _hide_grader(project_root: str) -> None:
    sys.meta_path.insert(0, _BlockGraderImports())
    for name in list(sys.modules):
        if name.split(".")[0] in BLOCKED_PACKAGES:
            del sys.modules[name]
    sys.path[:] = [p for p in sys.path if os.path.realpath(p or ".") != os.path.realpath(project_root)]


def _digest(value) -> str | None:
    if isinstance(value, np.ndarray):
        return hashlib.blake2b(np.ascontiguousarray(value).view(np.uint8).tobytes(), digest_size=16).hexdigest()
    return None


def _plain(value, depth: int = 0):
    """Turn what learner code returned into plain data: base ndarrays, floats, lists, dicts."""
    if depth > 6:
        return {"__unsupported__": "nested too deeply"}
    if isinstance(value, np.ndarray):
        if value.dtype.kind not in "biufc" or value.dtype.fields is not None:
            return {"__unsupported__": f"ndarray of dtype {value.dtype}"}
        return np.array(value, copy=True, subok=False)  # drops any ndarray subclass
    if isinstance(value, bool | np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return int(value)
    if isinstance(value, float | np.floating):
        return float(value)
    if value is None:
        return None
    if isinstance(value, str):
        return str(value)[:10_000]
    if isinstance(value, list | tuple):
        return [_plain(v, depth + 1) for v in value][:10_000]
    if isinstance(value, dict):
        return {str(k): _plain(v, depth + 1) for k, v in list(value.items())[:10_000]}
    return {"__unsupported__": type(value).__name__}


class Worker:
    def __init__(self, workspace_root: str) -> None:
        self.workspace_root = os.path.realpath(workspace_root)
        self.learner: types.ModuleType | None = None
        self.probe: types.ModuleType | None = None

    def _learner_traceback(self, exc: BaseException) -> str:
        """The traceback frames that belong to learner files only (no grader internals)."""
        frames = [
            f for f in traceback.extract_tb(exc.__traceback__)
            if os.path.realpath(f.filename).startswith(self.workspace_root)
        ]
        lines = traceback.format_list(frames[-6:])
        return "".join(lines) + "".join(traceback.format_exception_only(type(exc), exc))

    def _error(self, exc: BaseException) -> dict:
        return {
            "ok": False,
            "error": {
                "type": type(exc).__name__,
                "base": not isinstance(exc, Exception),
                "message": str(exc)[:2000],
                "traceback": self._learner_traceback(exc)[-6000:],
            },
        }

    def setup(self, import_root: str, module: str, probe_source: str | None) -> dict:
        sys.path.insert(0, import_root)
        sys.meta_path.insert(1, _LearnerFilesFinder(self.workspace_root))  # after the grader-import blocker
        try:
            self.learner = importlib.import_module(module)
        except BaseException as exc:  # report anything the learner's module does at import
            return self._error(exc)
        if probe_source:
            probe = types.ModuleType("gradschool_probe")
            probe.__dict__["__file__"] = "<probe>"
            exec(compile(probe_source, "<probe>", "exec"), probe.__dict__)
            self.probe = probe
        names = sorted(n for n in vars(self.learner) if not n.startswith("_"))
        return {"ok": True, "names": names}

    def call(self, name: str, args: list, kwargs: dict) -> dict:
        if name.startswith("probe:"):
            if self.probe is None:
                return {"ok": False, "error": {"type": "GraderError", "base": False, "message": "no probe loaded",
                                               "traceback": ""}}
            probe_fn = getattr(self.probe, name[len("probe:"):])
            learner = self.learner

            def fn(*call_args, **call_kwargs):
                return probe_fn(learner, *call_args, **call_kwargs)
        else:
            fn = getattr(self.learner, name, None)
            if fn is None:
                exc = AttributeError(f"your file does not define '{name}'")
                return self._error(exc)
        before = [_digest(a) for a in args]
        try:
            result = fn(*args, **kwargs)
        except BaseException as exc:
            return self._error(exc)
        after = [_digest(a) for a in args]
        mutated = [i for i, (b, a) in enumerate(zip(before, after, strict=True)) if b is not None and b != a]
        try:
            plain = _plain(result)
        except BaseException as exc:
            return self._error(exc)
        return {"ok": True, "result": plain, "mutated": mutated}

    def handle(self, request: dict) -> dict:
        op = request.get("op")
        if op == "setup":
            return self.setup(request["import_root"], request["module"], request.get("probe_source"))
        if op == "call":
            return self.call(request["fn"], request.get("args", []), request.get("kwargs", {}))
        return {"ok": False, "error": {"type": "GraderError", "base": False, "message": f"unknown op {op}",
                                       "traceback": ""}}


def main() -> None:
    request_fd, reply_fd, memory_mb = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
    workspace_root, project_root, cpu_seconds = sys.argv[4], sys.argv[5], int(sys.argv[6])
    _limit_resources(memory_mb, cpu_seconds)
    _hide_grader(project_root)
    worker = Worker(workspace_root)
    while True:
        request = protocol.read_frame_blocking(request_fd)
        if request is None:
            return
        reply = worker.handle(request)
        reply["id"] = request.get("id")  # the grader refuses a reply to any other request
        try:
            data = protocol.encode(reply)
        except BaseException as exc:  # e.g. learner code patched numpy or json
            data = protocol.encode({**worker._error(exc), "id": request.get("id")})
        protocol.write_all(reply_fd, data)


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import numpy as np
    import protocol

    sys.path.pop(0)
    main()
