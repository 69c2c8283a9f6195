"""Checks for `softmax-rows-cuda` (run in the grader; learner code only through ctx.call / ctx.probe).

Without a GPU the kernels run in Numba's CUDA simulator, so there are few rows; row lengths are never
multiples of the block, some shorter than it, most longer.
"""

import ast

import numpy as np

from grader import reference as ref
from grader.checklib import CheckContext, check
from grader.compare import compare
from grader.cudacheck import cuda_call, expect_kernel, report_kernel_times

KERNELS = ("softmax_rows_kernel", "softmax_backward_kernel")
# Few rows: in the simulator every block of THREADS threads with its barriers costs ~0.05-0.1 s.
LOCAL = [(2, 71), (1, 5), (2, 131), (1, 1)]
HIDDEN = [(2, 97), (3, 3)]
BACKWARD_LOCAL = [(2, 71), (1, 5), (1, 131)]
NEEDS = {"shared.array": "reduce through cuda.shared.array(THREADS, float64): the threads of the block "
                         "combine their partial results there",
         "syncthreads": "call cuda.syncthreads() between the steps of the reduction: a thread must not read a "
                        "shared value before the thread writing it is done"}


OVERFLOW = ("Row 0 has an entry near 800 late in the row: subtract the row's true maximum (over every entry, "
            "folded by all threads and combined by the whole tree) before exp, and synchronise after reading it "
            "from shared memory, before the array is reused.")


def _threads(source: str) -> int | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "THREADS" for t in node.targets)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, int)):
            return node.value.value
    return None


def _scores(ctx: CheckContext, n: int, m: int, threads: int | None) -> np.ndarray:
    """Random rows; where the shape allows, a row with one huge entry late in the row (past the first block of
    threads: a max over part of the row leaves exp() of ~700 to overflow) and a row of very negative entries with
    one spike at the last thread's slot (a tree that drops the upper half of the partial maxima misses it)."""
    S = ctx.rng.normal(0.0, 3.0, size=(n, m))
    if m >= 5:
        S[0, m - 2] = 800.0 + ctx.rng.uniform()
    if n >= 2 and m >= 5:
        S[1] -= 900.0  # every exp(S) underflows to 0 without the max subtraction
        if threads and threads - 1 < m:
            S[1, threads - 1] = 800.0 + ctx.rng.uniform()
    return S


def _explain(ctx: CheckContext, label: str, got: object, expected: np.ndarray) -> None:
    result = compare(label, got, expected)
    if result.ok:
        return
    if isinstance(got, np.ndarray) and got.shape == expected.shape and np.all(np.isfinite(got)):
        sums = got.sum(axis=1)
        if not np.allclose(sums, 1.0, rtol=1e-9):
            bad = int(np.argmax(np.abs(sums - 1.0)))
            ctx.fail(f"{label}: row {bad} of P sums to {sums[bad]:.6g}, not 1. The sum of exponentials misses (or "
                     f"double counts) entries: each thread folds its whole strided slice j = tid, tid + THREADS, … "
                     f"< M, and the tree must combine all THREADS partial sums, with cuda.syncthreads() between steps.",
                     diagnosis="reduction", details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


@check("both kernels are @cuda.jit, reduce in shared memory with syncthreads; THREADS is a power of two "
       "(read from your source)", points=1, target="cuda")
def kernels(ctx: CheckContext) -> None:
    for name in KERNELS:
        expect_kernel(ctx, name, needs=NEEDS)
    threads = _threads(ctx.source)
    ctx.expect(threads is not None and 8 <= threads <= 256 and threads & (threads - 1) == 0,
               f"THREADS must be a module-level integer constant, a power of two from 8 to 256 (found {threads}): "
               f"the tree reduction halves it down to 1", diagnosis="cuda")


@check("softmax_cuda equals the row-wise softmax (rows shorter and longer than the block, huge entries)",
       points=4, target="cuda")
def forward(ctx: CheckContext) -> None:
    threads = _threads(ctx.source)
    for n, m in ctx.cases(LOCAL, HIDDEN):
        S = _scores(ctx, n, m, threads)
        label = f"softmax_cuda(S) for S of shape {(n, m)}"
        got = cuda_call(ctx, "softmax_cuda", f"S of shape {(n, m)}", S, overflow=OVERFLOW)
        _explain(ctx, label, got, ref.softmax(S))


@check("softmax_backward_cuda equals P ⊙ (G − Σ G⊙P) for a random upstream G", points=4, target="cuda")
def backward(ctx: CheckContext) -> None:
    for n, m in ctx.cases(BACKWARD_LOCAL, HIDDEN):
        P = ref.softmax(ctx.rng.normal(0.0, 1.5, size=(n, m)))
        G = ctx.rng.standard_normal((n, m))  # random, never ones (with ones the answer is 0)
        label = f"softmax_backward_cuda(P, G) for P of shape {(n, m)}"
        got = cuda_call(ctx, "softmax_backward_cuda", f"P of shape {(n, m)}", P, G)
        ctx.expect_close(label, got, ref.softmax_backward(P, G),
                         terms={"P ⊙ G (the row sum Σ G⊙P)": P * G, "G − Σ G⊙P (the factor P)":
                                G - np.sum(G * P, axis=1, keepdims=True)})


@check("each wrapper launches its kernel once, N blocks (one per row) of THREADS threads", points=2,
       target="cuda")
def launches(ctx: CheckContext) -> None:
    threads = _threads(ctx.source)
    n, m = 2, 40
    S = ctx.rng.standard_normal((n, m))
    P = ref.softmax(S)
    G = ctx.rng.standard_normal((n, m))
    for name, kernel, args in (("softmax_cuda", "softmax_rows_kernel", (S,)),
                               ("softmax_backward_cuda", "softmax_backward_kernel", (P, G))):
        log = ctx.probe("launches", list(KERNELS), name, *args, label=name)[kernel]
        ctx.expect(len(log) == 1, f"{name} launched {kernel} {len(log)} times for {n} rows; launch it once, with "
                                  f"one block per row", diagnosis="cuda")
        ctx.expect(log[0]["grid"] == [n] and log[0]["block"] == [threads],
                   f"{name} launched {kernel} on {log[0]['grid']} blocks of {log[0]['block']} threads for {n} rows; "
                   f"the rule is N = {n} blocks (one per row) of THREADS = {threads} threads", diagnosis="cuda")
    rng = ctx.rng  # timed on a GPU only: the arrays are drawn there, not in the simulator
    report_kernel_times(ctx, ["softmax_rows_kernel"], "softmax_cuda", lambda: [rng.standard_normal((4096, 1000))],
                        "softmax")
    report_kernel_times(ctx, ["softmax_backward_kernel"], "softmax_backward_cuda",
                        lambda: [ref.softmax(rng.standard_normal((4096, 1000))), rng.standard_normal((4096, 1000))],
                        "softmax_backward")
