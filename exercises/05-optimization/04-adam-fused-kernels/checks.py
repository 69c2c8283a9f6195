"""Checks for `adam-fused-kernels` (runs in the grader; learner code only through ctx.probe).

The updates are in place, so they run in probes that keep the arrays and send back copies after every
step. The CUDA checks run in Numba's simulator without a GPU: tiny lengths, never multiples of the block.
"""

import math

import numpy as np

from grader import reference_optim as ro
from grader.checklib import CheckContext, check
from grader.cudacheck import kernel_problem
from grader.sandbox import LearnerError

LOCAL = [37, 1, 130]
HIDDEN = [65, 3, 200]
CUDA_LOCAL = [37, 1, 70]
CUDA_HIDDEN = [65, 129]
STEPS = 5
HYPER = [(0.01, 0.9, 0.999, 1e-2), (0.1, 0.8, 0.95, 1e-8)]  # (lr, β₁, β₂, ε): ε = 1e-2 exposes √(v + ε)
RTOL, FLOOR = 1e-7, 1e-12  # a GPU fuses a*b + c (FMA): last-bit differences


def _problem(ctx: CheckContext, n: int) -> tuple[np.ndarray, list[np.ndarray], np.ndarray, np.ndarray]:
    w = ctx.rng.normal(size=n)
    grads = [ctx.rng.normal(size=n) * 10.0 ** ctx.rng.uniform(-2, 0.5, n) for _ in range(STEPS)]
    # Nonzero starting moments, as in the middle of a run: a kernel that ignores m or v then shows.
    m = 0.1 * ctx.rng.normal(size=n)
    v = 0.1 * ctx.rng.uniform(0.0, 1.0, n)
    return w, grads, m, v


def _slips(w, m, v, lr, b1, b2, eps, t) -> dict[str, np.ndarray]:
    """What the usual mistakes make of w in step t (m and v: this step's, already checked)."""
    slips = {"has ε inside the square root: L2819 divides by √v̂ + ε":
             w - lr * (m / (1 - b1**t)) / np.sqrt(v / (1 - b2**t) + eps),
             "has no bias correction: divide m by 1 − β₁ᵗ and v by 1 − β₂ᵗ (L2819)": w - lr * m / (np.sqrt(v) + eps),
             "uses 1 − β₂ᵗ for m and 1 − β₁ᵗ for v: m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ)":
             w - lr * (m / (1 - b2**t)) / (np.sqrt(v / (1 - b1**t)) + eps)}
    for other in (t - 1, t + 1):
        if other >= 1:
            slips[f"bias-corrects with t = {other}: the step number t is the one passed in (the first step is t = 1)"] \
                = w - lr * (m / (1 - b1**other)) / (np.sqrt(v / (1 - b2**other)) + eps)
    return slips


def _compare_steps(ctx: CheckContext, name: str, snaps: list, w, grads, m, v, hyper) -> None:
    lr, b1, b2, eps = hyper
    n = len(w)
    for s, (snap, g) in enumerate(zip(snaps, grads, strict=True)):
        w_prev, t, before = w, s + 1, {"w": w, "m": m, "v": v}
        w, m, v = ro.adam_step(w, m, v, g, lr, b1, b2, eps, t)
        where = f"after step t = {t} of {name}(..., lr={lr}, beta1={b1}, beta2={b2}, eps={eps:g}, t) on n = {n}"
        for key, expected in (("m", m), ("v", v), ("w", w)):
            got = ctx.expect_array(f"{key} {where}", snap[key], (n,))
            if np.array_equal(got, before[key]):
                ctx.fail(f"{key} {where} did not change: the update must land in the very array you were given "
                         f"(in place), not in a copy or a new array", diagnosis="not_in_place")
            if key == "w" and not np.allclose(got, expected, rtol=RTOL, atol=FLOOR):
                for why, value in _slips(w_prev, m, v, lr, b1, b2, eps, t).items():
                    if np.allclose(got, value, rtol=RTOL, atol=FLOOR):
                        ctx.fail(f"w {where} {why}", diagnosis="mismatch")
            ctx.expect_close(f"{key} {where} (the array you were given, updated in place)", got, expected, rtol=RTOL,
                             floor=FLOOR)


def _decorated(ctx: CheckContext, name: str, allowed: tuple[str, ...]) -> list[str]:
    decorators = ctx.decorators_of(name)
    ctx.expect(any(d in allowed for d in decorators),
               f"{name} must be decorated with @{allowed[0]} (found {decorators or 'no decorator'})",
               diagnosis="njit" if "njit" in allowed else "cuda")
    return decorators


# --- Numba --------------------------------------------------------------------------------------


@check("adam_update_njit is an @njit function (read from your source)", points=1, target="numba")
def njit_source(ctx: CheckContext) -> None:
    w, grads, m, v = _problem(ctx, 3)
    ctx.probe("njit_steps", w, grads[:1], m, v, *HYPER[0], label="adam_update_njit")  # the starter: not implemented
    _decorated(ctx, "adam_update_njit", ("njit", "numba.njit", "jit", "numba.jit"))


@check("adam_update_njit updates w, m and v in place: every step against the reference", points=4, target="numba")
def njit_steps(ctx: CheckContext) -> None:
    for k, n in enumerate(ctx.cases(LOCAL, HIDDEN)):
        hyper = HYPER[k % len(HYPER)]
        w, grads, m, v = _problem(ctx, n)
        try:
            snaps = ctx.probe("njit_steps", w, grads, m, v, *hyper, label="adam_update_njit")
        except LearnerError as error:
            if error.type != "IndexError":
                raise
            ctx.fail(f"adam_update_njit indexed past the end of an array of length {n} (IndexError: {error.message})",
                     diagnosis="shape", details=error.traceback)
        ctx.expect(all(s["returned_none"] for s in snaps),
                   "adam_update_njit returned something: it updates the arrays it is given in place and returns "
                   "None (a returned new array would be thrown away by the caller)", diagnosis="not_in_place")
        _compare_steps(ctx, "adam_update_njit", snaps, w, grads, m, v, hyper)


# --- CUDA ---------------------------------------------------------------------------------------


def _kernel_problem(source: str, name: str) -> tuple[str, str] | None:
    """cudacheck.kernel_problem; this exercise words an unparsable file more briefly."""
    problem = kernel_problem(source, name)
    if problem and problem[1] == "syntax":
        return "your file does not parse", "syntax"
    return problem


def _cuda(ctx: CheckContext, w, grads, m, v, hyper) -> dict:
    try:
        return ctx.probe("cuda_steps", w, grads, m, v, *hyper, label="adam_update_cuda")
    except LearnerError as error:
        if error.type != "IndexError":
            raise
        ctx.fail(f"adam_kernel read or wrote past the end of an array of length {len(w)} (IndexError: "
                 f"{error.message}): the last block has threads beyond n; guard with `if i < w.shape[0]:`",
                 diagnosis="shape", details=error.traceback)
    raise AssertionError  # unreachable


@check("adam_kernel is a @cuda.jit kernel (read from your source)", points=1, target="cuda")
def kernel_source(ctx: CheckContext) -> None:
    problem = _kernel_problem(ctx.source, "adam_kernel")
    if problem:
        ctx.fail(problem[0], diagnosis=problem[1])


@check("adam_update_cuda updates the device arrays in place: every step, lengths not multiples of the block",
       points=4, target="cuda")
def cuda_steps(ctx: CheckContext) -> None:
    for k, n in enumerate(ctx.cases(CUDA_LOCAL, CUDA_HIDDEN)):
        hyper = HYPER[k % len(HYPER)]
        w, grads, m, v = _problem(ctx, n)
        out = _cuda(ctx, w, grads, m, v, hyper)
        # The CUDA target is graded on the kernel: values computed on the host (copy back, NumPy or the @njit
        # function, copy_to_device) earn nothing here.
        ctx.expect(len(out["launches"]) >= len(grads),
                   f"{len(grads)} calls of adam_update_cuda launched adam_kernel {len(out['launches'])} time(s): the "
                   f"update has to run in your kernel on the device, launched once per step "
                   f"(adam_kernel[blocks, THREADS](...)), not on the host", diagnosis="cuda")
        _compare_steps(ctx, "adam_update_cuda", out["snaps"], w, grads, m, v, hyper)


@check("one launch of adam_kernel per step on a ceil-div grid; no copies and no new arrays", points=2, target="cuda")
def cuda_launches(ctx: CheckContext) -> None:
    n = 70
    w, grads, m, v = _problem(ctx, n)
    out = _cuda(ctx, w, grads[:2], m, v, HYPER[0])
    launches, transfers = out["launches"], out["transfers"]
    ctx.expect(len(launches) == 2, f"two calls of adam_update_cuda launched adam_kernel {len(launches)} time(s); "
                                   f"launch it once per step (the update is one fused pass)", diagnosis="cuda")
    ctx.expect(not transfers,
               f"adam_update_cuda called {sorted(set(transfers))} during the steps. The arrays are already on the "
               f"device and are updated there in place: no cuda.to_device, no device_array, no copy_to_host. "
               f"Compute the scalars c1 = 1 − β₁ᵗ, c2 = 1 − β₂ᵗ on the host and pass them.",
               diagnosis="not_in_place")
    sized = [(n, launch) for launch in launches]
    block = math.prod(launches[0]["block"]) if launches[0]["block"] else 0
    if 0 < block <= 256:
        # One short of two full blocks: ceil-div gives exactly 2 blocks; (n + block) // block gives 3.
        n2 = 2 * block - 1
        w, grads, m, v = _problem(ctx, n2)
        sized += [(n2, launch) for launch in _cuda(ctx, w, grads[:1], m, v, HYPER[0])["launches"]]
    for size, launch in sized:
        block = math.prod(launch["block"]) if launch["block"] else 0
        ctx.expect(block > 0 and math.prod(launch["grid"]) == math.ceil(size / block),
                   f"for n = {size}, adam_kernel was launched with {launch['grid']} blocks of {launch['block']} "
                   f"threads; use ceil(n / THREADS) blocks of THREADS threads, one thread per entry",
                   diagnosis="cuda")
