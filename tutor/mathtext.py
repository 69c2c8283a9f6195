"""LaTeX math (the subset the course's instructions use) as readable Unicode text for a terminal.

A small TeX-like parser: the source becomes a list of atoms (ordinary, large operator, named function, binary
operator, relation, opening/closing delimiter, punctuation, explicit space), joined with TeX's spacing rules
simplified for a monospaced font. Fractions read `a/b`, with parentheses only where a side has more than one
term; scripts use Unicode super/subscript characters when every character has one. Unknown commands show
without their backslash, never raise.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

GREEK = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "varepsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
    "xi": "ξ", "pi": "π", "varpi": "ϖ", "rho": "ρ", "varrho": "ϱ", "sigma": "σ", "varsigma": "ς", "tau": "τ",
    "upsilon": "υ", "phi": "φ", "varphi": "φ", "chi": "χ", "psi": "ψ", "omega": "ω",
    "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ", "Pi": "Π", "Sigma": "Σ",
    "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
}
ORDINARY = {
    **GREEK, "partial": "∂", "nabla": "∇", "infty": "∞", "ell": "ℓ", "top": "⊤", "intercal": "ᵀ", "bot": "⊥",
    "prime": "'", "cdots": "⋯", "ldots": "…", "dots": "…", "vdots": "⋮", "ddots": "⋱", "forall": "∀",
    "exists": "∃", "emptyset": "∅", "varnothing": "∅", "|": "‖", "Vert": "‖", "vert": "|", "dagger": "†",
    "%": "%", "#": "#", "&": "&", "_": "_", "$": "$", "hbar": "ℏ", "Re": "ℜ", "Im": "ℑ", "checkmark": "✓",
    "neg": "¬", "lnot": "¬", "angle": "∠", "triangle": "△", "square": "□",
}
BINARY = {
    "cdot": "·", "times": "×", "odot": "⊙", "otimes": "⊗", "oplus": "⊕", "pm": "±", "mp": "∓", "div": "÷",
    "circ": "∘", "ast": "∗", "star": "⋆", "bullet": "•", "setminus": "∖", "cup": "∪", "cap": "∩",
    "wedge": "∧", "land": "∧", "vee": "∨", "lor": "∨",
}
RELATION = {
    "le": "≤", "leq": "≤", "ge": "≥", "geq": "≥", "ne": "≠", "neq": "≠", "approx": "≈", "sim": "∼",
    "simeq": "≃", "equiv": "≡", "propto": "∝", "to": "→", "rightarrow": "→", "leftarrow": "←", "gets": "←",
    "Rightarrow": "⇒", "Leftarrow": "⇐", "implies": "⇒", "iff": "⇔", "Leftrightarrow": "⇔",
    "leftrightarrow": "↔", "mapsto": "↦", "in": "∈", "notin": "∉", "ni": "∋", "subset": "⊂",
    "subseteq": "⊆", "supset": "⊃", "supseteq": "⊇", "ll": "≪", "gg": "≫", "mid": "|", "perp": "⊥",
    "coloneqq": "≔", "triangleq": "≜", "doteq": "≐", "leqslant": "≤", "geqslant": "≥", "parallel": "∥",
    "colon": ":",
}
LARGE_OPS = {"sum": "Σ", "prod": "∏", "int": "∫", "oint": "∮", "coprod": "∐", "bigcup": "⋃",
             "bigcap": "⋂"}
FUNCTIONS = {
    "log", "ln", "exp", "sin", "cos", "tan", "tanh", "sinh", "cosh", "arctan", "arcsin", "arccos", "max", "min",
    "argmax", "argmin", "sup", "inf", "lim", "liminf", "limsup", "det", "dim", "ker", "arg", "deg", "gcd",
    "Pr", "lg", "sec", "csc", "cot",
}
OPENING = {"lfloor": "⌊", "lceil": "⌈", "langle": "⟨", "lvert": "|", "lVert": "‖", "{": "{"}
CLOSING = {"rfloor": "⌋", "rceil": "⌉", "rangle": "⟩", "rvert": "|", "rVert": "‖", "}": "}"}
SPACES = {",": " ", ":": " ", ";": " ", " ": " ", "quad": "  ", "qquad": "    ", "enspace": " ",
          "thinspace": " ", "medspace": " ", "thickspace": " ", "!": "", "negthinspace": ""}
ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305", "tilde": "\u0303",
           "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308", "vec": "\u20d7", "check": "\u030c",
           "breve": "\u0306", "acute": "\u0301", "grave": "\u0300", "underline": "\u0332"}
STYLES = {"mathbf", "mathrm", "mathit", "mathsf", "mathtt", "boldsymbol", "bm", "mathnormal", "pmb"}
TEXTS = {"text", "textrm", "textbf", "textit", "texttt", "textsf", "mbox", "textnormal", "hbox"}
IGNORED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "biggl", "biggr",
           "Biggl", "Biggr", "middle", "displaystyle", "textstyle", "scriptstyle", "nonumber", "notag",
           "limits", "nolimits", "label", "rm", "bf", "it", "cal", "sf", "tt"}
CALLIGRAPHIC = {"B": "ℬ", "E": "ℰ", "F": "ℱ", "H": "ℋ", "I": "ℐ", "L": "ℒ", "M": "ℳ", "R": "ℛ"}
BLACKBOARD = {"R": "ℝ", "N": "ℕ", "Z": "ℤ", "Q": "ℚ", "C": "ℂ", "P": "ℙ", "H": "ℍ"}
FRAKTUR = {"R": "ℜ", "I": "ℑ", "H": "ℌ", "C": "ℭ", "Z": "ℨ"}

ENVIRONMENTS = {"aligned", "align", "alignat", "alignedat", "gathered", "gather", "split", "eqnarray", "cases",
                "dcases", "array", "matrix", "pmatrix", "bmatrix", "Bmatrix", "vmatrix", "smallmatrix",
                "equation"}

SUPERSCRIPT = dict(zip(
    "0123456789+-=()abcdefghijklmnoprstuvwxyzABDEGHIJKLMNOPRTUVWαβγδεθιφχ⊤ᵀ'",
    "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ᵃᵇᶜᵈᵉᶠᵍʰⁱʲᵏˡᵐⁿᵒᵖʳˢᵗᵘᵛʷˣʸᶻᴬᴮᴰᴱᴳᴴᴵᴶᴷᴸᴹᴺᴼᴾᴿᵀᵁⱽᵂᵅᵝᵞᵟᵋᶿᶥᵠᵡᵀᵀ′", strict=True))
SUBSCRIPT = dict(zip("0123456789+-=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ",
                     strict=True))

TOKEN = re.compile(r"\\([A-Za-z]+)\*?|\\(.)|(\s+)|(.)", re.DOTALL)


@dataclass
class Atom:
    kind: str  # ord, op (large operator), fn (named function), frac, inner, bin, rel, open, close, punct, space
    text: str
    sub: str | None = None
    sup: str | None = None
    digits: bool = False  # a digit run, so the next digit joins it


class Parser:
    """Tokens in, atoms out. `script` is TeX's script style: no spaces around operators there."""

    def __init__(self, source: str) -> None:
        self.tokens: list[tuple[str, str]] = []
        for m in TOKEN.finditer(source):
            if m.group(1) is not None:
                self.tokens.append(("cmd", m.group(1)))
            elif m.group(2) is not None:
                self.tokens.append(("cmd", m.group(2)))
            elif m.group(3) is not None:
                self.tokens.append(("ws", m.group(3)))
            else:
                self.tokens.append(("chr", m.group(4)))
        self.pos = 0
        self.unknown: list[str] = []  # commands and environments shown as plain names: not supported

    def peek(self, skip_space: bool = True) -> tuple[str, str] | None:
        pos = self.pos
        while skip_space and pos < len(self.tokens) and self.tokens[pos][0] == "ws":
            pos += 1
        return self.tokens[pos] if pos < len(self.tokens) else None

    def next(self) -> tuple[str, str] | None:
        tok = self.peek()
        if tok is not None:
            while self.tokens[self.pos][0] == "ws":
                self.pos += 1
            self.pos += 1
        return tok

    def raw_group(self) -> str:
        """The source text of the next argument, unparsed (for \\text and friends)."""
        tok = self.next()
        if tok is None:
            return ""
        if tok != ("chr", "{"):
            return tok[1]
        depth, out = 1, []
        while self.pos < len(self.tokens):
            kind, value = self.tokens[self.pos]
            self.pos += 1
            if (kind, value) == ("chr", "{"):
                depth += 1
            elif (kind, value) == ("chr", "}"):
                depth -= 1
                if depth == 0:
                    break
            out.append(value if kind != "cmd" else ("\\" + value if value.isalpha() else value))
        return "".join(out)

    def argument(self, script: bool) -> list[Atom]:
        """One TeX argument: a braced group or a single token, as atoms."""
        tok = self.peek()
        if tok is None:
            return []
        if tok == ("chr", "{"):
            self.next()
            return self.math_list(script, stop="}")
        return self.atom(script)

    def optional(self, script: bool) -> list[Atom] | None:
        if self.peek() != ("chr", "["):
            return None
        self.next()
        return self.math_list(script, stop="]")

    def math_list(self, script: bool, stop: str | None = None, env: str | None = None) -> list[Atom]:
        atoms: list[Atom] = []
        while True:
            tok = self.peek(skip_space=False)
            if tok is None:
                return atoms
            if tok[0] == "ws":
                self.pos += 1
                continue
            if stop is not None and tok == ("chr", stop):
                self.pos += 1
                return atoms
            if env is not None and tok in (("chr", "&"), ("cmd", "\\"), ("cmd", "end")):
                return atoms  # the environment's loop takes the separator
            if tok in (("chr", "^"), ("chr", "_")):
                self.next()
                arg = render(self.argument(script=True), script=True)
                if not atoms or atoms[-1].kind in ("space", "bin", "rel", "open", "punct"):
                    atoms.append(Atom("ord", ""))
                target = atoms[-1]
                if tok[1] == "^":
                    target.sup = arg if target.sup is None else target.sup + arg
                else:
                    target.sub = arg if target.sub is None else target.sub + arg
                continue
            new = self.atom(script)
            for atom in new:
                last = atoms[-1] if atoms else None
                if (atom.digits and last is not None and last.digits and last.sub is None and last.sup is None):
                    last.text += atom.text
                else:
                    atoms.append(atom)

    def atom(self, script: bool) -> list[Atom]:
        tok = self.next()
        if tok is None:
            return []
        kind, value = tok
        if kind == "chr":
            return [self.char_atom(value, script)]
        return self.command(value, script)

    def char_atom(self, c: str, script: bool) -> Atom:
        if c.isdigit() or c == ".":
            return Atom("ord", c, digits=True)
        if c == "{":
            return Atom("ord", render(self.math_list(script, stop="}"), script))
        if c in "+-*":
            return Atom("bin", {"*": "∗"}.get(c, c))
        if c in "=<>":
            return Atom("rel", c)
        if c in "([":
            return Atom("open", c)
        if c in ")]":
            return Atom("close", c)
        if c in ",;":
            return Atom("punct", c)
        if c == "~":
            return Atom("space", " ")
        if c == "&":
            return Atom("space", "  ")
        if c == "}":
            return Atom("ord", "")  # a stray closing brace: drop it
        return Atom("ord", c)

    def command(self, name: str, script: bool) -> list[Atom]:
        if name in SPACES:
            return [Atom("space", SPACES[name])]
        if name in IGNORED:
            if name in ("left", "right", "middle") and self.peek() == ("chr", "."):
                self.next()
            if name == "label":
                self.raw_group()
            return []
        if name in ORDINARY:
            return [Atom("ord", ORDINARY[name])]
        if name in BINARY:
            return [Atom("bin", BINARY[name])]
        if name in RELATION:
            return [Atom("rel", RELATION[name])]
        if name in LARGE_OPS:
            return [Atom("op", LARGE_OPS[name])]
        if name in FUNCTIONS:
            return [Atom("fn", name)]
        if name in ("operatorname", "mathop"):
            return [Atom("fn", render(self.argument(script), script))]
        if name in OPENING:
            return [Atom("open", OPENING[name])]
        if name in CLOSING:
            return [Atom("close", CLOSING[name])]
        if name in STYLES:
            return [Atom("ord", render(self.argument(script), script))]
        if name in TEXTS:
            text = self.raw_group()
            text = re.sub(r"\\([_%&#$])", r"\1", text).replace("{", "").replace("}", "")
            self.unknown += re.findall(r"\\([A-Za-z]+)", text)
            text = re.sub(r"\\([A-Za-z]+)", r"\1", text)
            return [Atom("ord", text)]
        if name in ("mathcal", "mathscr", "mathbb", "mathfrak"):
            table = {"mathcal": CALLIGRAPHIC, "mathscr": CALLIGRAPHIC, "mathbb": BLACKBOARD,
                     "mathfrak": FRAKTUR}[name]
            inner = render(self.argument(script), script)
            return [Atom("ord", "".join(table.get(c, c) for c in inner))]
        if name in ACCENTS:
            inner = render(self.argument(script), script)
            mark = ACCENTS[name]
            # NFC: a precomposed letter (ŷ) where Unicode has one, which terminals draw more reliably
            return [Atom("ord", unicodedata.normalize("NFC", "".join(c + mark if c.isalnum() else c for c in inner)))]
        if name in ("frac", "tfrac", "dfrac", "cfrac"):
            num = self.argument(script)
            den = self.argument(script)
            return [Atom("frac", fraction(num, den, script))]
        if name == "sqrt":
            index = self.optional(script)
            body = self.argument(script)
            text = render(body, script)
            root = "√" if index is None else script_text(render(index, True), SUPERSCRIPT, "") + "√"
            return [Atom("ord", root + (text if single_factor(body) else "(" + text + ")"))]
        if name in ("underbrace", "overbrace"):
            body = self.argument(script)
            text = render(body, script)
            return [Atom("ord", text if single_factor(body) else "(" + text + ")")]
        if name in ("overset", "stackrel", "underset"):
            self.argument(script)  # the annotation above or below: not shown
            return self.argument(script)
        if name in ("boxed", "mathclap", "mathllap", "mathrlap", "smash", "textcolor", "colorbox"):
            if name in ("textcolor", "colorbox"):
                self.raw_group()  # the colour
            return [Atom("ord", render(self.argument(script), script))]
        if name in ("color", "phantom", "hphantom", "vphantom", "vspace"):
            self.raw_group()
            return []
        if name == "hspace":
            self.raw_group()
            return [Atom("space", " ")]
        if name == "tag":
            return [Atom("space", "    "), Atom("ord", "(" + self.raw_group() + ")")]
        if name == "substack":
            return [Atom("ord", render(self.argument(script), script).replace("\n", ", "))]
        if name in ("binom", "tbinom", "dbinom"):
            n, k = render(self.argument(script), script), render(self.argument(script), script)
            return [Atom("ord", f"C({n}, {k})")]
        if name == "begin":
            env = self.raw_group()
            if env.rstrip("*") not in ENVIRONMENTS:
                self.unknown.append("begin{" + env + "}")
            return [self.environment(env.rstrip("*"), script)]
        if name == "end":
            self.raw_group()
            return []
        if name == "\\":
            return [Atom("space", "\n")]
        if len(name) == 1 and not name.isalpha():
            return [Atom("ord", name)]  # \{ \} \( and other escaped characters
        self.unknown.append(name)
        return [Atom("ord", name)]  # unknown command: its name, without the backslash

    def environment(self, env: str, script: bool) -> Atom:
        if env in ("array", "tabular"):
            self.raw_group()  # the column spec
        rows: list[list[str]] = [[]]
        while True:
            cell = self.math_list(script, env=env)
            rows[-1].append(render(cell, script).strip())
            tok = self.next()
            if tok == ("chr", "&"):
                continue
            if tok == ("cmd", "\\"):
                rows.append([])
                continue
            if tok == ("cmd", "end"):
                self.raw_group()
            break
        rows = [r for r in rows if any(r)]
        if env in ("cases", "dcases"):
            parts = []
            for row in rows:
                value, *cond = row
                cond_text = " ".join(c for c in cond if c)
                if cond_text and not re.match(r"(if|otherwise|else|for|when)\b", cond_text):
                    cond_text = "if " + cond_text
                parts.append(value + (" " + cond_text if cond_text else ""))
            return Atom("inner", "(" + "; ".join(parts) + ")")
        if env in ("pmatrix", "bmatrix", "matrix", "vmatrix", "Bmatrix", "smallmatrix"):
            left, right = {"pmatrix": "()", "bmatrix": "[]", "vmatrix": "||"}.get(env, "[]")
            return Atom("inner", left + "; ".join(", ".join(r) for r in rows) + right)
        widths = [max((len(r[i]) for r in rows if len(r) > i), default=0)
                  for i in range(max((len(r) for r in rows), default=0))]
        lines = []
        for row in rows:
            cells = [c.ljust(widths[i]) if i < len(row) - 1 else c for i, c in enumerate(row)]
            lines.append(" ".join(cells).rstrip())
        return Atom("inner", "\n".join(lines))


def script_text(text: str, table: dict[str, str], marker: str) -> str:
    """`text` as super/subscript characters if every one has one, else `^x` or `^(text)`."""
    if not text:
        return ""
    if all(c in table for c in text):
        return "".join(table[c] for c in text)
    if len(text) == 1:
        return marker + text
    return marker + "(" + text + ")"


def with_scripts(atom: Atom) -> tuple[str, bool]:
    """The atom's text with its scripts, and whether it ends in a bare `_x`/`^x` that a following letter
    would run into."""
    text, bare = atom.text, False
    for value, table, marker in ((atom.sub, SUBSCRIPT, "_"), (atom.sup, SUPERSCRIPT, "^")):
        if value is not None:
            part = script_text(value, table, marker)
            text += part
            bare = part.startswith(marker) and not part.endswith(")")
    return text, bare


def top_level(atoms: list[Atom]) -> list[Atom]:
    """The atoms outside any (), [], ⌊⌋ … pair: what decides whether a side of a fraction needs parentheses."""
    out, depth = [], 0
    for atom in atoms:
        if atom.kind == "open":
            if depth == 0:
                out.append(atom)
            depth += 1
        elif atom.kind == "close":
            depth = max(depth - 1, 0)
        elif depth == 0:
            out.append(atom)
    return out


def has_terms(atoms: list[Atom]) -> bool:
    """More than one term: an operator, relation, punctuation, a large operator or a space at the top level."""
    bars = sum(a.text in ("|", "‖") and a.kind == "ord" for a in atoms)
    level = top_level(atoms)
    if bars >= 2:  # |y - μ| counts as one factor
        inside, kept = False, []
        for a in level:
            if a.kind == "ord" and a.text in ("|", "‖"):
                inside = not inside
                if not inside:
                    kept.append(Atom("ord", "|"))
            elif not inside:
                kept.append(a)
        level = kept
    return any(a.kind in ("bin", "rel", "punct", "op", "fn", "space", "inner") for a in level[1:]) or (
        bool(level) and level[0].kind in ("rel", "punct", "op", "fn", "space", "inner"))


def single_factor(atoms: list[Atom]) -> bool:
    level = top_level(atoms)
    return len(level) <= 1 and not has_terms(atoms)


def fraction(num: list[Atom], den: list[Atom], script: bool) -> str:
    num_text, den_text = render(num, script), render(den, script)
    if has_terms(num):
        num_text = "(" + num_text + ")"
    derivative = (len(top_level(den)) == 2 and den[0].kind == "ord" and den[0].text in ("∂", "d")
                  and den[0].sub is None and den[0].sup is None and not has_terms(den))
    if not (single_factor(den) or derivative):
        den_text = "(" + den_text + ")"
    return num_text + "/" + den_text


def gap(prev: str | None, kind: str, text: str, script: bool, prev_bare: bool) -> str:
    """The space between two atoms: TeX's spacing table, simplified for a monospaced font."""
    if prev in (None, "unary"):
        return ""
    if kind in ("bin", "rel") or prev in ("bin", "rel"):
        return "" if script else " "
    if prev == "punct":
        return "" if kind == "close" else " "
    if kind in ("op", "frac") and prev != "open":
        return "" if script else " "
    if prev in ("op", "frac") and kind not in ("close", "punct") and text != ".":
        return "" if script and prev == "frac" else " "
    named = (kind == "fn" and prev in ("ord", "close", "fn", "inner")
             or prev == "fn" and kind in ("ord", "fn", "inner", "unary"))
    return " " if named or (prev_bare and kind in ("ord", "fn", "inner")) else ""


def render(atoms: list[Atom], script: bool = False) -> str:
    """Atoms joined with spacing: spaces around binary operators and relations (not in scripts), after
    punctuation, around large operators and fractions, and between a named function and its argument."""
    out: list[str] = []
    prev: str | None = None  # the previous non-space atom's kind; "unary" for a sign
    prev_bare = spaced_already = False
    for atom in atoms:
        kind = atom.kind
        text, bare = with_scripts(atom)
        if kind == "space":
            out.append(text)
            spaced_already = True
            continue
        if kind == "bin" and prev in (None, "bin", "rel", "open", "punct", "op", "fn", "unary"):
            kind = "unary"
        out.append(("" if spaced_already else gap(prev, kind, text, script, prev_bare)) + text)
        prev, prev_bare, spaced_already = kind, bare, False
    return "".join(out)


def convert(latex: str) -> str:
    """A LaTeX math formula as Unicode text; rows of aligned environments (and \\\\) on separate lines."""
    try:
        text = render(Parser(latex).math_list(script=False))
    except RecursionError:  # absurdly nested input: show the source rather than fail
        return latex
    return "\n".join(line.rstrip() for line in text.split("\n") if line.strip())


def unsupported(latex: str) -> list[str]:
    """The commands and environments in `latex` that `convert` does not know (it shows them as plain names)."""
    parser = Parser(latex)
    try:
        parser.math_list(script=False)
    except RecursionError:
        return ["(nesting too deep)"]
    return parser.unknown


# Markdown with $…$ and $$…$$ math, as the exercise READMEs write it.
FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.MULTILINE | re.DOTALL)
DISPLAY_MATH = re.compile(r"\$\$(.+?)\$\$", re.DOTALL)
# Pandoc's rule: no space just inside the dollars, so "$5 and $6" stays text.
INLINE_MATH = re.compile(r"(?<![\\$\w`])\$(?![\s$])([^$\n`]+?)(?<![\s\\])\$(?![\w$])")


def code_span(text: str) -> str:
    fence = "``" if "`" in text else "`"
    pad = " " if "`" in text else ""
    return fence + pad + text + pad + fence


def _display(match: re.Match[str]) -> str:
    # A block quote of inline code, one row a line: it wraps on narrow terminals, where a code block would be
    # cut off, and still stands out from the prose.
    rows = convert(match.group(1)).split("\n")
    return "\n\n" + "  \n".join("> " + code_span(row) for row in rows) + "\n\n"


def _inline(match: re.Match[str]) -> str:
    return code_span("; ".join(convert(match.group(1)).split("\n")))


def _math_part(part: str) -> str:
    return INLINE_MATH.sub(_inline, DISPLAY_MATH.sub(_display, part))


def markdown_math(markdown: str) -> str:
    """Markdown for the terminal, which cannot typeset LaTeX: $$…$$ becomes a quoted block of readable Unicode
    text, one line per row, and $…$ an inline code span of the same. Fenced code is left alone."""
    out, last = [], 0
    for fence in FENCE.finditer(markdown):
        out.append(_math_part(markdown[last:fence.start()]))
        out.append(fence.group(0))
        last = fence.end()
    out.append(_math_part(markdown[last:]))
    return "".join(out)
