"""tutor/mathtext.py: LaTeX math in the exercise instructions as readable Unicode text."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tutor.mathtext import DISPLAY_MATH, FENCE, INLINE_MATH, code_span, convert, markdown_math, unsupported

ROOT = Path(__file__).resolve().parents[1]
READMES = sorted(ROOT.glob("exercises/*/*/README.md"))

# The chapter-1 formulas, verbatim from their READMEs.
SIGMOID = r"\sigma(x) = \frac{1}{1 + e^{-x}}, \qquad \sigma'(x) = \sigma(x)\,(1 - \sigma(x))."
BCE = r"\mathcal L(\hat y_i, y_i) = -y_i \log \hat y_i - (1 - y_i)\log(1 - \hat y_i)."
BCE_GRADIENT = (r"\nabla_{\mathbf w} \sum_{i=1}^N \mathcal L(\hat y_i, y_i) = "
                r"\sum_{i=1}^N (\hat y_i - y_i)\,\mathbf x_i .")
FANOUT = (r"\frac{\partial \mathcal L}{\partial y} = \frac{\partial \mathcal L}{\partial u}"
          + r"""\frac{\partial u}{\partial y}
  + \frac{\partial \mathcal L}{\partial v}\frac{\partial v}{\partial y}, \qquad
  \frac{\partial \mathcal L}{\partial x} = \frac{\partial \mathcal L}{\partial y}\frac{\partial y}{\partial x}.""")
ALIGNED = r"""\begin{aligned}
(3)\;& \frac{\partial \mathcal L}{\partial \hat y} = \frac{\hat y - y}{\hat y(1-\hat y)} \\
(2)\;& \frac{\partial \mathcal L}{\partial u} = \frac{\partial \mathcal L}{\partial \hat y}\,\sigma(u)\,(1-\sigma(u)) \\
(1)\;& \frac{\partial \mathcal L}{\partial w_0} = \frac{\partial \mathcal L}{\partial u}, \qquad
       \frac{\partial \mathcal L}{\partial w_1} = \frac{\partial \mathcal L}{\partial u}\,x
\end{aligned}"""


@pytest.mark.parametrize("readme, latex", [
    ("01-sigmoid", SIGMOID), ("02-logreg-bce", BCE), ("02-logreg-bce", BCE_GRADIENT), ("04-fanout", FANOUT),
    ("05-logreg-backprop", ALIGNED),
])
def test_examples_are_verbatim_from_chapter_1(readme: str, latex: str) -> None:
    assert latex in (ROOT / "exercises/01-computation-graphs" / readme / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("latex, text", [
    # the chapter-1 READMEs
    (SIGMOID, "σ(x) = 1/(1 + e⁻ˣ),    σ'(x) = σ(x) (1 - σ(x))."),
    (BCE, "ℒ(ŷᵢ, yᵢ) = -yᵢ log ŷᵢ - (1 - yᵢ) log(1 - ŷᵢ)."),
    (BCE_GRADIENT, "∇_w Σᵢ₌₁ᴺ ℒ(ŷᵢ, yᵢ) = Σᵢ₌₁ᴺ (ŷᵢ - yᵢ) xᵢ."),
    (FANOUT, "∂ℒ/∂y = ∂ℒ/∂u ∂u/∂y + ∂ℒ/∂v ∂v/∂y,    ∂ℒ/∂x = ∂ℒ/∂y ∂y/∂x."),
    (ALIGNED, "(3) ∂ℒ/∂ŷ = (ŷ - y)/(ŷ(1 - ŷ))\n"
              "(2) ∂ℒ/∂u = ∂ℒ/∂ŷ σ(u) (1 - σ(u))\n"
              "(1) ∂ℒ/∂w₀ = ∂ℒ/∂u,    ∂ℒ/∂w₁ = ∂ℒ/∂u x"),
    (r"\hat y_i = \sigma(\mathbf w^\top \mathbf x_i)", "ŷᵢ = σ(wᵀxᵢ)"),
    (r"\sum_i \mathrm{BCE}(\sigma(\mathbf w^\top \mathbf x_i), y_i)", "Σᵢ BCE(σ(wᵀxᵢ), yᵢ)"),
    (r"\partial\mathcal L/\partial z", "∂ℒ/∂z"),
    (r"|u| \le 4", "|u| ≤ 4"),
    (r"t \to 0", "t → 0"),
    (r"y = \sin x, \qquad u = y^2, \qquad v = e^{y}, \qquad \mathcal L = u \cdot v .",
     "y = sin x,    u = y²,    v = eʸ,    ℒ = u · v."),
    (r"\nabla_{\mathbf w}\mathcal L = (\hat y - y)\,\mathbf x", "∇_w ℒ = (ŷ - y) x"),
    # fractions: parentheses only around a side with more than one term (or a product below the bar)
    (r"\frac{1}{1+e^{-x}}", "1/(1 + e⁻ˣ)"),
    (r"\frac{\partial \mathcal L}{\partial y}", "∂ℒ/∂y"),
    (r"\frac{dy}{dx}", "dy/dx"),
    (r"\frac1N \sum_n x_n", "1/N Σₙ xₙ"),
    (r"\tfrac12 \|w\|^2", "1/2 ‖w‖²"),
    (r"\frac{1}{2N}", "1/(2N)"),
    (r"\frac{K-1}{K}c", "(K - 1)/K c"),
    (r"\frac{|y - \mu|}{b}", "|y - μ|/b"),
    (r"\frac{\lambda}{2}", "λ/2"),
    (r"\frac{a}{b}\frac{c}{d}", "a/b c/d"),
    # scripts: Unicode characters when every one has one, else ^(…)/_(…) or ^x/_x
    (r"e^{-x}", "e⁻ˣ"), (r"x_i", "xᵢ"), (r"w_1", "w₁"), (r"x^2", "x²"), (r"x^T", "xᵀ"),
    (r"\mathbf A^\top", "Aᵀ"), (r"\sigma_j^2", "σⱼ²"), (r"x^2_i", "xᵢ²"), (r"H_{out}", "Hₒᵤₜ"),
    (r"x_{i,j}", "x_(i, j)"), (r"p_c", "p_c"), (r"e^{S_{ij} - m_i}", "e^(Sᵢⱼ-mᵢ)"),
    (r"\mathbb R^{D\times M}", "ℝ^(D×M)"), (r"x^*", "x^∗"),
    # large operators with limits
    (r"\sum_{i=1}^{N} x_i", "Σᵢ₌₁ᴺ xᵢ"), (r"\sum_{b=1}^{N} y_b", "Σ_(b=1)ᴺ y_b"),
    (r"\prod_{i} p_i", "∏ᵢ pᵢ"), (r"\max_k S_{ik}", "maxₖ Sᵢₖ"),
    # symbols and letters
    (r"\alpha \beta \gamma \lambda \mu \eta \Sigma \Delta", "αβγλμηΣΔ"),
    (r"a \le b \ge c \ne d \approx e \in \mathbb R", "a ≤ b ≥ c ≠ d ≈ e ∈ ℝ"),
    (r"a \times b \odot c \cdot d", "a × b ⊙ c · d"),
    (r"h \leftarrow h + 1 \to \infty", "h ← h + 1 → ∞"),
    (r"\hat y \bar x \tilde z", "ŷx̄z̃"), (r"\hat{\mathbf Y}", "Ŷ"), (r"\|x\|_2", "‖x‖₂"),
    (r"\lVert x \rVert", "‖x‖"), (r"\lvert x\rvert", "|x|"), (r"\lfloor x/2 \rfloor", "⌊x/2⌋"),
    (r"\mathcal L + \mathcal R", "ℒ + ℛ"), (r"\ell_i", "ℓᵢ"), (r"\mathbf A_L\cdots\mathbf A_1", "A_L ⋯A₁"),
    (r"w_t \propto e^{-t^2}", "wₜ ∝ e^(-t²)"), (r"p(y \mid \mu)", "p(y | μ)"),
    # text, operator names, spacing
    (r"\mathrm{BCE}(\hat y, y)", "BCE(ŷ, y)"), (r"\operatorname{softmax}(\mathbf s)_c", "softmax(s)_c"),
    (r"\text{y\_grad}_i", "y_gradᵢ"), (r"W_{out}\text{ likewise}", "Wₒᵤₜ likewise"),
    (r"\log \hat y", "log ŷ"), (r"\log(1 - p)", "log(1 - p)"), (r"-\log p", "-log p"),
    (r"a\,b\;c\quad d\qquad e\!f", "a b c  d    ef"),
    (r"\log\!\left(1 + e^{-|s|}\right)", "log(1 + e^(-|s|))"), (r"\Big(x\Big)", "(x)"),
    (r"\sqrt{x}", "√x"), (r"\sqrt{x + 1}", "√(x + 1)"), (r"\sqrt[3]{x}", "³√x"),
    (r"x_0{+}1", "x₀+1"), (r"\{0, 1\}", "{0, 1}"),
    # environments
    (r"\begin{cases} x & x > 0 \\ 0 & \text{otherwise}\end{cases}", "(x if x > 0; 0 otherwise)"),
    (r"a \\ b", "a\nb"),
    (r"\begin{aligned} a &= 1 \\ bb &= 2 \end{aligned}", "a  = 1\nbb = 2"),
    (r"\begin{aligned} f &= \begin{cases} 1 & x > 0 \\ 0 & x \le 0 \end{cases} \\ g &= 2 \end{aligned}",
     "f = (1 if x > 0; 0 if x ≤ 0)\ng = 2"),
    (r"\mathbf{y} = \mathbf{Ax} \tag{23}", "y = Ax    (23)"), (r"\boxed{x} \textcolor{red}{y}", "xy"),
    (r"\begin{pmatrix} 1 & 2 \\ 3 & 4 \end{pmatrix}", "(1, 2; 3, 4)"),
    # unknown commands lose their backslash, never raise
    (r"\foo x", "foox"), (r"\frac{1}", "1/"), (r"x^", "x"), (r"{x", "x"), (r"x}", "x"), ("", ""),
])
def test_golden(latex: str, text: str) -> None:
    assert convert(latex) == text


def test_unsupported_names_unknown_commands_and_environments() -> None:
    assert unsupported(SIGMOID + ALIGNED + FANOUT) == []
    assert unsupported(r"\foo \text{\bar} \begin{weird}a\end{weird} x") == ["foo", "bar", "begin{weird}"]


def test_deep_nesting_does_not_crash() -> None:
    assert isinstance(convert("{" * 5000 + "x" + "}" * 5000), str)


def test_markdown_display_math_is_a_quoted_code_line_per_row() -> None:
    md = markdown_math("Before\n\n$$" + ALIGNED + "$$\n\nafter $\\hat y_i$ and $5 and $6.\n")
    assert "> `(3) ∂ℒ/∂ŷ = (ŷ - y)/(ŷ(1 - ŷ))`  \n> `(2) ∂ℒ/∂u" in md
    assert "after `ŷᵢ` and $5 and $6." in md


def test_markdown_leaves_fenced_code_alone() -> None:
    md = "```python\nx = '$\\alpha$'  # $$\\beta$$\n```\n\nand $\\alpha$\n"
    out = markdown_math(md)
    assert out.startswith("```python\nx = '$\\alpha$'  # $$\\beta$$\n```")
    assert out.endswith("and `α`\n")


def test_markdown_inline_rows_join_on_one_line() -> None:
    assert markdown_math(r"$a \\ b$") == "`a; b`"


def test_code_span_survives_backticks() -> None:
    assert code_span("`x") == "`` `x ``"
    assert code_span("x") == "`x`"


def math_spans(markdown: str) -> list[str]:
    """The LaTeX of every $…$ and $$…$$ outside fenced code, as markdown_math finds them."""
    spans = []
    for part in FENCE.split(markdown)[::2]:  # split keeps the fence marker: text, marker, text …
        spans += [m.group(1) for m in DISPLAY_MATH.finditer(part)]
        spans += [m.group(1) for m in INLINE_MATH.finditer(DISPLAY_MATH.sub("", part))]
    return spans


@pytest.mark.parametrize("readme", READMES, ids=lambda p: f"{p.parent.parent.name}/{p.parent.name}")
def test_every_readme_converts_cleanly(readme: Path) -> None:
    """Every formula of the course converts fully: no command shown as a bare name or with its backslash,
    no grouping braces, no dollars. A README with a command the converter lacks fails here, naming it."""
    source = readme.read_text(encoding="utf-8")
    problems = []
    for latex in math_spans(source):
        text = convert(latex)
        unknown = unsupported(latex)
        leftovers = re.findall(r"\\[A-Za-z]+", text)
        braces = text.count("{") + text.count("}") - latex.count(r"\{") - latex.count(r"\}")
        if unknown or leftovers or braces > 0 or "$" in text:
            problems.append(f"{latex!r} -> {text!r}: unsupported {unknown + leftovers}"
                            + (", braces left" if braces > 0 else "") + (", dollars left" if "$" in text else ""))
    converted = markdown_math(source)
    for part in FENCE.split(converted)[::2]:
        if "$$" in part or INLINE_MATH.search(part):
            problems.append("math delimiters left after conversion")
    assert not problems, f"{readme.relative_to(ROOT)}:\n" + "\n".join(problems)
