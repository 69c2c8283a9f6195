"""Hostile learner code, as the `sigmoid` exercise's graphs/sigmoid.py: every trick scores 0 on that exercise
with a message naming what happened, ends within the time limit, and the next exercise is still graded.

Each hostile workspace holds two exercises built from `sigmoid`: the hostile file, then a twin exercise
(another id and file, same checks) holding the reference solution, graded in the same run.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from grader.catalog import Catalog, Exercise, load_exercise
from grader.engine import grade_exercise, grade_workspace
from grader.results import ExerciseResult
from grader.workspace import Workspace

LIMIT = 3.0  # seconds: the time limit hostile files that never end run under (the shipped exercise allows 20)
ENDS_LIMIT = 6.0  # the limit for hostile files that end by themselves (crash, exit, ...): room for a busy CI box
SLACK = 4.0  # process start, kill and the grader's own work


def _source(body: str) -> str:
    return body.strip() + "\n"


# name -> (learner file, words the learner-facing message must contain, exercise status, memory limit)
# "@SOLUTION@" is replaced by the reference solution, "@TMP@" by a folder of the test's own.
HOSTILE = {
    "infinite_loop": (_source("""
def sigmoid(x):
    while True:
        pass
sigmoid_grad = sigmoid
"""), ["time limit", "3 s", "infinite loop"], "timeout", None),
    "infinite_loop_at_import": (_source("""
while True:
    pass
"""), ["time limit", "importing"], "timeout", None),
    "memory_hog_address_space": (_source("""
import numpy as np
def sigmoid(x):
    hog = []
    while True:
        hog.append(np.empty(2**27))  # 1 GiB each, never touched
sigmoid_grad = sigmoid
"""), ["memory", "3072 MB"], "crashed", None),
    "memory_hog_touched": (_source("""
import numpy as np
def sigmoid(x):
    hog = []
    while True:
        hog.append(np.ones(2**24))  # 128 MiB each, written
sigmoid_grad = sigmoid
"""), ["memory", "512 MB"], "crashed", 512),
    "os_exit_mid_check": (_source("""
@SOLUTION@
import os
_calls = 0
_real_grad = sigmoid_grad
def sigmoid_grad(x):
    global _calls
    _calls += 1
    if _calls == 2:  # the first two checks have passed by now
        os._exit(0)
    return _real_grad(x)
"""), ["exit code 0", "os._exit()"], "crashed", None),
    "sys_exit_mid_check": (_source("""
@SOLUTION@
import sys
_calls = 0
_real_grad = sigmoid_grad
def sigmoid_grad(x):
    global _calls
    _calls += 1
    if _calls == 2:
        sys.exit(0)
    return _real_grad(x)
"""), ["sys.exit()", "return its result"], "crashed", None),
    "segfault": (_source("""
import ctypes
def sigmoid(x):
    return ctypes.string_at(0)
sigmoid_grad = sigmoid
"""), ["segmentation fault"], "crashed", None),
    "prints_50_mb": (_source("""
import sys
def sigmoid(x):
    for _ in range(50):
        sys.stdout.write("PASSED " * 150_000)  # ~1 MB per line, 50 MB in all
    return x
sigmoid_grad = sigmoid
"""), ["printed more than", "KiB"], "crashed", None),
    "raises_base_exception": (_source("""
class Sneaky(BaseException):
    pass
def sigmoid(x):
    raise Sneaky("stop the grader")
sigmoid_grad = sigmoid
"""), ["raised Sneaky", "BaseException"], "crashed", None),
    "raises_keyboard_interrupt": (_source("""
def sigmoid(x):
    raise KeyboardInterrupt
sigmoid_grad = sigmoid
"""), ["raised KeyboardInterrupt"], "crashed", None),
    "syntax_error": (_source("""
def sigmoid(x)
    return x
"""), ["could not be imported", "SyntaxError"], "graded", None),
    "returns_a_string": (_source("""
def sigmoid(x):
    return "PASSED"
sigmoid_grad = sigmoid
"""), ["returned a str"], "graded", None),
    "returns_an_object_equal_to_everything": (_source("""
class Anything:
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __abs__(self): return 0.0
    def __lt__(self, other): return True
    def __le__(self, other): return True
    def __float__(self): return 0.5
    def __array__(self, *args, **kwargs):
        raise RuntimeError("no")
def sigmoid(x):
    return Anything()
sigmoid_grad = sigmoid
"""), ["returned a Anything"], "graded", None),
    "returns_an_object_array": (_source("""
import numpy as np
class Anything:
    def __eq__(self, other): return True
def sigmoid(x):
    out = np.empty(np.shape(x), dtype=object)
    out[...] = Anything()
    return out
sigmoid_grad = sigmoid
"""), ["returned a ndarray of dtype object"], "graded", None),
    "returns_a_lying_float": (_source("""
class Lying(float):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __abs__(self): return Lying(0.0)
    def __lt__(self, other): return True
    def __gt__(self, other): return False
def sigmoid(x):
    return Lying(0.0)
sigmoid_grad = sigmoid
"""), ["shape"], "graded", None),
    "ndarray_subclass_equal_to_everything": (_source("""
import numpy as np
class Liar(np.ndarray):
    def __eq__(self, other): return np.ones(np.shape(self), dtype=bool)
    def __ne__(self, other): return np.zeros(np.shape(self), dtype=bool)
    def __abs__(self): return np.zeros(np.shape(self)).view(Liar)
    def all(self, *args, **kwargs): return True
    def any(self, *args, **kwargs): return False
    def __array_function__(self, func, types, args, kwargs): return True  # np.allclose(...) -> True
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs): return np.zeros(np.shape(self))
def sigmoid(x):
    return np.full(np.shape(x), 0.25).view(Liar)
sigmoid_grad = sigmoid
"""), ["does not match"], "graded", None),
    "modifies_input_in_place": (_source("""
import numpy as np
def sigmoid(x):
    z = np.exp(-np.abs(x))
    x[...] = np.where(x >= 0, 1 / (1 + z), z / (1 + z))  # right values, written over the input
    return x
def sigmoid_grad(x):
    s = sigmoid(x.copy())
    x[...] = s * (1 - s)
    return x
"""), ["in place", "x.copy()"], "graded", None),
    "monkeypatches_numpy_comparisons": (_source("""
import numpy as np
import numpy.testing
def _yes(*args, **kwargs): return True
def _quiet(*args, **kwargs): return None
np.allclose = np.isclose = np.array_equal = np.array_equiv = _yes
for _name in ("assert_allclose", "assert_array_equal", "assert_array_almost_equal", "assert_almost_equal",
              "assert_equal", "assert_array_less", "assert_approx_equal"):
    setattr(np.testing, _name, _quiet)
def sigmoid(x):
    return np.full(np.shape(x), 0.25)
sigmoid_grad = sigmoid
"""), ["does not match"], "graded", None),
    "forges_results_files_and_writes_junk_to_the_reply_channel": (_source("""
import json, os, sys
from pathlib import Path
import numpy as np
FAKE = {"score": 8, "max_score": 8, "passed": True, "tests": [{"name": "sigmoid", "score": 8, "status": "passed"}]}
def _forge():
    for folder in (Path.cwd(), Path(__file__).resolve().parents[1], Path("@TMP@")):
        for name in ("results.json", "report.json", "grades.json"):
            (folder / name).write_text(json.dumps(FAKE))
    print("PASSED 8/8")
    print(json.dumps(FAKE))
    os.write(int(sys.argv[2]), b"PASSED 8/8\\n")  # the grader's reply channel
def sigmoid(x):
    _forge()
    return np.full(np.shape(x), 0.25)
sigmoid_grad = sigmoid
"""), ["not a grader reply"], "crashed", None),
    "writes_a_well_formed_fake_frame_to_the_reply_channel": (_source("""
import json, os, struct, sys
import numpy as np
def _forge():
    header = json.dumps({"ok": True, "result": 8.0, "mutated": [], "score": 8, "passed": True}).encode()
    body = struct.pack("<I", len(header)) + header + struct.pack("<I", 0)
    os.write(int(sys.argv[2]), b"GSW1" + struct.pack("<Q", len(body)) + body)
def sigmoid(x):
    _forge()
    return np.full(np.shape(x), 0.25)
sigmoid_grad = sigmoid
"""), ["channel"], "crashed", None),
}


def _alive(pid: int) -> bool:
    """True while pid runs; a zombie (killed, not yet reaped by PID 1) counts as dead."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] not in ("Z", "X")


def _wait_dead(pid: int, seconds: float = 3.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if not _alive(pid):
            return True
        time.sleep(0.05)
    return not _alive(pid)


def _twin_workspace(tmp_path: Path, sigmoid: Exercise, source: str, *, memory_mb: int | None = None,
                    time_limit: float = LIMIT) -> tuple[Workspace, Exercise, Exercise]:
    """A workspace of two copies of `sigmoid`: the hostile file first, then the reference solution
    (under the shipped exercise's own limits)."""
    hostile = dataclasses.replace(sigmoid, time_limit=time_limit, memory_mb=memory_mb or sigmoid.memory_mb)
    twin = dataclasses.replace(sigmoid, id="sigmoid-twin", file="twin/sigmoid.py")
    ws = Workspace.init(tmp_path / "ws", solutions=True, catalog=Catalog((hostile, twin)))
    ws.file_for(hostile).write_text(source, encoding="utf-8")
    return ws, hostile, twin


def _messages(result: ExerciseResult) -> str:
    return "\n".join([result.error or "", *(c.message for c in result.checks)])


def _assert_full_marks(result: ExerciseResult) -> None:
    assert result.passed, _messages(result)
    assert result.score == result.max_score > 0
    assert result.error is None


def _assert_zero(result: ExerciseResult) -> None:
    assert not result.passed
    assert result.score == 0.0, _messages(result)
    assert result.checks, "no checks were reported"
    assert all(not c.passed and c.points == 0.0 for c in result.checks), [(c.name, c.passed) for c in result.checks]


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_learner_file_scores_zero_and_grading_goes_on(name: str, tmp_path: Path, sigmoid: Exercise,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    template, words, status, memory_mb = HOSTILE[name]
    if name == "memory_hog_address_space":
        # the address-space limit is the CPU-only defence (on a GPU the grader watches resident memory instead)
        monkeypatch.setenv("GRADSCHOOL_CUDA", "sim")
    forged_dir = tmp_path / "tmp"
    forged_dir.mkdir()
    solution = sigmoid.solution_path.read_text(encoding="utf-8")
    source = template.replace("@SOLUTION@", solution).replace("@TMP@", str(forged_dir))
    limit = LIMIT if status == "timeout" else ENDS_LIMIT
    ws, hostile, twin = _twin_workspace(tmp_path, sigmoid, source, memory_mb=memory_mb, time_limit=limit)

    started = time.monotonic()
    report = grade_workspace(ws, [hostile, twin], record=False)
    elapsed = time.monotonic() - started

    bad, good = report.exercises
    assert (bad.id, good.id) == (hostile.id, twin.id)
    _assert_zero(bad)
    text = _messages(bad)
    for word in words:
        assert word in text, f"{word!r} not in the learner's message:\n{text}"
    assert bad.status == status, text
    assert bad.duration_s < limit + SLACK, f"{name} took {bad.duration_s:.1f} s under a {limit:g} s limit"
    _assert_full_marks(good)  # the next exercise is graded as if nothing happened
    assert elapsed < limit + 2 * SLACK
    # nothing leaked into the grading process
    assert not np.allclose(0.0, 1.0) and not np.array_equal([0], [1])


def test_forged_results_files_are_written_but_never_read(tmp_path: Path, sigmoid: Exercise) -> None:
    """The learner's code did write its fake results (the attack ran); the grade comes from the checks alone."""
    template = HOSTILE["forges_results_files_and_writes_junk_to_the_reply_channel"][0]
    forged_dir = tmp_path / "tmp"
    forged_dir.mkdir()
    ws, hostile, _ = _twin_workspace(tmp_path, sigmoid, template.replace("@TMP@", str(forged_dir)))
    result = grade_exercise(ws, hostile, time_limit=ENDS_LIMIT, record=False)
    assert json.loads((forged_dir / "results.json").read_text())["score"] == 8
    assert json.loads((ws.root / "results.json").read_text())["passed"] is True
    assert result.score == 0.0 and not result.passed


@pytest.mark.parametrize("ending", ["segfault", "infinite_loop", "os_exit"])
def test_what_learner_code_printed_before_it_broke_is_shown(tmp_path: Path, sigmoid: Exercise, ending: str) -> None:
    """print() debugging must survive the crash it is meant to explain."""
    end = {"segfault": "ctypes.string_at(0)", "infinite_loop": "while True: pass", "os_exit": "os._exit(3)"}[ending]
    source = _source(f"""
import ctypes, os
def sigmoid(x):
    print("debug: entering sigmoid with shape", x.shape)
    {end}
sigmoid_grad = sigmoid
""")
    ws, hostile, _ = _twin_workspace(tmp_path, sigmoid, source)
    result = grade_exercise(ws, hostile, time_limit=LIMIT, record=False)
    assert result.score == 0.0 and result.error
    assert "debug: entering sigmoid with shape (7,)" in result.output


def test_in_place_message_names_the_learners_function_not_grader_internals(tmp_path: Path,
                                                                          sigmoid: Exercise) -> None:
    """The extreme-values check calls sigmoid through the exercise's probe; the learner never wrote `strict`."""
    ws, hostile, _ = _twin_workspace(tmp_path, sigmoid, HOSTILE["modifies_input_in_place"][0],
                                     time_limit=ENDS_LIMIT)
    result = grade_exercise(ws, hostile, record=False)
    extreme = next(c for c in result.checks if "700" in c.name)
    assert extreme.diagnosis == "in_place"
    assert "sigmoid" in extreme.message and "strict" not in extreme.message, extreme.message


def test_grading_reads_the_file_as_saved_now_not_stale_bytecode(tmp_path: Path, sigmoid: Exercise) -> None:
    """Two saves within the same second, of the same size (watch mode regrades on every save)."""
    ws = Workspace.init(tmp_path / "ws", solutions=True, catalog=Catalog((sigmoid,)))
    path = ws.file_for(sigmoid)
    assert grade_exercise(ws, sigmoid, record=False).passed
    stat = path.stat()
    right = path.read_text(encoding="utf-8")
    wrong = right.replace("x >= 0", "x <= 0")
    assert wrong != right and len(wrong.encode()) == len(right.encode())
    path.write_text(wrong, encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # saved within the same second
    result = grade_exercise(ws, sigmoid, record=False)
    assert not result.passed and result.score < result.max_score


def test_time_limit_override_stops_an_infinite_loop_in_the_shipped_exercise(tmp_path: Path,
                                                                             sigmoid: Exercise) -> None:
    assert sigmoid.time_limit > LIMIT + SLACK  # otherwise this test would not show the override works
    ws = Workspace.init(tmp_path / "ws", catalog=Catalog((sigmoid,)))
    ws.file_for(sigmoid).write_text(HOSTILE["infinite_loop"][0], encoding="utf-8")
    started = time.monotonic()
    result = grade_exercise(ws, sigmoid, time_limit=LIMIT, record=False)
    elapsed = time.monotonic() - started
    assert elapsed < LIMIT + SLACK
    _assert_zero(result)
    assert result.status == "timeout"
    assert f"time limit of {LIMIT:g} s" in result.error


def test_learner_code_cannot_import_the_grader_or_read_its_environment(
        tmp_path: Path, sigmoid: Exercise, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GRADSCHOOL_OFFICIAL_SEED", "424242")
    monkeypatch.setenv("GRADSCHOOL_CACHE_DIR", str(tmp_path / "cache"))
    spy = tmp_path / "spy.json"
    source = _source(f"""
import importlib, json, os
seen = {{}}
for name in ("grader", "grader.reference", "grader.engine", "solutions", "exercises", "tutor"):
    try:
        importlib.import_module(name)
        seen[name] = "imported"
    except ImportError as exc:
        seen[name] = "ImportError: " + str(exc)
try:
    from grader import reference  # noqa
    seen["from grader import reference"] = "imported"
except ImportError:
    seen["from grader import reference"] = "ImportError"
seen["env"] = sorted(k for k in os.environ if k.startswith("GRADSCHOOL"))
open({str(spy)!r}, "w").write(json.dumps(seen))
def sigmoid(x):
    raise NotImplementedError
sigmoid_grad = sigmoid
""")
    ws, hostile, _ = _twin_workspace(tmp_path, sigmoid, source, time_limit=ENDS_LIMIT)
    grade_exercise(ws, hostile, record=False)
    seen = json.loads(spy.read_text())
    for name in ("grader", "grader.reference", "grader.engine", "solutions", "exercises", "tutor",
                 "from grader import reference"):
        assert seen[name].startswith("ImportError"), (name, seen[name])
    assert seen["env"] == []


def _forking_source(pid_file: Path, *, new_session: bool) -> str:
    """The reference solution, plus a fork at import that sleeps forever and reports its pid."""
    if new_session:  # double fork into a new session and process group, as a daemon does
        fork = f"""
import os, time
_r, _w = os.pipe()
if os.fork() == 0:
    os.setsid()
    _pid = os.fork()
    if _pid == 0:
        while True:
            time.sleep(60)
    os.write(_w, str(_pid).encode())
    os._exit(0)
os.close(_w)
open({str(pid_file)!r}, "w").write(os.read(_r, 100).decode())
"""
    else:
        fork = f"""
import os, time
_pid = os.fork()
if _pid == 0:
    while True:
        time.sleep(60)
open({str(pid_file)!r}, "w").write(str(_pid))
"""
    return "@SOLUTION@\n" + fork


@pytest.mark.parametrize("new_session", [False, True], ids=["fork", "fork_setsid"])
def test_forked_learner_processes_do_not_survive_grading(tmp_path: Path, sigmoid: Exercise,
                                                         new_session: bool) -> None:
    pid_file = tmp_path / "forked.pid"
    source = _forking_source(pid_file, new_session=new_session)
    ws, hostile, twin = _twin_workspace(tmp_path, sigmoid,
                                        source.replace("@SOLUTION@", sigmoid.solution_path.read_text()),
                                        time_limit=ENDS_LIMIT)
    report = grade_workspace(ws, [hostile, twin], record=False)
    pid = int(pid_file.read_text())
    try:
        assert _wait_dead(pid), f"the learner's forked process {pid} is still running after grading"
    finally:
        if _alive(pid):
            os.kill(pid, 9)
    _assert_full_marks(report.exercises[1])


def test_learner_file_linked_to_a_file_outside_the_workspace_is_not_graded(tmp_path: Path,
                                                                           sigmoid: Exercise) -> None:
    outside = tmp_path / "outside.py"
    outside.write_text(sigmoid.solution_path.read_text(), encoding="utf-8")
    ws, hostile, twin = _twin_workspace(tmp_path, sigmoid, "")
    path = ws.file_for(hostile)
    path.unlink()
    path.symlink_to(outside)
    report = grade_workspace(ws, [hostile, twin], record=False)
    bad, good = report.exercises
    assert bad.score == 0.0 and not bad.passed
    assert "link" in bad.error and "outside the workspace" in bad.error
    _assert_full_marks(good)


TINY_TOML = """
id = "tiny"
title = "Return 42"
chapter = 1
section = "1.1"
kind = "code"
points = 2
file = "tiny/answer.py"
time_limit = 5
hints = ["Return the number 42.", "A plain Python number is fine."]
"""
TINY_CHECKS = """
from grader.checklib import check

@check("answer() is 42", points=1)
def value(ctx):
    got = ctx.call("answer")
    ctx.expect(float(got) == 42.0, "answer() should return 42")  # float() of what the learner returned
"""


def test_a_return_value_that_breaks_a_checks_own_code_does_not_stop_grading(tmp_path: Path,
                                                                           sigmoid: Exercise) -> None:
    """Check code does ordinary things with learner data (float(got)); a dict makes that raise TypeError
    in the grader. That exercise scores 0 with a message; the next exercise is still graded."""
    folder = tmp_path / "course" / "01-intro" / "01-tiny"
    folder.mkdir(parents=True)
    (folder / "exercise.toml").write_text(TINY_TOML)
    (folder / "README.md").write_text("# Return 42 (section 1.1)\n")
    (folder / "checks.py").write_text(TINY_CHECKS)
    (folder / "answer.py").write_text("def answer():\n    raise NotImplementedError('answer')\n")
    tiny = load_exercise(folder, 0, tmp_path / "course", tmp_path / "solutions")
    ws = Workspace.init(tmp_path / "ws", solutions=False, catalog=Catalog((tiny,)))
    ws.file_for(tiny).write_text("def answer():\n    return {'value': 42}\n")
    ws.catalog = Catalog((tiny, sigmoid))
    ws.install(sigmoid, solutions=True)

    report = grade_workspace(ws, [tiny, sigmoid], record=False)
    bad, good = report.exercises
    assert bad.score == 0.0 and not bad.passed
    assert _messages(bad).strip()
    _assert_full_marks(good)
