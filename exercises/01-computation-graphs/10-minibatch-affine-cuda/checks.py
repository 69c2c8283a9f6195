"""Checks for `minibatch-affine` (runs in the grader; learner code only through ctx.call / ctx.probe).

Without a GPU the learner's kernels run in Numba's CUDA simulator (one OS thread per CUDA thread), so
the CUDA checks use tiny shapes that are NOT multiples of the tile size.
"""

import ast
import math

import numpy as np

from grader import reference as ref
from grader.checklib import CheckContext, check
from grader.compare import compare
from grader.cudacheck import calls_in, function_node, kernel_problem
from grader.sandbox import LearnerError

# (N, D, M). Batch size 1 last: there every wrong value looks like "a constant factor".
NUMPY_LOCAL = [(5, 7, 3), (8, 4, 6), (1, 1, 1)]
NUMPY_HIDDEN = [(13, 9, 5), (2, 17, 3), (6, 1, 4)]
# matmul (N, K, M): partial tiles along every axis for TILE = 8 or 16; K = 33 spans three tiles.
MATMUL_LOCAL = [(5, 7, 3), (17, 9, 5), (3, 33, 2), (2, 3, 17), (1, 1, 1)]
MATMUL_HIDDEN = [(19, 2, 3), (4, 18, 9)]
# Few and small: each launch costs ~0.1-0.3 s in the CUDA simulator; (17, 9, 5) runs in `launches`.
AFFINE_CUDA_LOCAL = [(5, 7, 3)]
AFFINE_CUDA_HIDDEN = [(3, 20, 2)]
MEMORY_SIZE = 48  # N = D = M for the memory check: the (N, D, M) outer product is 884,736 bytes
# Entries near 0 are compared absolutely below this: a real GPU contracts a*b + c into FMAs, which round
# differently from the reference by ~1e-16 per term.
CUDA_FLOOR = 1e-6


def _layer(ctx: CheckContext, n: int, d: int, m: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    X = ctx.rng.standard_normal((n, d))
    A = ctx.rng.standard_normal((d, m))
    b = ctx.rng.standard_normal(m)
    G = ctx.rng.standard_normal((n, m))  # random upstream gradient, never ones
    return X, A, b, G


def _backward(ctx: CheckContext, name: str, G: np.ndarray, X: np.ndarray, A: np.ndarray) -> list:
    return ctx.expect_tuple(f"{name}(G, X, A)", ctx.call(name, G, X, A), 3)


# --- NumPy ---------------------------------------------------------------------------------------


@check("affine_forward is X A + b", points=2, target="numpy")
def forward(ctx: CheckContext) -> None:
    for n, d, m in ctx.cases(NUMPY_LOCAL, NUMPY_HIDDEN):
        X, A, b, _ = _layer(ctx, n, d, m)
        ctx.expect_close(f"affine_forward(X, A, b) for X {(n, d)}, A {(d, m)}", ctx.call("affine_forward", X, A, b),
                         ref.affine_forward(X, A, b), terms={"X A (without + b)": ref.matmul(X, A)})


@check("affine_backward: dX = G Aᵀ", points=1, target="numpy")
def backward_dx(ctx: CheckContext) -> None:
    for n, d, m in ctx.cases(NUMPY_LOCAL, NUMPY_HIDDEN):
        X, A, _, G = _layer(ctx, n, d, m)
        dX = _backward(ctx, "affine_backward", G, X, A)[0]
        ctx.expect_close(f"dX for X {(n, d)}, A {(d, m)}", dX, ref.affine_backward(G, X, A)[0])


@check("affine_backward: dA = Xᵀ G, summed over the batch", points=1, target="numpy")
def backward_da(ctx: CheckContext) -> None:
    for n, d, m in ctx.cases(NUMPY_LOCAL, NUMPY_HIDDEN):
        X, A, _, G = _layer(ctx, n, d, m)
        dA = _backward(ctx, "affine_backward", G, X, A)[1]
        ctx.expect_close(f"dA for X {(n, d)}, A {(d, m)}", dA, ref.affine_backward(G, X, A)[1], batch=n)


@check("affine_backward: db = column sums of G", points=1, target="numpy")
def backward_db(ctx: CheckContext) -> None:
    for n, d, m in ctx.cases(NUMPY_LOCAL, NUMPY_HIDDEN):
        X, A, _, G = _layer(ctx, n, d, m)
        db = _backward(ctx, "affine_backward", G, X, A)[2]
        ctx.expect_close(f"db for G {(n, m)}", db, ref.affine_backward(G, X, A)[2], batch=n)


@check("affine_backward agrees with central differences of Σ G ⊙ affine_forward", points=2, target="numpy")
def numerical(ctx: CheckContext) -> None:
    n, d, m = (7, 5, 3) if ctx.official else (6, 4, 3)
    X, A, b, G = _layer(ctx, n, d, m)

    def loss(inputs: dict[str, np.ndarray]) -> float:
        out = ctx.expect_array("affine_forward(X, A, b)", ctx.call("affine_forward", inputs["X"], inputs["A"],
                                                                    inputs["b"]), (n, m))
        return float(np.sum(G * out))

    dX, dA, db = _backward(ctx, "affine_backward", G, X, A)
    analytic = {"X": ctx.expect_array("dX", dX, (n, d)), "A": ctx.expect_array("dA", dA, (d, m)),
                "b": ctx.expect_array("db", db, (m,))}
    ctx.gradcheck("d Σ G⊙(XA + b)", loss, {"X": X, "A": A, "b": b}, analytic)


@check("affine_backward never builds the (N, D, M) outer product of L951", points=1, target="numpy")
def memory(ctx: CheckContext) -> None:
    n = d = m = MEMORY_SIZE
    X, A, _, G = _layer(ctx, n, d, m)
    _backward(ctx, "affine_backward", G, X, A)  # runs it once: an untouched starter is "not implemented"
    peak = ctx.probe("peak_bytes", "affine_backward", G, X, A)
    outer = n * d * m * 8
    # The GEMM form allocates about three (D, M)-sized results; a quarter of the outer product is generous.
    ctx.expect(isinstance(peak, int) and peak < outer // 4,
               f"affine_backward allocated {peak:,} bytes at N = D = M = {n}, about as much as the "
               f"(N, D, M) array X[:, :, None] * G[:, None, :] of L951 ({outer:,} bytes). Compute dA = Xᵀ G as "
               f"one matrix product: it sums over the batch without storing every example's outer product.",
               diagnosis="not_summed")


# --- CUDA ----------------------------------------------------------------------------------------


def _module_tile(source: str) -> int | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "TILE" for t in node.targets)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, int)):
            return node.value.value
    return None


def _kernel_source_problem(source: str, name: str, *, tiled: bool) -> tuple[str, str] | None:
    """(message, diagnosis) if the kernel `name` is missing, not @cuda.jit, empty, or (tiled) not tiled."""
    problem = kernel_problem(source, name)
    if problem or not tiled:
        return problem
    calls = calls_in(function_node(source, name))
    if not any(c.endswith("shared.array") for c in calls):
        return (f"{name} does not stage tiles in shared memory: allocate them with "
                f"cuda.shared.array((TILE, TILE), float64)"), "cuda"
    if not any(c.endswith("syncthreads") for c in calls):
        return (f"{name} uses shared memory without cuda.syncthreads(): threads would read tiles that "
                f"others have not finished loading (or already overwrite)"), "cuda"
    return None


def _cuda_call(ctx: CheckContext, name: str, what: str, *args: np.ndarray) -> object:
    """ctx.call for the CUDA wrappers, with the simulator's out-of-bounds IndexError explained."""
    try:
        return ctx.call(name, *args)
    except LearnerError as error:
        if error.type != "IndexError":
            raise
        ctx.fail(f"{name} read or wrote outside an array for {what} (IndexError: {error.message}). Threads of the "
                 f"last, partial tiles fall outside the matrices: guard every load from A and B (load 0.0 "
                 f"instead) and the final store to C with the bounds.", diagnosis="shape", details=error.traceback)


def _explain_matmul(ctx: CheckContext, label: str, got: object, A: np.ndarray, B: np.ndarray, tile: int | None) -> None:
    """Compare with A @ B; name the usual tiling mistakes (partial tiles along K, N or M) when they fit."""
    expected = ref.matmul(A, B)
    result = compare(label, got, expected, floor=CUDA_FLOOR)
    if result.ok:
        return
    if isinstance(got, np.ndarray) and got.shape == expected.shape and tile:
        (n, k), m = A.shape, B.shape[1]
        k0 = (k // tile) * tile
        if k0 < k and compare(label, got, ref.matmul(A[:, :k0], B[:k0]) if k0 else np.zeros_like(expected)).ok:
            what = f"equals A[:, :{k0}] @ B[:{k0}]" if k0 else "is all zeros"
            ctx.fail(f"{label} {what}: the last, partial tile along K (K = {k}, TILE = {tile}) is skipped. Loop "
                     f"over ceil(K / TILE) tiles.", diagnosis="mismatch", details=result.details)
        bad = ~np.isclose(got, expected, rtol=1e-6, atol=1e-8)
        for axis, size, what in ((0, n, "rows"), (1, m, "columns")):
            first_bad = int(np.argmax(bad.any(axis=1 - axis)))
            if first_bad % tile == 0 and first_bad > 0 and bad.take(range(first_bad, size), axis=axis).all() \
                    and not bad.take(range(first_bad), axis=axis).any():
                which = f"{what} {first_bad}…{size - 1} are" if first_bad < size - 1 else f"{what[:-1]} {first_bad} is"
                ctx.fail(f"{label}: {which} wrong, the rest right. The grid does not cover the last, partial "
                         f"block: use ceil({'N' if axis == 0 else 'M'} / TILE) blocks.", diagnosis="mismatch",
                         details=result.details)
    ctx.fail(result.explanation, diagnosis=result.diagnosis, details=result.details)


@check("matmul_kernel is a @cuda.jit kernel with shared-memory tiles (read from your source)", points=1,
       target="cuda")
def kernel_source(ctx: CheckContext) -> None:
    for name, tiled in (("matmul_kernel", True), ("colsum_kernel", False)):
        problem = _kernel_source_problem(ctx.source, name, tiled=tiled)
        if problem:
            ctx.fail(problem[0], diagnosis=problem[1])
    tile = _module_tile(ctx.source)
    ctx.expect(tile is not None and 1 <= tile <= 32,
               "TILE must be a module-level integer constant between 1 and 32 (e.g. TILE = 16): the kernel's "
               "shared arrays and the launch both use it", diagnosis="cuda")


@check("matmul_cuda equals A @ B on shapes that are not multiples of the tile", points=3, target="cuda")
def matmul(ctx: CheckContext) -> None:
    tile = _module_tile(ctx.source)
    for n, k, m in ctx.cases(MATMUL_LOCAL, MATMUL_HIDDEN):
        A, B = ctx.rng.standard_normal((n, k)), ctx.rng.standard_normal((k, m))
        what = f"A {(n, k)} @ B {(k, m)}"
        _explain_matmul(ctx, f"matmul_cuda for {what}", _cuda_call(ctx, "matmul_cuda", what, A, B), A, B, tile)


@check("affine_forward_cuda is X A + b", points=1, target="cuda")
def forward_cuda(ctx: CheckContext) -> None:
    for n, d, m in ctx.cases(AFFINE_CUDA_LOCAL, AFFINE_CUDA_HIDDEN):
        X, A, b, _ = _layer(ctx, n, d, m)
        got = _cuda_call(ctx, "affine_forward_cuda", f"X {(n, d)}, A {(d, m)}", X, A, b)
        ctx.expect_close(f"affine_forward_cuda for X {(n, d)}, A {(d, m)}", got, ref.affine_forward(X, A, b),
                         floor=CUDA_FLOOR, terms={"X A (without + b)": ref.matmul(X, A)})


@check("affine_backward_cuda: dX = G Aᵀ, dA = Xᵀ G, db = column sums of G", points=2, target="cuda")
def backward_cuda(ctx: CheckContext) -> None:
    for n, d, m in ctx.cases(AFFINE_CUDA_LOCAL, AFFINE_CUDA_HIDDEN):
        X, A, _, G = _layer(ctx, n, d, m)
        where = f"X {(n, d)}, A {(d, m)}"
        got = ctx.expect_tuple("affine_backward_cuda(G, X, A)",
                               _cuda_call(ctx, "affine_backward_cuda", where, G, X, A), 3)
        for name, value, expected in zip(("dX", "dA", "db"), got, ref.affine_backward(G, X, A), strict=True):
            ctx.expect_close(f"{name} from affine_backward_cuda for {where}", value, expected,
                             floor=CUDA_FLOOR, batch=None if name == "dX" else n)


@check("the wrappers launch matmul_kernel (ceil-div grid, TILE x TILE blocks) and colsum_kernel", points=1,
       target="cuda")
def launches(ctx: CheckContext) -> None:
    tile = _module_tile(ctx.source) or 0
    n, d, m = 17, 9, 5
    X, A, b, G = _layer(ctx, n, d, m)
    forward_log = ctx.probe("launches", "affine_forward_cuda", X, A, b)
    backward_log = ctx.probe("launches", "affine_backward_cuda", G, X, A)
    ctx.expect(len(forward_log["matmul_kernel"]) >= 1,
               "affine_forward_cuda did not launch matmul_kernel: compute X A with your kernel "
               "(through matmul_cuda), not with NumPy", diagnosis="cuda")
    ctx.expect(len(backward_log["matmul_kernel"]) >= 2,
               f"affine_backward_cuda launched matmul_kernel {len(backward_log['matmul_kernel'])} time(s); "
               f"G Aᵀ and Xᵀ G each need one launch", diagnosis="cuda")
    ctx.expect(len(backward_log["colsum_kernel"]) >= 1,
               "affine_backward_cuda did not launch colsum_kernel: compute db with it", diagnosis="cuda")
    # X (17, 9) @ A (9, 5): a 2-D grid of ceil-div TILE x TILE blocks, in either orientation.
    launch = forward_log["matmul_kernel"][0]
    want = sorted([math.ceil(n / tile), math.ceil(m / tile)]) if tile else None
    ctx.expect(launch["block"] == [tile, tile],
               f"matmul_kernel was launched with blocks of {launch['block']} threads; use (TILE, TILE) = "
               f"({tile}, {tile}), one thread per entry of a tile", diagnosis="cuda")
    ctx.expect(len(launch["grid"]) == 2 and sorted(launch["grid"]) == want,
               f"for X {(n, d)} @ A {(d, m)} matmul_kernel was launched on a grid of {launch['grid']} blocks; a "
               f"{n} x {m} result with TILE = {tile} needs ceil({n}/{tile}) x ceil({m}/{tile}) = {want} blocks",
               diagnosis="cuda")
