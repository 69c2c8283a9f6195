"""Checks for `conv2d-forward-cuda` (run in the grader; learner code only through ctx.call / ctx.probe).

Without a GPU the kernel runs in Numba's CUDA simulator, so the images are tiny; output planes are never
multiples of the block.
"""

import ast
import math

import numpy as np

from grader import reference_conv as ref
from grader.checklib import CheckContext, check
from grader.cudacheck import cuda_call, expect_kernel, report_kernel_times

# (N, C_in, H, W, C_out, KH, KW, stride, padding, dilation)
PLAIN_LOCAL = [(2, 3, 7, 9, 2, 3, 3, 1, 0, 1), (1, 1, 6, 5, 3, 2, 3, 1, 0, 1)]
PLAIN_HIDDEN = [(2, 2, 9, 6, 1, 3, 2, 1, 0, 1)]
PADDING_LOCAL = [(1, 2, 6, 7, 2, 3, 3, 1, 1, 1), (2, 1, 5, 4, 1, 3, 3, 1, 2, 1)]
PADDING_HIDDEN = [(1, 3, 4, 6, 2, 2, 3, 1, 1, 1)]
STRIDE_LOCAL = [(1, 2, 9, 11, 2, 3, 2, 2, 1, 1), (2, 1, 10, 8, 2, 2, 3, 3, 0, 1)]
STRIDE_HIDDEN = [(1, 2, 12, 7, 1, 3, 3, 2, 0, 1)]
DILATION_LOCAL = [(1, 2, 9, 8, 2, 3, 3, 1, 2, 2), (1, 1, 11, 10, 1, 2, 2, 2, 1, 3)]
DILATION_HIDDEN = [(2, 1, 8, 9, 1, 2, 3, 1, 1, 2)]


def _block(source: str) -> int | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    for node in tree.body:
        if (isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "BLOCK" for t in node.targets)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, int)):
            return node.value.value
    return None


def _run_cases(ctx: CheckContext, cases: list) -> None:
    for n, c_in, h, w_, c_out, kh, kw, s, p, d in cases:
        x = ctx.rng.standard_normal((n, c_in, h, w_))
        w = ctx.rng.standard_normal((c_out, c_in, kh, kw))
        b = ctx.rng.standard_normal(c_out)
        what = f"x {x.shape}, w {w.shape}, stride={s}, padding={p}, dilation={d}"
        got = cuda_call(ctx, "conv2d_forward_cuda", what, x, w, b, s, p, d)
        expected = ref.conv2d_forward(x, w, b, s, p, d)
        terms = {"the conv without + b": ref.conv2d_forward(x, w, np.zeros_like(b), s, p, d),
                 "a flipped kernel (a true convolution, not the notes' cross-correlation)":
                     ref.conv2d_forward(x, w[:, :, ::-1, ::-1], b, s, p, d)}
        if isinstance(got, np.ndarray) and got.shape != expected.shape:
            ctx.fail(f"conv2d_forward_cuda for {what} returned shape {got.shape}, expected {expected.shape}: "
                     f"H_out = (H + 2·padding − dilation·(KH − 1) − 1) // stride + 1 (L3277 with dilation)",
                     diagnosis="shape")
        ctx.expect_close(f"conv2d_forward_cuda for {what}", got, expected, batch=None, terms=terms)


@check("conv2d_forward_kernel is a @cuda.jit kernel, BLOCK a module constant (read from your source)", points=1,
       target="cuda")
def kernel(ctx: CheckContext) -> None:
    expect_kernel(ctx, "conv2d_forward_kernel")
    block = _block(ctx.source)
    ctx.expect(block is not None and 1 <= block <= 32,
               f"BLOCK must be a module-level integer constant from 1 to 32 (found {block}): blocks are "
               f"BLOCK x BLOCK threads", diagnosis="cuda")


@check("stride 1, no padding: y = b + w ⋆ x (cross-correlation, bias added)", points=3, target="cuda")
def plain(ctx: CheckContext) -> None:
    _run_cases(ctx, ctx.cases(PLAIN_LOCAL, PLAIN_HIDDEN))
    x, w, b = ctx.rng.standard_normal((1, 2, 5, 6)), ctx.rng.standard_normal((2, 2, 2, 3)), ctx.rng.standard_normal(2)
    got = cuda_call(ctx, "conv2d_forward_cuda", "the default stride, padding and dilation", x, w, b)
    ctx.expect_close("conv2d_forward_cuda(x, w, b) with the defaults stride=1, padding=0, dilation=1", got,
                     ref.conv2d_forward(x, w, b, 1, 0, 1))


@check("zero padding", points=2, target="cuda")
def padding(ctx: CheckContext) -> None:
    _run_cases(ctx, ctx.cases(PADDING_LOCAL, PADDING_HIDDEN))


@check("stride (with and without padding)", points=2, target="cuda")
def stride(ctx: CheckContext) -> None:
    _run_cases(ctx, ctx.cases(STRIDE_LOCAL, STRIDE_HIDDEN))


@check("dilation (with padding and stride)", points=2, target="cuda")
def dilation(ctx: CheckContext) -> None:
    _run_cases(ctx, ctx.cases(DILATION_LOCAL, DILATION_HIDDEN))


@check("one launch on the grid (ceil(W_out / BLOCK), ceil(H_out / BLOCK), N · C_out) of (BLOCK, BLOCK) blocks",
       points=2, target="cuda")
def launches(ctx: CheckContext) -> None:
    block = _block(ctx.source) or 0
    n, c_in, h, w_, c_out, kh, kw, s, p, d = 2, 1, 11, 6, 3, 3, 2, 1, 1, 1
    x = ctx.rng.standard_normal((n, c_in, h, w_))
    w = ctx.rng.standard_normal((c_out, c_in, kh, kw))
    b = ctx.rng.standard_normal(c_out)
    log = ctx.probe("launches", ["conv2d_forward_kernel"], "conv2d_forward_cuda", x, w, b, s, p, d,
                    label="conv2d_forward_cuda")["conv2d_forward_kernel"]
    h_out, w_out = h + 2 * p - kh + 1, w_ + 2 * p - kw + 1  # 11 x 7
    want = [math.ceil(w_out / block), math.ceil(h_out / block), n * c_out] if block else None
    _expect_launch(ctx, log, x, w, (n, c_out, h_out, w_out), block, want)
    if block:  # W_out = 2 · BLOCK exactly: ceil, not W_out // BLOCK + 1 (a block of idle threads)
        x = ctx.rng.standard_normal((1, 1, 5, 2 * block - 1))
        w = ctx.rng.standard_normal((1, 1, 3, 2))
        log = ctx.probe("launches", ["conv2d_forward_kernel"], "conv2d_forward_cuda", x, w, b[:1], 1, 1, 1,
                        label="conv2d_forward_cuda")["conv2d_forward_kernel"]
        _expect_launch(ctx, log, x, w, (1, 1, 5, 2 * block), block, [2, 1, 1])
    rng = ctx.rng  # timed on a GPU only: the arrays are drawn there, not in the simulator
    report_kernel_times(ctx, ["conv2d_forward_kernel"], "conv2d_forward_cuda",
                        lambda: [rng.standard_normal((8, 16, 64, 64)), rng.standard_normal((32, 16, 3, 3)),
                                 rng.standard_normal(32), 1, 1, 1], "conv2d_forward")


def _expect_launch(ctx: CheckContext, log: list, x: np.ndarray, w: np.ndarray, y_shape: tuple, block: int,
                   want: list | None) -> None:
    ctx.expect(len(log) == 1, f"conv2d_forward_cuda launched conv2d_forward_kernel {len(log)} times; one launch "
                              f"covers every image and channel through the grid's z axis", diagnosis="cuda")
    ctx.expect(log[0]["block"] == [block, block],
               f"the kernel was launched with blocks of {log[0]['block']} threads; use (BLOCK, BLOCK) = "
               f"({block}, {block})", diagnosis="cuda")
    ctx.expect(log[0]["grid"] == want,
               f"for x {x.shape} and w {w.shape} (padding 1: y is {y_shape}) the kernel was "
               f"launched on a grid of {log[0]['grid']} blocks; the rule asks for (ceil(W_out / BLOCK), "
               f"ceil(H_out / BLOCK), N · C_out) = {want}", diagnosis="grid")
