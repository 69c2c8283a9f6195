"""Helpers for the checks of CUDA exercises (checks.py of part 07-gpu-kernels): static checks on the
learner's kernels (parsed from source, never run here), learner calls with the CUDA simulator's
out-of-bounds IndexError explained, and kernel timings on a real GPU."""

from __future__ import annotations

import ast
from collections.abc import Callable

from grader.checklib import CheckContext
from grader.sandbox import LearnerError

CUDA_DECORATORS = ("cuda.jit", "numba.cuda.jit")


def function_node(source: str, name: str) -> ast.FunctionDef | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    return next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == name), None)


def calls_in(node: ast.AST) -> set[str]:
    """Dotted names of everything called inside node, e.g. {'cuda.grid', 'cuda.atomic.add', 'range'}."""
    return {ast.unparse(c.func) for c in ast.walk(node) if isinstance(c, ast.Call)}


def kernel_problem(source: str, name: str) -> tuple[str, str] | None:
    """(message, diagnosis) when `name` is not a top-level @cuda.jit function with a body."""
    try:
        ast.parse(source)
    except SyntaxError:
        return f"your file does not parse, so {name} cannot be read", "syntax"
    node = function_node(source, name)
    if node is None:
        return f"{name} must be a top-level function in your file", "shape"
    decorators = [ast.unparse(d.func if isinstance(d, ast.Call) else d) for d in node.decorator_list]
    if not any(d in CUDA_DECORATORS for d in decorators):
        return f"{name} is not decorated with @cuda.jit (found {decorators or 'no decorator'})", "cuda"
    body = [s for s in node.body if not (isinstance(s, ast.Pass) or (isinstance(s, ast.Expr)
                                                                     and isinstance(s.value, ast.Constant)))]
    if not body:
        return f"not implemented yet: {name} still has an empty body", "not_implemented"
    return None


def expect_kernel(ctx: CheckContext, name: str, *, needs: dict[str, str] | None = None) -> ast.FunctionDef:
    """Fail unless `name` is a @cuda.jit kernel whose body calls every dotted-name suffix in `needs`
    (suffix -> the message when it is missing)."""
    problem = kernel_problem(ctx.source, name)
    if problem:
        ctx.fail(problem[0], diagnosis=problem[1])
    node = function_node(ctx.source, name)
    assert node is not None
    calls = calls_in(node)
    for suffix, message in (needs or {}).items():
        if not any(c == suffix or c.endswith("." + suffix) for c in calls):
            ctx.fail(f"{name}: {message}", diagnosis="cuda")
    return node


def with_helpers(source: str, name: str) -> list[ast.FunctionDef]:
    """The function `name` and the top-level functions of the file it calls by name (device functions), one level
    deep: what runs inside a kernel."""
    node = function_node(source, name)
    if node is None:
        return []
    called = {c.split(".")[-1] for c in calls_in(node)}
    helpers = [function_node(source, c) for c in sorted(called) if c != name]
    return [node, *(h for h in helpers if h is not None)]


def subscript_updates(node: ast.FunctionDef) -> list[str]:
    """Read-modify-write statements on an entry of one of node's array arguments (`a[i] += v`,
    `a[i] = a[i] + v`): on a GPU two threads doing this to one entry at once can lose an update (a race).
    Local arrays (cuda.local.array, registers) are private to a thread and not reported."""
    params = {a.arg for a in node.args.args}

    def base(target: ast.expr) -> str | None:
        return target.value.id if isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name) else None

    found = []
    for stmt in ast.walk(node):
        if isinstance(stmt, ast.AugAssign) and base(stmt.target) in params:
            found.append(ast.unparse(stmt))
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and base(stmt.targets[0]) in params:
            target = ast.unparse(stmt.targets[0])
            if any(isinstance(n, ast.Subscript) and ast.unparse(n) == target for n in ast.walk(stmt.value)):
                found.append(ast.unparse(stmt))
    return found


def cuda_call(ctx: CheckContext, name: str, what: str, *args, overflow: str = "", **kwargs) -> object:
    """ctx.call for a CUDA wrapper, with the simulator's out-of-bounds IndexError and OverflowError explained
    (`overflow`: the exercise's advice for the latter)."""
    try:
        return ctx.call(name, *args, **kwargs)
    except LearnerError as error:
        if error.type == "OverflowError":
            ctx.fail(f"{name} overflowed for {what} ({error.message}): the CUDA simulator runs kernels as Python, "
                     f"where math.exp of more than about 709 raises; on a GPU it gives inf, and then nan. {overflow}",
                     diagnosis="overflow", details=error.traceback)
        if error.type != "IndexError":
            raise
        ctx.fail(f"{name} read or wrote outside an array for {what} (IndexError: {error.message}). The threads "
                 f"of the last block (and of a grid-stride loop's last round) fall past the end: guard every "
                 f"load and store with the bounds.", diagnosis="shape", details=error.traceback)


def report_kernel_times(ctx: CheckContext, kernels: list[str], name: str, args: Callable[[], list],
                        reference: str) -> None:
    """On a GPU: time the learner's kernels (as launched by learner.name(*args())) against the reference kernels
    `reference` of _shared/cuda_reference.py in the learner's process, and note both. In the simulator: a note
    that nothing is timed (and args is never called: GPU-sized inputs are not even drawn). Never scored."""
    measured = None
    if ctx.cuda_mode == "gpu":
        try:
            measured = ctx.probe("time_against_reference", kernels, name, args(), reference,
                                 label=f"timing {name}")
        except LearnerError as error:
            ctx.note(f"kernel times could not be measured ({error.type}: {error.message[:200]})")
            return
    ctx.kernel_times(measured)
