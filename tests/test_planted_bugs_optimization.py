"""Chapter 6 (optimization): hand-planted, multi-token bugs in the reference solutions that the automatic mutation
sweep (grader/mutants.py) does not produce. Each one must lose points, and where the diagnosis or the message is
what teaches the learner, the check must name the mistake.

A row: (exercise id, what the bug is, old text in the reference solution, new text, expected diagnosis or None,
a fragment of the failing message or None). The old text must occur exactly once in the solution file.
"""

from __future__ import annotations

import pytest
from planted import Bug, assert_loses_points, grade_with_bug

from grader.catalog import Exercise, default_catalog
from grader.workspace import Workspace

CATALOG = {e.id: e for e in default_catalog()}


BUGS = [
    # --- step-size-line-search
    Bug("step-size-line-search", "the path without w0", "    return np.array(w)\n", "    return np.array(w[1:])\n",
        "off_by_one", "the start w⁰"),
    Bug("step-size-line-search", "1/(2a): the bound for monotone decrease, not for convergence", "return 1.0 / a",
        "return 1.0 / (2.0 * a)", "factor", "1/(2a)"),
    Bug("step-size-line-search", "the last candidate on a tie",
        "best = candidates[int(np.argmin(losses))]",
        "best = candidates[len(losses) - 1 - int(np.argmin(losses[::-1]))]", "tie", "FIRST candidate"),
    Bug("step-size-line-search", "the gradient summed over the batch", "2.0 * X.T @ r / len(y)", "2.0 * X.T @ r",
        "batch_factor", None),
    # --- optimizers
    Bug("optimizers", "Adam's t incremented once per parameter",
        "self.t += 1\n        for p, m, v in zip(self.params, self.m, self.v, strict=True):",
        "for p, m, v in zip(self.params, self.m, self.v, strict=True):\n            self.t += 1",
        "off_by_one", "self.t is 2"),
    Bug("optimizers", "Adam's ε inside the square root", "np.sqrt(v_hat) + self.eps", "np.sqrt(v_hat + self.eps)",
        None, "ε inside the square root"),
    Bug("optimizers", "RMSProp with β₂ and 1 − β₂ swapped",
        "v *= self.beta2\n            v += (1.0 - self.beta2) * g * g\n            p.value -= self.lr * g / (",
        "v *= 1.0 - self.beta2\n            v += self.beta2 * g * g\n            p.value -= self.lr * g / (", None,
        "self.v[0]"),
    Bug("optimizers", "Nesterov's classic look-ahead with the wrong sign", "return p.value + self.beta1 * m",
        "return p.value - self.beta1 * m", "nesterov", "wrong sign"),
    Bug("optimizers", "Nesterov takes the gradient at w, not at the look-ahead point",
        "        closure()  # fills every p.grad at ŵ\n"
        "        for p, m, w in zip(self.params, self.m, saved, strict=True):\n            p.value[...] = w\n",
        "        for p, w in zip(self.params, saved):\n            p.value[...] = w\n        closure()\n"
        "        for p, m, w in zip(self.params, self.m, saved, strict=True):\n", "nesterov", "w itself"),
    Bug("optimizers", "classic momentum's velocity not kept (m rebound, not updated in place)",
        "m *= self.beta1\n            m -= self.lr * g\n            p.value += m",
        "m = self.beta1 * m - self.lr * g\n            p.value += m", "state", "still all zeros"),
    Bug("optimizers", "classic momentum in PyTorch's form (m in units of a gradient)",
        "m -= self.lr * g\n            p.value += m", "m += g\n            p.value -= self.lr * m", "state",
        "units of a gradient"),
    Bug("optimizers", "Adam's m bias-corrected in place (self.m keeps m̂)",
        "            m_hat = m / (1.0 - self.beta1**self.t)\n",
        "            m /= 1.0 - self.beta1**self.t\n            m_hat = m\n", "state", "m itself was divided"),
    Bug("optimizers", "Adam's default β₂ = 0.99", "def __init__(self, params, lr, beta1=0.9, beta2=0.999, eps=1e-8):",
        "def __init__(self, params, lr, beta1=0.9, beta2=0.99, eps=1e-8):", None, "defaults"),
    # --- schedules-clipping
    Bug("schedules-clipping", "step decay counted from t = 0", "(t - 1) // every", "t // every", "off_by_one",
        "shifted by one"),
    Bug("schedules-clipping", "the spectral norm of a matrix instead of the norm of all entries",
        "norm = np.sqrt(np.sum(g * g))", "norm = np.linalg.norm(g, 2) if g.ndim == 2 else np.linalg.norm(g)",
        "mismatch", "largest singular value"),
    Bug("schedules-clipping", "global clipping per tensor", "return [g * scale for g in grads], norm",
        "return [clip_by_norm(g, tau) for g in grads], norm", "not_summed", "its own norm"),
    Bug("schedules-clipping", "clip_by_value clamps the caller's arrays in place",
        "[np.clip(g, lo, hi) for g in grads]", "[np.clip(g, lo, hi, out=g) for g in grads]", "in_place", "in place"),
    Bug("schedules-clipping", "clip_by_norm hands back g itself below τ", "return g.copy() if norm <= tau",
        "return g if norm <= tau", "in_place", "g.copy()"),
    # --- minibatch-sgd
    Bug("minibatch-sgd", "labels not shuffled with their inputs",
        "(X[perm[i:i + batch_size]], y[perm[i:i + batch_size]])", "(X[perm[i:i + batch_size]], y[i:i + batch_size])",
        "shuffle", "SAME permutation"),
    Bug("minibatch-sgd", "the last partial batch dropped", "range(0, len(y), batch_size)",
        "range(0, len(y) - batch_size + 1, batch_size)", "shape", "batch sizes"),
    Bug("minibatch-sgd", "η/t restarts every epoch", "    t = 0\n    for _ in range(epochs):\n",
        "    for _ in range(epochs):\n        t = 0\n", None, "restarts at t = 1 in every epoch"),
    Bug("minibatch-sgd", "the partial batch's gradient divided by batch_size", "/ len(yb)", "/ batch_size", None,
        "the batch's own size"),
    # --- adam-fused-kernels (each grading runs the CUDA simulator: two rows only)
    Bug("adam-fused-kernels", "the CUDA wrapper updates on the host (copy back, @njit, copy_to_device)",
        "    adam_kernel[blocks, THREADS](d_w, d_g, d_m, d_v, lr, beta1, beta2, eps, 1.0 - beta1**t, 1.0 - beta2**t)",
        "    w, g, m, v = (a.copy_to_host() for a in (d_w, d_g, d_m, d_v))\n"
        "    adam_update_njit(w, g, m, v, lr, beta1, beta2, eps, t)\n"
        "    d_w.copy_to_device(w)\n    d_m.copy_to_device(m)\n    d_v.copy_to_device(v)", "cuda",
        "has to run in your kernel"),
    Bug("adam-fused-kernels", "the kernel without its bounds guard", "    if i < w.shape[0]:\n        mi",
        "    if True:\n        mi", "shape", "guard with"),
    Bug("adam-fused-kernels", "a floor-division grid: the tail of w is never updated",
        "blocks = (n + THREADS - 1) // THREADS", "blocks = max(1, n // THREADS)", "cuda", "ceil"),
    # --- batchnorm
    Bug("batchnorm", "running variance with the unbiased batch variance",
        "self.running_var += self.momentum * var", "self.running_var += self.momentum * x.var(axis=0, ddof=1)",
        None, "unbiased"),
    Bug("batchnorm", "running statistics with momentum and 1 − momentum swapped",
        "self.running_mean *= 1.0 - self.momentum\n            self.running_mean += self.momentum * mean",
        "self.running_mean *= self.momentum\n            self.running_mean += (1.0 - self.momentum) * mean",
        None, "the other way round"),
    Bug("batchnorm", "eval mode normalizes with the batch statistics",
        "mean, var = self.running_mean, self.running_var", "mean, var = x.mean(axis=0), x.var(axis=0)",
        None, "statistics of this batch"),
    Bug("batchnorm", "dγ accumulated over backward passes", "self.dgamma = np.sum(grad_y * self.xhat, axis=0)",
        "self.dgamma = getattr(self, 'dgamma', 0.0) + np.sum(grad_y * self.xhat, axis=0)", None,
        "does not accumulate"),
    Bug("batchnorm", "ε outside the square root", "self.inv = 1.0 / np.sqrt(var + self.eps)",
        "self.inv = 1.0 / (np.sqrt(var) + self.eps)", None, "ε outside the square root"),
    # --- batchnorm-kernels (the CUDA simulator is slow: two rows)
    Bug("batchnorm-kernels", "no cuda.syncthreads() between the levels of the tree reduction",
        "            buf[tid] += buf[tid + step]\n        cuda.syncthreads()\n",
        "            buf[tid] += buf[tid + step]\n", "cuda", "that every thread reaches"),
    Bug("batchnorm-kernels", "the CUDA forward computed on the host by the @njit function",
        "def bn_forward_cuda(x, gamma, beta, eps):\n",
        "def bn_forward_cuda(x, gamma, beta, eps):\n"
        "    return bn_forward_njit(np.ascontiguousarray(x, dtype=np.float64), np.asarray(gamma, dtype=np.float64), "
        "np.asarray(beta, dtype=np.float64), eps)\n", "cuda",
        "graded on your kernels"),
    # --- residual-gradient-flow
    Bug("residual-gradient-flow", "the norm recorded at each block's output instead of its input",
        "        grad = block_backward(grad, hs[layer], As[layer], bs[layer], residual)[0]\n"
        "        norms[layer] = np.linalg.norm(grad)",
        "        norms[layer] = np.linalg.norm(grad)\n"
        "        grad = block_backward(grad, hs[layer], As[layer], bs[layer], residual)[0]", None,
        "at the output of block l"),
    Bug("residual-gradient-flow", "each block's backward run at its output h_{l+1}",
        "grad = block_backward(grad, hs[layer], As[layer]", "grad = block_backward(grad, hs[layer + 1], As[layer]",
        None, "pass the block's INPUT"),
    Bug("residual-gradient-flow", "the skip connection inside the tanh",
        "    out = np.tanh(x @ A + b)\n    return out + x if residual else out",
        "    return np.tanh(x @ A + b + x) if residual else np.tanh(x @ A + b)", None, "residual=True"),
    Bug("residual-gradient-flow", "the identity path added to du (so into dA and db)",
        "        dx = dx + G  # the identity path\n", "        du = du + G\n", None, "residual=True"),
    # --- debug-training
    Bug("debug-training", "the gradient never zeroed",
        "        w.grad = np.zeros_like(w.value)  # fixed: zero the gradient before accumulating (L3069)\n", "",
        "zeros", "never reset"),
    Bug("debug-training", "the test set standardized with its own statistics",
        "(X_test - mean) / std", "(X_test - X_test.mean(axis=0)) / X_test.std(axis=0)", "leak",
        "own mean and std"),
    Bug("debug-training", "evaluation in train mode, rescaled", "scores = model.forward(X, train=False)",
        "scores = model.forward(X, train=True) * 0.5", "train_mode", None),
    Bug("debug-training", "bce clipped below only", "p = np.clip(p, EPS, 1.0 - EPS)", "p = np.maximum(p, EPS)",
        "nan", None),
    # --- train-with-optimizers
    Bug("train-with-optimizers", "the loss summed over the batch",
        "losses.append(float(-log_p[np.arange(n), y].mean()))",
        "losses.append(float(-log_p[np.arange(n), y].sum()))", "factor", None),
    Bug("train-with-optimizers", "Nesterov given the gradient at w (closure called before the step)",
        '            opt.step(closure)', '            closure()\n            opt.step(lambda: None)', None,
        "not at the look-ahead point"),
    Bug("train-with-optimizers", "a small random initialization instead of zeros",
        "W, b = Param(np.zeros((d, c))), Param(np.zeros(c))",
        "W, b = Param(np.random.default_rng(0).normal(0, 0.01, (d, c))), Param(np.zeros(c))", None, "log C"),
    Bug("train-with-optimizers", "b never trained", "        b.grad = G.sum(axis=0)\n",
        "        b.grad = 0.0 * G.sum(axis=0)\n", None, "b never moves"),
    # --- quiz-optimization
    Bug("quiz-optimization", "RMSProp's first step without the square root", "q1 = 10\n", "q1 = 100\n", None, "q1"),
    Bug("quiz-optimization", "the last partial batch dropped", "q4 = 391", "q4 = 390", None, "drops the last"),
    Bug("quiz-optimization", "β₁ᵗ instead of 1 − β₁ᵗ", "q2 = 0.6513215599", "q2 = 0.3486784401", None, "q2"),
]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    return Workspace.init(tmp_path_factory.mktemp("planted-optimization") / "ws", solutions=True)


def _exercise(bug: Bug) -> Exercise:
    assert bug.exercise in CATALOG, f"no exercise {bug.exercise!r} in the catalog"
    return CATALOG[bug.exercise]


@pytest.mark.parametrize("bug", BUGS, ids=[f"{b.exercise}: {b.description}" for b in BUGS])
def test_planted_bug_loses_points(bug: Bug, workspace: Workspace) -> None:
    result = grade_with_bug(workspace, _exercise(bug), bug.old, bug.new)
    assert_loses_points(result, bug.description, diagnosis=bug.diagnosis, message=bug.message)


def test_every_chapter6_exercise_has_planted_bugs() -> None:
    chapter6 = {e.id for e in CATALOG.values() if e.chapter == 6}
    assert chapter6 <= {b.exercise for b in BUGS}, sorted(chapter6 - {b.exercise for b in BUGS})
