"""Hand-planted bugs in chapter 5's (regularization) reference solutions that the automatic mutation sweep does
not produce: each must lose points, and where the checks name the mistake, the diagnosis or message says so.

Each row: (exercise id, description, old text of the reference solution (must occur exactly once), new text,
a diagnosis the failing checks must include or None, a fragment of their messages or None). The @njit
exercises recompile the whole learner file for every variant, so they have only two rows each (and a
fake @njit, which compiles nothing); more were checked by hand.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from planted import assert_loses_points, grade_with_bug

from grader.catalog import Catalog
from grader.workspace import Workspace

_MEAN_ALL = """        m = 0.0
        for i in range(h):
            for j in range(w):
                for k in range(c):
                    m += images[b, i, j, k]
        m /= h * w * c
        for i in range(h):
            for j in range(w):
                for k in range(c):
"""
_MEAN_PER_CHANNEL = """        for k in range(c):
            m = 0.0
            for i in range(h):
                for j in range(w):
                    m += images[b, i, j, k]
            m /= h * w
            for i in range(h):
                for j in range(w):
"""
_FAKE_NJIT = """

class CPUDispatcher:  # what a learner might write to pass a check that only reads names and attributes
    def __init__(self, f):
        self.f = f
        self.targetoptions = {"nopython": True}
        self.signatures = [1]

    def __call__(self, *args):
        return self.f(*args)


def njit(**options):
    return CPUDispatcher
"""
_INDENT = " " * 20
_WARP_TOP_LOW = (_INDENT + "top = (1 - fx) * _read(images, b, y0, x0, k, fill) "
                             "+ fx * _read(images, b, y0, x0 + 1, k, fill)\n"
                 + _INDENT + "low = (1 - fx) * _read(images, b, y0 + 1, x0, k, fill) + fx * _read(images, b, y0 + 1, "
                             "x0 + 1, k,\n")
_WARP_SWAPPED = (_INDENT + "top = fx * _read(images, b, y0, x0, k, fill) "
                             "+ (1 - fx) * _read(images, b, y0, x0 + 1, k, fill)\n"
                 + _INDENT + "low = fx * _read(images, b, y0 + 1, x0, k, fill) + (1 - fx) * _read(images, b, y0 + 1, "
                             "x0 + 1, k,\n")

PLANTED = [
    # penalties-weight-decay
    ("penalties-weight-decay", "penalty skips 1-D weights (shape rule)",
     "sum(np.sum(w * w) for name, w in params.items() if not is_bias(name))",
     "sum(np.sum(w * w) for name, w in params.items() if w.ndim > 1)", "bias", "1-D weight"),
    ("penalties-weight-decay", "a looser bias rule: names ending in b", 'return name.rsplit(".", 1)[-1] == "b"',
     'return name.endswith("b")', "bias", "'emb' is a weight"),
    ("penalties-weight-decay", "λ instead of λ/2 in the gradient: 2λW", "else lam * w for name",
     "else 2 * lam * w for name", "factor", "2λW"),
    ("penalties-weight-decay", "decay not multiplied by the learning rate",
     "decay = 0.0 if is_bias(name) else lr * lam", "decay = 0.0 if is_bias(name) else lam", "decoupled", None),
    ("penalties-weight-decay", "decay applied to biases", "decay = 0.0 if is_bias(name) else lr * lam",
     "decay = lr * lam", "bias", "decays a bias"),
    ("penalties-weight-decay", "decay after the gradient step",
     "new[name] = (1.0 - decay) * w - lr * grads[name]", "new[name] = (1.0 - decay) * (w - lr * grads[name])",
     None, "decays after the gradient step"),
    ("penalties-weight-decay", "step updates params in place",
     "new[name] = (1.0 - decay) * w - lr * grads[name]",
     "w *= 1.0 - decay\n        w -= lr * grads[name]\n        new[name] = w", "in_place", None),
    ("penalties-weight-decay", "sign(0) = −1 in the L1 subgradient", "else lam * np.sign(w) for name",
     "else np.where(w > 0, lam, -lam) for name", "l1", "at an exact zero weight"),
    # early-stopping
    ("early-stopping", "best_epoch: ties go to the later epoch", "        if loss < val_losses[best]:\n",
     "        if loss <= val_losses[best]:\n", "tie", "EARLIEST"),
    ("early-stopping", "compares with the previous epoch, not the best",
     "if val_losses[e] < val_losses[best] - min_delta:", "if val_losses[e] < val_losses[e - 1] - min_delta:",
     None, "epoch BEFORE it"),
    ("early-stopping", "patience off by one (stops a step late)",
     "        elif e - best == patience:\n            return e, best",
     "        elif e - best == patience + 1:\n            return e, best", "off_by_one", "one epoch late"),
    ("early-stopping", "shallow copy of the best parameters",
     "best_params = {k: v.copy() for k, v in params.items()}", "best_params = dict(params)", "reference", None),
    ("early-stopping", "training loop: ties move the best epoch", "if best_loss is None or loss < best_loss:",
     "if best_loss is None or loss <= best_loss:", "tie", None),
    ("early-stopping", "epochs_run is the stop epoch, not the count", "return best_params, best, e + 1",
     "return best_params, best, e", "off_by_one", None),
    # bagging-ensembles
    ("bagging-ensembles", "bootstrap without replacement", "return rng.integers(0, n, size=(k, n))",
     "return np.stack([rng.permutation(n) for _ in range(k)])", "replacement", None),
    ("bagging-ensembles", "averaging logits instead of probabilities",
     "    z = logits - logits.max(axis=-1, keepdims=True)\n",
     "    logits = np.broadcast_to(logits.mean(axis=0), logits.shape)\n"
     "    z = logits - logits.max(axis=-1, keepdims=True)\n", "logits", None),
    ("bagging-ensembles", "out-of-bag pooled over members", "mask[rows, indices.ravel()] = False",
     "mask[:, indices.ravel()] = False", None, "ANY member"),
    ("bagging-ensembles", "softmax over the members axis", "return (e / e.sum(axis=-1, keepdims=True)).mean(axis=0)",
     "return (e / e.sum(axis=0, keepdims=True)).mean(axis=0)", "axis", None),
    ("bagging-ensembles", "v and c swapped in the ensemble error", "return v / k + (k - 1) * c / k",
     "return c / k + (k - 1) * v / k", None, "swaps v and c"),
    # dropout-inverted
    ("dropout-inverted", "scaling by (1 − p) instead of 1/(1 − p)", "return x * mask / (1.0 - p), mask",
     "return x * mask * (1.0 - p), mask", "scale", None),
    ("dropout-inverted", "a new mask in backward", "return dropout_backward(grad_y, self.mask, self.p)",
     "return dropout_backward(grad_y, self.rng.random(grad_y.shape) >= self.p, self.p)", "mask_reuse",
     "drew a new mask"),
    ("dropout-inverted", "test mode scales by (1 − p)", "return x.copy(), np.ones(x.shape, dtype=bool)",
     "return x * (1.0 - p), np.ones(x.shape, dtype=bool)", "test_mode", None),
    ("dropout-inverted", "test mode draws from the rng",
     "    if not train:\n        return x.copy(), np.ones(x.shape, dtype=bool)\n    mask = rng.random(x.shape) >= p\n",
     "    mask = rng.random(x.shape) >= p\n    if not train:\n        return x.copy(), np.ones(x.shape, dtype=bool)\n",
     "test_mode", "drew from the rng"),
    ("dropout-inverted", "layer ignores train=False",
     "y, self.mask = dropout_forward(x, self.p, self.rng, train)",
     "y, self.mask = dropout_forward(x, self.p, self.rng)", "test_mode", "did not pass train=False"),
    # augment-geometric-njit (each row recompiles the learner's kernels)
    ("augment-geometric-njit", "bilinear weights swapped along x", _WARP_TOP_LOW, _WARP_SWAPPED, "bilinear", None),
    ("augment-geometric-njit", "clamping instead of fill", "        return images[b, i, j, k]\n    return fill\n",
     "        return images[b, i, j, k]\n"
     "    return images[b, min(max(i, 0), images.shape[1] - 1), min(max(j, 0), images.shape[2] - 1), k]\n",
     "fill", "clamps to the border"),
    ("augment-geometric-njit", "a home-made njit look-alike (plain Python)", "from numba import njit\n",
     _FAKE_NJIT, "njit", "not a decorator of your own"),
    # augment-photometric-njit (each row recompiles the learner's kernels)
    ("augment-photometric-njit", "blur radius floor(3σ)", "r = math.ceil(3 * sigma)", "r = math.floor(3 * sigma)",
     "radius", None),
    ("augment-photometric-njit", "brightness/contrast about a per-channel mean", _MEAN_ALL, _MEAN_PER_CHANNEL, "colour",
     "mean per channel"),
]


@pytest.mark.parametrize(("exercise_id", "description", "old", "new", "diagnosis", "fragment"), PLANTED,
                         ids=[f"{row[0]}: {row[1]}" for row in PLANTED])
def test_planted_bug_loses_points(catalog: Catalog, tmp_path: Path, exercise_id: str, description: str, old: str,
                                  new: str, diagnosis: str | None, fragment: str | None) -> None:
    workspace = Workspace.init(tmp_path / "ws", solutions=True)
    result = grade_with_bug(workspace, catalog.get(exercise_id), old, new)
    assert_loses_points(result, description, diagnosis=diagnosis, message=fragment)
