"""grader.graphwalk: a bug planted in one node of an otherwise correct edf is named, and only that node.

Each case copies the reference edf into a temporary workspace, edits one line, runs the shared
probe's graph_dump in a real learner process (grader.sandbox) and walks the dump.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from grader import graphwalk as gw
from grader.catalog import Catalog, load_exercise
from grader.engine import grade_exercise
from grader.paths import EXERCISES_DIR, SOLUTIONS_DIR
from grader.sandbox import LearnerProcess
from grader.workspace import Workspace

CHAPTER = "01-computation-graphs"
EDF_FILES = {"core.py": "06-edf-core", "sigmoid.py": "07-edf-sigmoid", "affine.py": "09-edf-affine",
             "softmax.py": "11-edf-softmax", "loss.py": "12-edf-cross-entropy"}
PROBE = EXERCISES_DIR / CHAPTER / "_shared" / "edf_probe.py"
MLP = [["Affine", "P1", "x"], ["Sigmoid", "#0"], ["Affine", "P2", "#1"], ["Softmax", "#2"],
       ["CrossEntropyLoss", "#3", "y"]]
N, D, H, C = 7, 3, 5, 4  # all different, so a wrong axis or a missing batch sum changes a shape or a value


def _workspace(tmp_path: Path, file: str | None = None, old: str = "", new: str = "") -> Path:
    """graphs/edf/ holding the reference edf, with `old` replaced by `new` in `file`."""
    edf = tmp_path / "graphs" / "edf"
    edf.mkdir(parents=True)
    shutil.copyfile(EXERCISES_DIR / CHAPTER / "06-edf-core" / "support" / "edf" / "__init__.py", edf / "__init__.py")
    for name, folder in EDF_FILES.items():
        shutil.copyfile(SOLUTIONS_DIR / CHAPTER / folder / name, edf / name)
    if file is not None:
        text = (edf / file).read_text()
        assert old in text, f"{old!r} not in {file}"
        (edf / file).write_text(text.replace(old, new))
    return tmp_path


def _objects(rng: np.random.Generator) -> dict:
    return {"x": {"kind": "input", "value": rng.standard_normal((N, D))},
            "y": {"kind": "input", "value": rng.integers(0, C, size=N)},
            "P1": {"kind": "params", "A": rng.normal(0, 0.7, (D, H)), "b": rng.normal(0, 0.3, H)},
            "P2": {"kind": "params", "A": rng.normal(0, 0.7, (H, C)), "b": rng.normal(0, 0.3, C)}}


def _dump(root: Path, spec: list, objects: dict, driver: str = "learner") -> dict:
    with LearnerProcess(root, time_limit=30, memory_mb=3072) as proc:
        proc.setup(root / "graphs", "edf.core", PROBE.read_text(encoding="utf-8"))
        dump, _ = proc.call("probe:graph_dump", objects, spec, driver, 2)
    return dump


def test_correct_edf_names_no_node(tmp_path: Path) -> None:
    root = _workspace(tmp_path)
    rng = np.random.default_rng(0)
    assert gw.walk(_dump(root, MLP, _objects(rng))) is None
    scores = {"s": {"kind": "input", "value": rng.standard_normal((5, 3))},
              "y": {"kind": "input", "value": rng.integers(0, 3, size=5)}}
    assert gw.walk(_dump(root, [["Softmax", "s"], ["CrossEntropyLoss", "#0", "y"]], scores, "probe")) is None


PLANTED = [
    # (file, old, new, node index blamed, diagnosis, words the message must contain)
    ("affine.py", "self.x.value[:, :, np.newaxis] * self.grad[:, np.newaxis, :])",
     "self.x.value[:, :, np.newaxis] * self.grad[:, np.newaxis, :] * len(self.grad))",
     2, "batch_factor", ["node 3 of 5", "the second Affine (feeding Softmax)", "its weights A", "batch size 7"]),
    ("affine.py", "self.w.A.addgrad(self.x.value[:, :, np.newaxis] * self.grad[:, np.newaxis, :])",
     "self.w.A.addgrad(self.x.value.T @ self.grad)", 2, "summed_batch", ["node 3 of 5", "Xᵀ G"]),
    ("affine.py", "self.w.b.addgrad(self.grad)", "self.w.b.addgrad(-self.grad)", 2, "sign", ["its bias b"]),
    ("sigmoid.py", "self.grad * self.value * (1 - self.value)", "self.grad * self.value", 1, "missing_term",
     ["node 2 of 5", "the Sigmoid", "(1 − σ)"]),
    ("softmax.py", "np.sum(G * P, axis=1, keepdims=True)", "np.sum(G * P, axis=0, keepdims=True)", 3, "axis",
     ["node 4 of 5", "the Softmax", "axis 0"]),
    ("softmax.py", "np.max(self.x.value, axis=1, keepdims=True)", "np.max(self.x.value, axis=0, keepdims=True)",
     3, "axis", ["Forward first goes wrong at node 4 of 5"]),
    ("loss.py", "delta[rows, labels] = -self.grad", "delta[rows, labels] = self.grad", 4, "sign",
     ["node 5 of 5", "the CrossEntropyLoss (the loss)", "wrong sign"]),
    ("core.py", "c.grad = np.zeros(c.value.shape, dtype=DT)",
     "c.grad = getattr(c, 'grad', np.zeros(c.value.shape, dtype=DT))", 3, "double",
     ["on the way into node 4 of 5", "zero every .grad"]),
    ("core.py", "for c in CompNodes[::-1]:", "for c in CompNodes:", 3, "order", ["CompNodes[::-1]"]),
    ("core.py", "np.ones(loss.value.shape) / len(loss.value)", "np.ones(loss.value.shape)", 4, "batch_factor",
     ["Backward seeds the loss wrong", "batch size 7"]),
    ("core.py", "self.grad += np.sum(delta, axis=0)", "self.grad += np.mean(delta, axis=0)", 2, "batch_factor",
     ["The Parameter A of node 3 of 5", "Parameter.addgrad"]),
    ("core.py", "for c in CompNodes + Parameters:", "for c in CompNodes:", 2, "exception",
     ["in the backward() of node 3 of 5", "AttributeError", "CompNodes + Parameters"]),
]


@pytest.mark.parametrize(("file", "old", "new", "node", "diagnosis", "words"), PLANTED,
                         ids=[f"{p[0]}:{p[4]}:{p[3]}" for p in PLANTED])
def test_planted_bug_is_named(tmp_path: Path, file: str, old: str, new: str, node: int, diagnosis: str,
                              words: list[str]) -> None:
    root = _workspace(tmp_path, file, old, new)
    dump = _dump(root, MLP, _objects(np.random.default_rng(1)))
    finding = gw.walk(dump)
    assert finding is not None, gw.describe_graph(dump)
    assert (finding.node, finding.diagnosis) == (node, diagnosis), finding.message
    for word in words:
        assert word in finding.message, finding.message


def test_walk_blames_the_first_wrong_node_from_the_loss(tmp_path: Path) -> None:
    """Two planted bugs: the one nearer the loss is named; the nodes below inherit, but are not blamed."""
    root = _workspace(tmp_path, "affine.py", "self.x.addgrad(np.matmul(", "self.x.addgrad(2 * np.matmul(")
    finding = gw.walk(_dump(root, MLP, _objects(np.random.default_rng(2))))
    # Both Affines double what they send to x; the second Affine (node 3) is met first from the loss.
    # The Sigmoid below it receives a doubled gradient, but what it sends is right for what it received.
    assert finding is not None and finding.node == 2 and finding.diagnosis == "double", finding


def test_unregistered_node_is_named() -> None:
    dump = {"nodes": [{"kind": "Sigmoid", "inputs": {"x": "x"}, "value": np.zeros((2, 2)), "grad": None,
                       "sent": {"x": []}, "stray": []}],
            "objects": {"x": {"kind": "input", "value": np.zeros((2, 2)), "grad": None}},
            "registered": [False], "backward_order": []}
    finding = gw.walk(dump)
    assert finding is not None and finding.diagnosis == "not_registered" and "CompNodes.append(self)" in finding.message


def test_judge_names_a_known_mistake() -> None:
    rng = np.random.default_rng(3)
    S, G = rng.standard_normal((4, 4)), rng.standard_normal((4, 4))
    P = np.exp(S) / np.exp(S).sum(axis=1, keepdims=True)
    wrong = P * (G - np.sum(G * P, axis=1)[None, :])  # keepdims forgotten, square batch
    result = gw.judge("dx", wrong, gw.node_backward("Softmax", {"x": S}, G)["x"],
                      mistakes=gw.backward_mistakes("Softmax", "x", {"x": S}, G))
    assert not result.ok and result.diagnosis == "keepdims"


def _edf_catalog() -> Catalog:
    folders = [*EDF_FILES.values(), "14-edf-train-mlp"]
    return Catalog(tuple(load_exercise(EXERCISES_DIR / CHAPTER / f, i) for i, f in enumerate(folders)))


def test_train_mlp_check_reports_the_walk(tmp_path: Path) -> None:
    """Through the engine: the exercise's check fails with the walk's message and diagnosis."""
    catalog = _edf_catalog()
    workspace = Workspace.init(tmp_path / "ws", solutions=True, catalog=catalog)
    path = tmp_path / "ws" / "graphs" / "edf" / "softmax.py"
    path.write_text(path.read_text().replace("np.sum(G * P, axis=1, keepdims=True)", "np.sum(G * P, axis=0, "
                                                                                       "keepdims=True)"))
    result = grade_exercise(workspace, catalog.get("edf-train-mlp"), record=False)
    walk = result.checks[0]
    assert not walk.passed and walk.diagnosis == "axis"
    assert "Backprop first goes wrong at node 4 of 5, the Softmax" in walk.message
