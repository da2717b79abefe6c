"""A normalising tokenizer that turns a deadline phrase into grammar terminals.

The grammar (grammar.lark) is kept small and LALR(1) by doing the fiddly,
local decisions here, where one token of lookahead on either side is enough:
multi-word keywords ("в течение", "не позднее", "по мере необходимости"),
spelling noise ("12.12. 2023", "2023г.", "«20» декабря", dash variants),
prepositions that only decorate a date ("в марте"), dangling dashes, and words
the grammar does not know, which become TEXT (free text) or LABEL ("1
мониторинг"). The result is a list of `Lexeme`: lark tokens that carry their
decoded value in `data` and their place in the phrase in `start_pos`/`end_pos`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Final

from lark import Token

from roadmap_rules.deadlines import lexicon as lx


class Lexeme(Token):
    """A lark token with its decoded value (a month number, a date triple, ...)."""

    __slots__ = ("data",)
    data: Any


_TOKEN_RE: Final = re.compile(
    r"""
    (?P<date>(?<!\d)(?P<d>\d{1,2})[ ]?\.[ ]?(?P<m>\d{1,2})
        (?: [ ]?\.[ ]?(?P<y>(?:19|20)\d\d(?!\d)|\d\d(?!\d)) | \.(?![ ]?\d) | (?![ ]?\.?[ ]?\d) ))
  | (?P<pair>(?<!\d)(?P<y1>(?:19|20)\d\d)[ ]?(?P<ps>[/\\\-‐‑‒–—―−])[ ]?(?P<y2>(?:19|20)\d\d|\d\d)(?![.\d]))
  | (?P<year>(?<!\d)(?:19|20)\d\d(?!\d))
  | (?P<num>(?<!\d)\d+
        (?:[ ]?-[ ]?(?:х|x|ти|ми|и|й|го|ого|его|ое|ее|е|я|ая|ый|ий|ой|ом|ем|му)(?![^\W\d_]))?)
  | (?P<word>[^\W\d_]+\.?)
  | (?P<dash>[-‐‑‒–—―−~])
  | (?P<sep>[,;/\n])
  | (?P<lpar>[(\[])
  | (?P<rpar>[)\]])
    """,
    re.VERBOSE | re.IGNORECASE,
)
_DIGITS: Final = re.compile(r"\d+")

# Terminal groups used for one-token lookahead decisions.
POINT_START: Final = frozenset(("MONTH", "DATE", "NUM", "ORD", "YEAR", "YEARPAIR"))
POINT_END: Final = frozenset(("MONTH", "DATE", "YEAR", "YEARPAIR", "YEARSUF", "SCHOOL", "QUARTER", "HALF"))
UNIT_LIKE: Final = frozenset(("UNIT", "YEARSUF", "QUARTER", "HALF"))


@dataclass(slots=True)
class _Raw:
    """A token under construction: mutable while the passes reclassify it."""

    kind: str
    start: int
    end: int
    data: Any = None
    word: str = ""


def _fold(word: str) -> str:
    """Lower case, "ё" as "е", Cyrillic "І" as Latin "i", no trailing dot."""
    return word.lower().replace("ё", "е").replace("і", "i").rstrip(".")


def _fold_all(phrase: str) -> str | None:
    """The whole phrase folded at once, if folding keeps every character in place."""
    folded = phrase.lower().replace("ё", "е").replace("і", "i")
    return folded if len(folded) == len(phrase) else None


def _scan(phrase: str) -> list[_Raw]:
    """Pass 1: regular expression scan; everything unknown is skipped."""
    out: list[_Raw] = []
    folded = _fold_all(phrase)
    for m in _TOKEN_RE.finditer(phrase):
        kind = m.lastgroup
        start, end = m.span()
        if kind == "date":
            year = m.group("y")
            y = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
            out.append(_Raw("DATE", start, end, (int(m.group("d")), int(m.group("m")), y)))
        elif kind == "pair":
            y1, y2 = int(m.group("y1")), m.group("y2")
            second = int(y2) if len(y2) == 4 else y1 // 100 * 100 + int(y2)
            out.append(_Raw("YEARPAIR", start, end, (y1, second, m.group("ps"))))
        elif kind == "year":
            out.append(_Raw("YEAR", start, end, int(m.group())))
        elif kind == "num":
            digits = _DIGITS.match(m.group())
            value = int(digits.group()) if digits and len(digits.group()) <= 3 else -1
            out.append(_Raw("NUM" if value >= 0 else "TEXT", start, end, value))
        elif kind == "word":
            word = folded[start:end].rstrip(".") if folded is not None else _fold(m.group())
            out.append(_Raw("WORD", start, end, word=word))
        elif kind is not None:
            out.append(_Raw(kind.upper(), start, end))
    return out


def _word_kinds() -> dict[str, tuple[str, Any]]:
    """Every known word -> (terminal, value); earlier tables win on a clash."""
    tables: list[tuple[str, dict[str, Any]]] = [
        ("MONTH", lx.MONTHS),
        ("YEARSUF", dict.fromkeys(lx.YEAR_WORDS, "year")),
        ("SCHOOL", dict.fromkeys(lx.SCHOOL_WORDS)),
        ("QUARTER", dict.fromkeys(lx.QUARTER_WORDS, "quarter")),
        ("HALF", dict.fromkeys(lx.HALF_WORDS, "half_year")),
        ("UNIT", lx.UNITS),
        ("ORD", lx.ORDINALS),
        ("RECUR", lx.RECURRING),
        ("EVERY", dict.fromkeys(lx.EVERY_WORDS)),
        ("TIMES", dict.fromkeys(lx.TIMES_WORDS)),
        ("CAL", lx.CALENDARS),
        ("VAGUE", {w: w for w in lx.VAGUE_WORDS}),
        ("UNTIL", dict.fromkeys(("до", "к", "ко"))),
        ("FROM", dict.fromkeys(("с", "со"))),
        ("PO", {"по": None}),
        ("AND", dict.fromkeys(("и", "или", "либо"))),
        ("FILL", dict.fromkeys(lx.FILLERS)),
    ]
    kinds: dict[str, tuple[str, Any]] = {}
    for kind, table in tables:
        for word, value in table.items():
            kinds.setdefault(word, (kind, value))
    return kinds


_WORD_KINDS: Final = _word_kinds()
_TEXT: Final = ("TEXT", None)


def _word_kind(word: str) -> tuple[str, Any]:
    """Classify one folded word on its own."""
    return _WORD_KINDS.get(word, _TEXT)


def _combine(raw: list[_Raw]) -> list[_Raw]:
    """Pass 2: multi-word keywords, then one-word classification."""
    out: list[_Raw] = []
    i, n = 0, len(raw)
    while i < n:
        r = raw[i]
        if r.kind != "WORD":
            out.append(r)
            i += 1
            continue
        w = r.word
        nxt = raw[i + 1].word if i + 1 < n else ""
        nxt2 = raw[i + 2].word if i + 2 < n else ""
        take, kind, data = 1, "", None
        if w == "не" and nxt in ("позднее", "позже"):
            take, kind = 2, "UNTIL"
        elif w == "не" and nxt == "ранее":
            take, kind = 2, "FROM"
        elif w == "не" and nxt in ("менее", "реже"):
            take, kind = 2, "ATLEAST"
        elif (w, nxt) in _DURING_PAIRS:
            take, kind = 2, "DURING"
        elif w in ("в", "во") and nxt == "соответствии":
            take, kind = (3 if nxt2 in ("с", "со") else 2), "ACCORD"
        elif w == "согласно":
            kind = "ACCORD"
        elif w in ("весь", "всего", "вся", "всей", "все") and nxt in ("период", "периода"):
            take, kind = 2, "WHOLE"
        elif w in ("по", "при") and nxt == "мере":
            take = 3 if i + 2 < n and raw[i + 2].kind == "WORD" else 2
            kind = "VAGUE"
        elif w in ("по", "при") and nxt in lx.VAGUE_AFTER_PO:
            take, kind = 2, "VAGUE"
        elif w in lx.COUNT_WORDS:
            out.append(_Raw("NUM", r.start, r.end, lx.COUNT_WORDS[w]))
            kind = "TIMES"
            r = _Raw("TIMES", r.end, r.end)
        else:
            kind, data = _word_kind(w)
        last = raw[i + take - 1]
        if kind == "VAGUE" and data is None:
            data = " ".join(x.word for x in raw[i : i + take])
        out.append(_Raw(kind, r.start, last.end, data, w))
        i += take
    return out


_DURING_PAIRS: Final = frozenset((("в", "течение"), ("в", "течении"), ("во", "течение"), ("на", "протяжении")))


def _next_kind(toks: list[_Raw], j: int) -> str:
    """Kind of the first token at or after j that is not a filler word."""
    while j < len(toks) and toks[j].kind == "FILL":
        j += 1
    return toks[j].kind if j < len(toks) else "$END"


def _calendar_follows(toks: list[_Raw], j: int) -> bool:
    """True when a calendar noun follows at j, possibly after one qualifier word."""
    for k in (j, j + 1):
        if k < len(toks) and toks[k].kind == "CAL":
            return True
        if k >= len(toks) or toks[k].kind not in ("TEXT", "FILL"):
            return False
    return False


def _contextualise(toks: list[_Raw]) -> list[_Raw]:
    """Pass 3: keep a keyword only where the grammar can use it, else demote to TEXT."""
    out: list[_Raw] = []
    for j, t in enumerate(toks):
        k = t.kind
        prev = out[-1].kind if out else "^"
        nxt = _next_kind(toks, j + 1)
        keep = True
        if k == "FILL":
            if nxt in POINT_START or nxt in ("SCHOOL", "FROM") or (nxt == "YEARSUF" and prev in ("UNTIL", "DURING")):
                continue
            if t.word in ("весь", "всего", "вся", "всей") and nxt in ("YEARSUF", "SCHOOL"):
                t.kind = "DURING"
            elif prev == "TIMES" and t.word in ("в", "за", "на") and nxt in UNIT_LIKE:
                t.kind = "PER"
            else:
                keep = False
        elif k == "UNTIL":
            keep = nxt in POINT_START or nxt in ("SCHOOL", "YEARSUF")
        elif k == "FROM":
            keep = nxt in POINT_START
        elif k == "PO":
            keep = nxt in POINT_START or nxt == "SCHOOL" or _calendar_follows(toks, j + 1)
        elif k == "ACCORD":
            keep = _calendar_follows(toks, j + 1)
        elif k == "DURING":
            if nxt in ("WHOLE", "DURING"):
                continue
            keep = nxt in POINT_START or nxt in ("SCHOOL",) or nxt in UNIT_LIKE
        elif k == "AND":
            keep = prev in POINT_END and (nxt in POINT_START or nxt in ("UNTIL", "FROM", "PO"))
            t.kind = "SEP"
        elif k == "ORD":
            keep = nxt in ("QUARTER", "HALF", "DASH")
        elif k == "TIMES":
            keep = prev in ("NUM", "ATLEAST") or (
                nxt in UNIT_LIKE and j + 1 < len(toks) and toks[j + 1].word in ("в", "за", "на")
            )
        elif k == "EVERY":
            keep = nxt in UNIT_LIKE
        elif k == "UNIT":
            keep = prev in ("PER", "EVERY", "DURING")
        elif k in ("QUARTER", "HALF"):
            keep = prev in ("NUM", "ORD", "PER", "EVERY", "DURING")
        elif k == "YEARSUF":
            if prev in ("YEARSUF", "YEAR", "YEARPAIR", "DATE"):
                out[-1].end = t.end  # "2023 г.", "г.г.": the year word adds nothing
                continue
            if prev not in _YEAR_WORD_AFTER:
                continue  # a stray "года" adds nothing
        elif k == "SCHOOL":
            keep = nxt == "YEARSUF" or prev == "YEARPAIR"
        elif k == "ATLEAST":
            keep = nxt == "NUM"
        if not keep:
            t.kind = "TEXT"
        out.append(t)
    return out


_YEAR_WORD_AFTER: Final = frozenset(("YEAR", "YEARPAIR", "DATE", "SCHOOL", "PER", "EVERY", "DURING", "UNTIL"))
_NUM_FOLLOWERS: Final = frozenset(("MONTH", "QUARTER", "HALF", "TIMES", "DASH"))


def _is_date_number(toks: list[_Raw], j: int) -> bool:
    """A number that starts a date ("20 декабря", "2 квартал"), not a label."""
    return j + 1 < len(toks) and toks[j + 1].kind in _NUM_FOLLOWERS


def _tidy(toks: list[_Raw]) -> list[_Raw]:
    """Pass 4: labels, runs of text, dashes, separators and parentheses."""
    out: list[_Raw] = []
    depth = 0
    n = len(toks)
    for j, t in enumerate(toks):
        k = t.kind
        prev = out[-1] if out else None
        nxt = toks[j + 1].kind if j + 1 < n else "$END"
        if (
            k == "NUM"
            and nxt not in _NUM_FOLLOWERS
            and not (prev and prev.kind == "ATLEAST")
            and not (prev and prev.kind == "FROM" and nxt in ("PO", "UNTIL"))
        ):
            # "1 мониторинг" is a label; a number after text ("приложение 1") is text.
            t.kind = "LABEL" if nxt == "TEXT" and not (prev and prev.kind == "TEXT") else "TEXT"
        k = t.kind
        if k == "TEXT" and prev is not None and prev.kind in ("TEXT", "LABEL"):
            prev.end = t.end
            continue
        if k == "DASH":
            if prev is None or prev.kind not in POINT_END | {"NUM", "ORD"}:
                continue
            if nxt not in POINT_START or (nxt == "NUM" and not _is_date_number(toks, j + 1)):
                continue
        elif k == "SEP":
            if prev is None or prev.kind in ("SEP", "LPAR") or nxt in ("SEP", "RPAR", "$END"):
                continue
        elif k == "LPAR":
            depth += 1
        elif k == "RPAR":
            if depth == 0:
                continue
            depth -= 1
            if prev is not None and prev.kind == "LPAR":
                out.pop()
                continue
        out.append(t)
    while out and out[-1].kind in ("SEP", "DASH"):
        out.pop()
    end = out[-1].end if out else 0
    out.extend(_Raw("RPAR", end, end) for _ in range(depth))
    # Separators have done their work (they stop text runs from merging); the grammar
    # reads lists by juxtaposition, and every token it does not see saves parsing time.
    return [t for t in out if t.kind != "SEP"]


def tokenize(phrase: str) -> list[Lexeme]:
    """The terminals of `phrase`, each with its decoded value and character span."""
    toks = _tidy(_contextualise(_combine(_scan(phrase))))
    return [_lexeme(phrase, t) for t in toks]


def _lexeme(phrase: str, t: _Raw) -> Lexeme:
    """Build a lexeme directly: `Token.__new__` spends its time on deprecated arguments."""
    text = phrase[t.start : t.end]
    lexeme = str.__new__(Lexeme, text)
    lexeme.type = t.kind
    lexeme.value = text
    lexeme.start_pos = lexeme.line = lexeme.column = t.start
    lexeme.end_pos = lexeme.end_line = lexeme.end_column = t.end
    lexeme.data = text.strip() if t.kind in ("TEXT", "LABEL") else t.data
    return lexeme
