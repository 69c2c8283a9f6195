"""Chapter 7 (convolutional networks): hand-planted, multi-token bugs in the reference solutions that the automatic
mutation sweep (grader/mutants.py) does not produce. Each one must lose points, and where the diagnosis or the
message is what teaches the learner, the check must name the mistake.

A row: (exercise id, what the bug is, old text in the reference solution, new text, expected diagnosis or None,
a fragment of the failing message or None). The old text must occur exactly once in the solution file.
Every row of a Numba exercise recompiles its file: keep those rows few.
"""

from __future__ import annotations

import pytest
from planted import Bug, assert_loses_points, grade_with_bug

from grader.catalog import Exercise, default_catalog
from grader.workspace import Workspace

CATALOG = {e.id: e for e in default_catalog()}


BUGS = [
    # --- conv2d-njit
    Bug("conv2d-njit", "forward: a true convolution (flipped kernel)", "acc += w[co, ci, p, q]",
        "acc += w[co, ci, kh - 1 - p, kw - 1 - q]", "mismatch", "true convolution"),
    Bug("conv2d-njit", "backward: dw averaged over the batch", "    return dx, dw, db\n",
        "    return dx, dw / n_b, db\n", "batch_factor", None),
    Bug("conv2d-njit", "a decorator of one's own named njit: plain Python, never compiled (no recompile here)",
        "from numba import njit\n", "def njit(*args, **kwargs):\n    return lambda f: f\n", "njit",
        "not a decorator of your own"),
    # --- conv2d-im2col
    Bug("conv2d-im2col", "col2im assigns instead of adding",
        "            np.add.at(dxp, (slice(None), slice(None), rows[:, None], columns[None, :]),\n"
        "                      blocks[:, p, q].transpose(1, 0, 2, 3))",
        "            dxp[:, :, rows[:, None], columns[None, :]] = blocks[:, p, q].transpose(1, 0, 2, 3)", None, None),
    Bug("conv2d-im2col", "im2col pads on one side only",
        "xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))",
        "xp = np.pad(x, ((0, 0), (0, 0), (0, 2 * ph), (0, 2 * pw)))",
        None, None),
    Bug("conv2d-im2col", "dw averaged over the batch", "dw = (g @ cols.T).reshape(w.shape)",
        "dw = (g @ cols.T).reshape(w.shape) / x.shape[0]", "batch_factor", None),
    Bug("conv2d-im2col", "im2col with stride and dilation swapped",
        "            rows = p * dh + sh * np.arange(oh)\n            columns = q * dw + sw * np.arange(ow)\n"
        "            # (N, C, oh, ow)",
        "            rows = p * sh + dh * np.arange(oh)\n            columns = q * sw + dw * np.arange(ow)\n"
        "            # (N, C, oh, ow)", None, None),
    Bug("conv2d-im2col", "db from the first image only", "return dx, dw, g.sum(axis=1)",
        "return dx, dw, dy[0].sum(axis=(1, 2))", "mismatch", "first image only"),
    # --- conv-pooling
    Bug("conv-pooling", "ties go to the last maximum", "better = v > y", "better = v >= y", "ties", "LAST maximum"),
    Bug("conv-pooling", "the running maximum starts at 0 (fine after a ReLU only)",
        "y = x[:, :, rows, cols].copy()", "y = np.zeros((n_b, c, oh, ow))", None, None),
    Bug("conv-pooling", "maxpool_backward assigns instead of adding",
        "    np.add.at(dx, (np.arange(n_b)[:, None, None], np.arange(c)[None, :, None], idx.reshape(n_b, c, -1)),\n"
        "              dy.reshape(n_b, c, -1))",
        "    np.put_along_axis(dx, idx.reshape(n_b, c, -1), dy.reshape(n_b, c, -1), axis=2)", "overwrite", None),
    Bug("conv-pooling", "avgpool divides by kh·kh (square windows only)", "    return y / (kh * kw)",
        "    return y / (kh * kh)", None, None),
    # --- conv-upsampling
    Bug("conv-upsampling", "bilinear with align_corners=True", "s = max((o + 0.5) / f - 0.5, 0.0)",
        "s = o * (n_in - 1) / (n_in * f - 1) if n_in * f > 1 else 0.0", "mismatch", "align_corners=True"),
    Bug("conv-upsampling", "bilinear without the half-pixel offset", "s = max((o + 0.5) / f - 0.5, 0.0)",
        "s = o / f", "mismatch", "half-pixel offset is missing"),
    Bug("conv-upsampling", "bilinear without the clamp at 0", "s = max((o + 0.5) / f - 0.5, 0.0)",
        "s = (o + 0.5) / f - 0.5", "mismatch", "not clamped"),
    Bug("conv-upsampling", "max_unpool overwrites shared indices",
        "    np.add.at(y, (np.arange(n_b)[:, None, None], np.arange(c)[None, :, None], idx.reshape(n_b, c, -1)),\n"
        "              x.reshape(n_b, c, -1))",
        "    np.put_along_axis(y, idx.reshape(n_b, c, -1), x.reshape(n_b, c, -1), axis=2)", "mismatch", "ADD them"),
    Bug("conv-upsampling", "nearest backward averages the block", ".sum(axis=(3, 5))", ".mean(axis=(3, 5))",
        None, None),
    # --- conv-arithmetic
    Bug("conv-arithmetic", "receptive field without the cumulative stride", "        jump *= s\n",
        "        jump = s\n", "mismatch", "PRODUCT of all earlier strides"),
    Bug("conv-arithmetic", "receptive field ignores the dilation", "r += d * (k - 1) * jump", "r += (k - 1) * jump",
        "mismatch", "ignores the dilation"),
    Bug("conv-arithmetic", "receptive field: the jump updated before the layer is added",
        "        r += d * (k - 1) * jump\n        jump *= s\n", "        jump *= s\n        r += d * (k - 1) * jump\n",
        "mismatch", "BEFORE adding its kernel"),
    Bug("conv-arithmetic", "output size rounds up", "return (n + 2 * padding - k_eff) // stride + 1",
        "return -(-(n + 2 * padding - k_eff) // stride) + 1", "mismatch", "rounds up"),
    Bug("conv-arithmetic", "output size without the + 1", "return (n + 2 * padding - k_eff) // stride + 1",
        "return (n + 2 * padding - k_eff) // stride", "mismatch", "+ 1 is missing"),
    Bug("conv-arithmetic", "the dilated kernel without + 1", "k_eff = dilation * (k - 1) + 1",
        "k_eff = dilation * k", "mismatch", "d·k for the dilated kernel"),
    Bug("conv-arithmetic", "conv weights without the biases", "return c_out * (k * k * c_in + 1)",
        "return c_out * k * k * c_in", "mismatch", None),
    # --- quiz-convnets
    Bug("quiz-convnets", "q1 copied from Fig. 116's caption", "q1 = 3\n", "q1 = 2\n", "mismatch", "caption"),
    Bug("quiz-convnets", "q3 without biases", "q3 = 73856", "q3 = 73728", "mismatch", "biases are missing"),
    Bug("quiz-convnets", "q5 without the dilations", "q5 = 15", "q5 = 7", "mismatch", "ignores the dilations"),
    Bug("quiz-convnets", "q6: a true convolution", 'q6 = "b"', 'q6 = "a"', "mismatch", None),
    # --- lenet-train
    Bug("lenet-train", "the loss summed over the batch", "loss = -logp[np.arange(n), y].mean()",
        "loss = -logp[np.arange(n), y].sum()", None, None),
    Bug("lenet-train", "no ReLU mask on the first convolution",
        "dz1 = maxpool_backward(dp1, i1, list(h1.shape)) * (z1 > 0)",
        "dz1 = maxpool_backward(dp1, i1, list(h1.shape))", None, None),
    Bug("lenet-train", "train ignores its seed", "rng = np.random.default_rng(seed)", "rng = np.random.default_rng(0)",
        "seed", "the seed is not used"),
    # --- saliency-gradient
    Bug("saliency-gradient", "saliency without the absolute value",
        "return np.abs(input_gradient(params, x, c)).max(axis=1)", "return input_gradient(params, x, c).max(axis=1)",
        "mismatch", "absolute value"),
    Bug("saliency-gradient", "saliency sums |gradient| over the channels",
        "return np.abs(input_gradient(params, x, c)).max(axis=1)",
        "return np.abs(input_gradient(params, x, c)).sum(axis=1)", "mismatch", "sum of |gradient|"),
    Bug("saliency-gradient", "every image seeded with the class of the first image",
        "g[np.arange(len(x)), c] = 1.0", "g[:, c[0]] = 1.0", None, None),
    Bug("saliency-gradient", "every image seeded with every class in c", "g[np.arange(len(x)), c] = 1.0",
        "g[:, c] = 1.0", None, None),
    # --- conv-speed-njit
    Bug("conv-speed-njit", "a true convolution (flipped kernel)", "wv = w[co, ci, p, q]",
        "wv = w[co, ci, kh - 1 - p, kw - 1 - q]", None, None),
    Bug("conv-speed-njit", "a slow kernel that marks b on the timed input and skips the work on later calls",
        "    y = np.empty((n_b, c_out, oh, ow))\n    for n in range(n_b):\n        for co in range(c_out):\n"
        "            plane = y[n, co]\n            plane[:, :] = b[co]\n",
        "    y = np.empty((n_b, c_out, oh, ow))\n    if b[0] == 1e300:  # marked by an earlier call\n        return y\n"
        "    for nn in range(100 * n_b):  # the whole convolution a hundred times over\n        n = nn % n_b\n"
        "        for co in range(c_out):\n            plane = y[n, co]\n            plane[:, :] = b[co]\n"
        "            if x.shape[2] == 24 and nn == 100 * n_b - 1 and co == c_out - 1:  # on the timed input only\n"
        "                b[0] = 1e300\n", "slow", None),
    Bug("conv-speed-njit", "the bias left out", "plane[:, :] = b[co]", "plane[:, :] = 0.0", None, None),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.init(tmp_path_factory.mktemp("planted-convnets") / "ws", solutions=True)


def _exercise(bug: Bug) -> Exercise:
    assert bug.exercise in CATALOG, f"no exercise {bug.exercise!r} in the catalog"
    return CATALOG[bug.exercise]


@pytest.mark.parametrize("bug", BUGS, ids=[f"{b.exercise}: {b.description}" for b in BUGS])
def test_planted_bug_loses_points(bug: Bug, workspace: Workspace) -> None:
    result = grade_with_bug(workspace, _exercise(bug), bug.old, bug.new)
    assert_loses_points(result, bug.description, diagnosis=bug.diagnosis, message=bug.message)


PART = "06-convolutional-networks"


def test_every_convnets_exercise_has_three_planted_bugs() -> None:
    part = {e.id for e in CATALOG.values() if PART in e.solution_path.parts}
    assert len(part) >= 9, sorted(part)
    rows = {exercise: sum(b.exercise == exercise for b in BUGS) for exercise in part}
    assert all(n >= 3 for n in rows.values()), rows
    assert {b.exercise for b in BUGS} <= part, sorted({b.exercise for b in BUGS} - part)
