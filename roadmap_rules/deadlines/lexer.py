"""A normalising tokenizer that turns a deadline phrase into grammar terminals.

The grammar (grammar.lark) is kept small and LALR(1) by doing the fiddly,
local decisions here, where one token of lookahead on either side is enough:
multi-word keywords ("в течение", "не позднее", "по мере необходимости"),
spelling noise ("12.12. 2023", "2023г.", "«20» декабря", dash variants),
prepositions that only decorate a date ("в марте"), dangling dashes, and words
the grammar does not know, which become TEXT (free text) or LABEL ("1
мониторинг"), or mark a deadline tied to an event (REL: "после проведения").
The result is a list of `Lexeme`: lark tokens that carry their decoded value in
`data` and their place in the phrase in `start_pos`/`end_pos`. A phrase that
scans like one seen before skips the passes, and one that differs from it only
in its numbers skips the scan too (see "shapes" and "digit classes" below).
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
  | (?P<monthyear>(?<![\d.])(?P<mm>0?[1-9]|1[0-2])[ ]?\.[ ]?(?P<my>(?:19|20)\d\d)(?!\d))
  | (?P<pair>(?<!\d)(?P<y1>(?:19|20)\d\d)[ ]?(?P<ps>[/\\\-‐‑‒–—―−])[ ]?(?P<y2>(?:19|20)\d\d|\d\d)(?![.\d]))
  | (?P<year>(?<!\d)(?:19|20)\d\d(?!\d))
  | (?P<num>(?<!\d)\d+
        (?:[ ]?-[ ]?(?:х|x|ти|ми|и|й|го|ого|его|ое|ее|е|я|ая|ый|ий|ой|ом|ем|му|м)(?![^\W\d_]))?)
  | (?P<halfabbr>(?<![^\W\d_])п[ ]?/[ ]?г(?![^\W\d_])\.?)
  | (?P<word>[^\W\d_]+\.?)
  | (?P<dash>[-‐‑‒–—―−~])
  | (?P<sep>[,;/\n])
  | (?P<lpar>[(\[])
  | (?P<rpar>[)\]])
    """,
    re.VERBOSE | re.IGNORECASE,
)
_DIGITS: Final = re.compile(r"\d+")
_LATIN: Final = re.compile(r"[a-z]")
# Latin letters that look Cyrillic, as OCR and hurried typing put them into Russian words.
_LOOKALIKES: Final = str.maketrans("aceopxykmtbh", "асеорхукмтвн")

# Terminal groups used for one-token lookahead decisions.
POINT_START: Final = frozenset(("MONTH", "DATE", "NUM", "ORD", "YEAR", "YEARPAIR"))
POINT_END: Final = frozenset(("MONTH", "DATE", "YEAR", "YEARPAIR", "YEARSUF", "SCHOOL", "QUARTER", "HALF", "TERM"))
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


_Scanned = tuple[str, int, int, Any, str]
"""A scanned token: (kind, start, end, decoded value, folded word)."""


def _scan(phrase: str) -> list[_Scanned]:
    """Pass 1: regular expression scan; everything unknown is skipped."""
    out: list[_Scanned] = []
    folded = _fold_all(phrase)
    latin = folded is None or _LATIN.search(folded) is not None  # else no word needs the test below
    for m in _TOKEN_RE.finditer(phrase):
        kind = m.lastgroup
        start, end = m.span()
        if kind == "word":
            word = folded[start:end].rstrip(".") if folded is not None else _fold(m.group())
            if latin and not word.isascii() and _LATIN.search(word):
                word = word.translate(_LOOKALIKES)  # "сeнтябрь" typed with a Latin "e"
            out.append(("WORD", start, end, None, word))
        elif kind == "date":
            year = m.group("y")
            y = None if year is None else int(year) + (2000 if len(year) == 2 else 0)
            out.append(("DATE", start, end, (int(m.group("d")), int(m.group("m")), y), ""))
        elif kind == "year":
            out.append(("YEAR", start, end, int(m.group()), ""))
        elif kind == "num":
            digits = _DIGITS.match(m.group())
            value = int(digits.group()) if digits and len(digits.group()) <= 3 else -1
            out.append(("NUM" if value >= 0 else "TEXT", start, end, value, ""))
        elif kind == "monthyear":
            out.append(("MONTH", start, m.end("mm"), int(m.group("mm")), ""))
            out.append(("YEAR", m.start("my"), end, int(m.group("my")), ""))
        elif kind == "pair":
            y1, y2 = int(m.group("y1")), m.group("y2")
            second = int(y2) if len(y2) == 4 else y1 // 100 * 100 + int(y2)
            out.append(("YEARPAIR", start, end, (y1, second, m.group("ps")), ""))
        elif kind == "halfabbr":
            out.append(("HALF", start, end, "half_year", "п/г"))
        elif kind is not None:
            out.append((kind.upper(), start, end, None, ""))
    return out


def _word_kinds() -> dict[str, tuple[str, Any]]:
    """Every known word -> (terminal, value); earlier tables win on a clash."""
    tables: list[tuple[str, dict[str, Any]]] = [
        ("MONTH", lx.MONTHS),
        ("MONTH", lx.MONTH_ADJECTIVES),
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
    """Classify one folded word on its own (a month stand-in of `_learn` as the month it stands for)."""
    found = _WORD_KINDS.get(word)
    if found is not None:
        return found
    if word.startswith(_MONTH_MARK):
        return "MONTH", _Ref(int(word[len(_MONTH_MARK) :]))
    return _TEXT


def _strings(table: Any) -> set[str]:
    """Every string in a lexicon table: its words, the words of its pairs, its values."""
    if isinstance(table, str):
        return {table}
    if isinstance(table, dict):
        return _strings(list(table)) | _strings(list(table.values()))
    if isinstance(table, list | tuple | set | frozenset):
        return set().union(*map(_strings, table)) if table else set()
    return set()


def _plain_months() -> dict[str, int]:
    """Month words that nothing but their month sets apart: «мая», «июне», «сентябрьский».

    The passes read such a word only through its kind and its month, which they
    carry unread, so phrases that differ only in which of them they write take
    the same steps: they share a shape (see "shapes" below). A word that any
    other table of the lexicon also names may be tested for itself, so it is
    left out. (Words the passes spell out in this module are function words; a
    test holds that none is a month.)
    """
    months = (lx.MONTHS, lx.MONTH_ADJECTIVES, lx.MONTH_NOMINATIVE, lx.MONTH_GENITIVE, lx.MONTH_ENGLISH)
    named = set().union(
        *(
            _strings(table)
            for name, table in vars(lx).items()
            if not name.startswith("_") and name.isupper() and all(table is not m for m in months)
        )
    )
    return {word: value for word, (kind, value) in _WORD_KINDS.items() if kind == "MONTH" and word not in named}


_PLAIN_MONTHS: Final = _plain_months()
_MONTH_MARK: Final = "\x00month"
"""What a plain month word is in a shape's key, and (with its index) in the scan `_learn` passes on."""


def _combine(raw: list[_Raw]) -> list[_Raw]:
    """Pass 2: multi-word keywords, then one-word classification."""
    out: list[_Raw] = []
    i, n = 0, len(raw)
    while i < n:
        r = raw[i]
        if r.kind != "WORD":
            if r.kind == "NUM" and i + 1 < n and raw[i + 1].word in lx.DAY_OF_MONTH_WORDS:
                # "до 25 числа": a day of some month, which only a recurrence can place.
                start = out.pop().start if out and out[-1].kind == "UNTIL" else r.start
                out.append(_Raw("REL", start, raw[i + 1].end, None, raw[i + 1].word))
                i += 2
                continue
            out.append(r)
            i += 1
            continue
        w = r.word
        nxt = raw[i + 1].word if i + 1 < n else ""
        nxt2 = raw[i + 2].word if i + 2 < n else ""
        take, kind = 1, ""
        data: Any = None
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
        elif (w, nxt) in lx.AFTER_PAIRS:
            take, kind = 2, "AFTER"
        elif (w, nxt) in lx.RELATIVE_PAIRS:
            take, kind = 2, "REL"
        elif w in lx.SCHOOL_EDGES and nxt in lx.SCHOOL_WORDS and nxt2 in lx.YEAR_WORDS:
            # "в начале учебного года" is September, "в конце учебного года" May.
            take, kind, data = 3, "MONTH", lx.SCHOOL_EDGES[w]
        elif w in lx.AFTER_WORDS:
            kind = "AFTER"
        elif w in lx.RELATIVE_WORDS:
            kind = "REL"
        elif w in ("до", "к", "ко") and nxt in lx.START_WORDS:
            take, kind = 2, "UNTILSTART"
        elif w in ("до", "к", "ко") and nxt in ("окончания", "окончанию", "завершения", "завершению"):
            take, kind = 2, "UNTIL"
        elif w == "по" and nxt in lx.WEEKDAYS_PLURAL:
            take, kind, data = 2, "RECUR", "weekly"
        elif w in lx.SEASON_ADJECTIVES and (nxt in lx.HOLIDAY_WORDS or nxt in lx.SEASON_NOUNS):
            season, holiday = lx.SEASONS[lx.SEASON_ADJECTIVES[w]]
            months = holiday if nxt in lx.HOLIDAY_WORDS else season
            if months is not None:
                noun = raw[i + 1]
                if months[0] == months[1]:
                    out.append(_Raw("MONTH", r.start, noun.end, months[0]))
                else:  # "летних каникул" reads as "июнь - август"
                    out.append(_Raw("MONTH", r.start, r.end, months[0]))
                    out.append(_Raw("DASH", r.end, r.end))
                    out.append(_Raw("MONTH", noun.start, noun.end, months[1]))
                i += 2
                continue
            kind = "TEXT"
        elif w in lx.VAGUE_HOLIDAY:
            take = 2 if nxt in lx.SEASON_NOUNS else 1
            kind = "VAGUE"
        elif w in lx.COUNT_WORDS:
            out.append(_Raw("NUM", r.start, r.end, lx.COUNT_WORDS[w]))
            kind = "TIMES"
            r = _Raw("TIMES", r.end, r.end)
        elif w in lx.NUMERALS:
            kind, data = "NUM", lx.NUMERALS[w]
        elif (
            w.startswith("план")
            and i + 2 < n
            and raw[i + 1].kind == "DASH"
            and lx.CALENDARS.get(w) == "план"
            and lx.CALENDARS.get(nxt2) == "график"
        ):
            take, kind, data = 3, "CAL", "план-график"
        else:
            kind, data = _word_kind(w)
            if kind == "UNIT" and data in lx.TERM_UNITS and out and out[-1].kind in ("NUM", "ORD"):
                kind = "TERM"  # "I четверть", "2 триместр"
        last = raw[i + take - 1]
        if kind == "VAGUE" and data is None:
            data = " ".join(x.word for x in raw[i : i + take])
        out.append(_Raw(kind, r.start, last.end, data, w))
        i += take
    return _share_units(out) if n > 3 else out


_NUMBERED_UNITS: Final = frozenset(("QUARTER", "HALF", "TERM"))


def _share_units(toks: list[_Raw]) -> list[_Raw]:
    """ "I, II квартал", "1 и 2 полугодие": each number gets the unit written once at the end."""
    for j in range(len(toks) - 4, -1, -1):
        if (
            toks[j].kind in ("NUM", "ORD")
            and toks[j + 1].kind in ("AND", "SEP")
            and toks[j + 2].kind in ("NUM", "ORD")
            and toks[j + 3].kind in _NUMBERED_UNITS
        ):
            unit = toks[j + 3]
            toks.insert(j + 1, _Raw(unit.kind, toks[j].end, toks[j].end, unit.data, unit.word))
    return toks


_DURING_PAIRS: Final = frozenset((("в", "течение"), ("в", "течении"), ("во", "течение"), ("на", "протяжении")))


def _next_kind(toks: list[_Raw], j: int) -> str:
    """Kind of the first token at or after j that is not a filler word."""
    while j < len(toks) and toks[j].kind == "FILL":
        j += 1
    return toks[j].kind if j < len(toks) else "$END"


def _calendar_follows(toks: list[_Raw], j: int) -> bool:
    """True when a calendar noun follows at j, possibly after two qualifier words."""
    for k in (j, j + 1, j + 2):
        if k < len(toks) and toks[k].kind == "CAL":
            return True
        if k >= len(toks) or toks[k].kind not in ("TEXT", "FILL", "SCHOOL"):
            return False
    return False


_DATED_NUMBER_FOLLOWERS: Final = frozenset(("MONTH", "QUARTER", "HALF", "TERM", "DASH"))


def _point_follows(toks: list[_Raw], j: int) -> bool:
    """True when a calendar point starts at j (after fillers): "по итогам I четверти"."""
    while j < len(toks) and toks[j].kind == "FILL":
        j += 1
    if j >= len(toks):
        return False
    kind = toks[j].kind
    if kind in ("NUM", "ORD"):
        return j + 1 < len(toks) and toks[j + 1].kind in _DATED_NUMBER_FOLLOWERS
    return kind in ("MONTH", "DATE", "YEAR", "YEARPAIR", "SCHOOL")


def _per_follows(toks: list[_Raw], j: int) -> int:
    """After "раз": 1 for "в месяц" at j, 2 for "в 2 недели", else 0."""
    if j + 1 >= len(toks) or toks[j].word not in ("в", "за", "на"):
        return 0
    if toks[j + 1].kind in UNIT_LIKE:
        return 1
    if toks[j + 1].kind == "NUM" and j + 2 < len(toks) and toks[j + 2].kind in UNIT_LIKE:
        return 2
    return 0


def _contextualise(toks: list[_Raw]) -> list[_Raw]:
    """Pass 3: keep a keyword only where the grammar can use it, else demote to TEXT."""
    out: list[_Raw] = []
    skip = -1
    for j, t in enumerate(toks):
        if j == skip:
            continue
        k = t.kind
        prev = out[-1].kind if out else "^"
        nxt = _next_kind(toks, j + 1)
        keep = True
        if k == "FILL" and prev == "TIMES" and _per_follows(toks, j) == 2:
            t.kind, t.data, t.end = "PER", toks[j + 1].data, toks[j + 1].end  # "раз в две недели"
            skip = j + 1
        elif k == "FILL":
            if (
                nxt in POINT_START
                or nxt in ("SCHOOL", "FROM", "VAGUE")
                or (nxt == "YEARSUF" and prev in ("UNTIL", "DURING"))
            ):
                continue
            if t.word in ("весь", "всего", "вся", "всей") and nxt in ("YEARSUF", "SCHOOL"):
                t.kind = "DURING"
            elif prev == "TIMES" and t.word in ("в", "за", "на") and nxt in UNIT_LIKE:
                t.kind = "PER"
            elif t.word in ("в", "во") and _calendar_follows(toks, j + 1):
                t.kind = "PO"  # "в сроки, установленные Рособрнадзором"
            else:
                keep = False
        elif k == "UNTIL":
            keep = nxt in POINT_START or nxt in ("SCHOOL", "YEARSUF")
            if not keep and nxt in ("TEXT", "REL", "AFTER", "UNIT"):
                t.kind, keep = "REL", True  # "до проведения ВПР", "до конца месяца": before an event
        elif k in ("UNTILSTART", "AFTER"):
            if not _point_follows(toks, j + 1):
                t.kind = "REL"  # "после проведения", "до начала ВПР"
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
            keep = nxt in ("QUARTER", "HALF", "DASH", "TERM")
        elif k == "TIMES":
            keep = prev in ("NUM", "ATLEAST") or _per_follows(toks, j + 1) > 0
        elif k == "EVERY":
            keep = nxt in UNIT_LIKE
        elif k == "UNIT":
            keep = prev in ("PER", "EVERY", "DURING")
        elif k in ("QUARTER", "HALF", "TERM"):
            keep = prev in ("NUM", "ORD", "PER", "EVERY", "DURING")
        elif k == "YEARSUF":
            if prev in ("YEARSUF", "YEAR", "YEARPAIR", "DATE"):
                out[-1].end = t.end  # "2023 г.", "г.г.": the year word adds nothing
                continue
            if prev == "REL":
                keep = False  # "по итогам года": part of the event's wording
            elif prev not in _YEAR_WORD_AFTER:
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
_NUM_FOLLOWERS: Final = frozenset(("MONTH", "QUARTER", "HALF", "TERM", "TIMES", "DASH"))


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
        if k == "TEXT" and prev is not None and prev.kind in _TEXT_RUNS:
            prev.end = t.end
            prev.word = t.word
            continue
        if k == "REL":
            # The duration before the event belongs to it: "в течение 10 рабочих дней после …".
            while out and out[-1].kind in _RELATIVE_LEAD:
                t.start = out.pop().start
            out.append(t)
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
    result: list[_Raw] = []
    for t in out:
        if t.kind == "SEP":
            continue
        if t.kind in ("LABEL", "TEXT") and t.word in lx.UNITS and result and result[-1].kind in _DURATION_LEAD:
            # "в течение 5 рабочих дней": a duration from some event, not a date.
            result[-1].kind = "REL"
            result[-1].end = t.end
            continue
        result.append(t)
    return result


_TEXT_RUNS: Final = frozenset(("TEXT", "LABEL", "REL"))
_RELATIVE_LEAD: Final = frozenset(("TEXT", "LABEL", "NUM", "UNIT", "YEARSUF", "DURING", "UNTIL", "ATLEAST", "REL"))
_DURATION_LEAD: Final = frozenset(("DURING", "UNTIL", "ATLEAST"))


def _tokens(phrase: str) -> list[_Raw]:
    """The four passes: the definition of what a phrase tokenizes to."""
    return _tidy(_contextualise(_combine([_Raw(*t) for t in _scan(phrase)])))


# --- shapes ---------------------------------------------------------------------------------
#
# Roadmaps write the same few phrasings with different numbers, spacing and quotes: "до 8
# мая 2024 г." and "До «18» мая 2025 г.". Passes 2-4 decide on the kind of each scanned
# token and, for words, on the folded word; positions and decoded values they only carry
# along (copied, never read or computed). So phrases that scan to the same kinds and words
# come out of the passes alike but for those carried things. A new scan shape goes through
# the passes once with each position replaced by where it is in the scan and each value by
# a `_Ref` to its token; the result, a `_Shape`, turns any scan of that shape into lexemes.


@dataclass(frozen=True, slots=True)
class _Ref:
    """The decoded value of scanned token `index`, carried through the passes unread."""

    index: int


# (kind, start and end as (scanned token, 1 for its end or 0 for its start), constant data,
# the scanned token whose value is the data or -1, whether the data is the token's text)
_ShapeToken = tuple[str, tuple[int, int], tuple[int, int], Any, int, bool]


@dataclass(frozen=True, slots=True)
class _Shape:
    """The passes' result for one scan shape, and the sequence of token types."""

    tokens: tuple[_ShapeToken, ...]
    types: tuple[str, ...]


_SHAPES: dict[tuple[str, ...], _Shape] = {}
_MAX_SHAPES: Final = 16384


def _learn(scan: list[_Scanned], *, plain: bool = True) -> _Shape | None:
    """The passes run once on references to a scan's positions and values.

    Position 2i stands for the start of scanned token i and 2i + 1 for its end; as
    the passes only copy positions, every position they give is one of these. With
    `plain`, each plain month word is a stand-in whose month is a reference too;
    None if one of them was read as a word after all (its text joined into a value).
    """
    symbolic = [
        _Raw(
            kind,
            2 * i,
            2 * i + 1,
            None if data is None else _Ref(i),
            f"{_MONTH_MARK}{i}" if plain and kind == "WORD" and word in _PLAIN_MONTHS else word,
        )
        for i, (kind, _, _, data, word) in enumerate(scan)
    ]
    tokens = tuple(
        (
            t.kind,
            divmod(t.start, 2),
            divmod(t.end, 2),
            None if type(t.data) is _Ref else t.data,
            t.data.index if type(t.data) is _Ref else -1,
            t.kind in _TEXT_RUNS,
        )
        for t in _tidy(_contextualise(_combine(symbolic)))
    )
    if plain and any(isinstance(t[3], str) and _MONTH_MARK in t[3] for t in tokens):
        return None
    return _Shape(tokens, tuple(t[0] for t in tokens))


def _shape(scan: list[_Scanned]) -> _Shape:
    """The shape of a scan, learnt when new; plain month words are alike in its key."""
    key = tuple([t[0] if t[0] != "WORD" else _MONTH_MARK if t[4] in _PLAIN_MONTHS else t[4] for t in scan])
    shape = _SHAPES.get(key)
    if shape is None:
        if len(_SHAPES) >= _MAX_SHAPES:
            _SHAPES.clear()
        shape = _learn(scan)
        if shape is None:  # a month read as a word: this scan's own words make the key
            key = tuple([t[4] if t[0] == "WORD" else t[0] for t in scan])
            shape = _SHAPES.get(key) or _learn(scan, plain=False)
            assert shape is not None
        _SHAPES[key] = shape
    return shape


# --- digit classes ----------------------------------------------------------------------------
#
# Most phrases of a shape differ from each other only in their numbers: "До 20.01.2024" and
# "До 15.05.2025". The scanning expression never looks at a number's value, only at what it
# tests of each run of digits: its length, whether four digits start with 19 or 20 (a year),
# whether one or two make a month number (0?[1-9] or 1[0-2]). Phrases whose runs agree on
# that scan alike, span for span, and so tokenize alike but for the values: a `_Template`
# keeps the tokens of the first with, for each value, the digit runs it is read from (every
# phrase, the first too, takes its values from there). Two keys find a
# template: the phrase with the digits 3-8 made alike (one fast bytes translation, enough
# for repeats of one number pattern), and, when that is new, the phrase with every run
# replaced by its class.

_DIGIT_RUN: Final = re.compile(r"\d+")
_FAST_KEY: Final = bytes.maketrans(b"45678", b"33333")
_CONST, _TEXTUAL, _INT, _DATE, _PAIR = range(5)
_MAX_TEMPLATES: Final = 16384


def _run_class(run: str) -> str:
    """A run of digits as the scanner sees it: same length, same year and month tests."""
    n = len(run)
    if not run.isascii():
        return run
    if n == 1:
        return "0" if run == "0" else "1"
    if n == 2:
        return "00" if run == "00" else "01" if run[0] == "0" else "10" if run in ("10", "11", "12") else "33"
    if n == 4:
        return "2000" if run[:2] in ("19", "20") else "3333"
    return "3" * n


_RUN_CLASSES: Final = {
    run: _run_class(run)
    for run in (*map(str, range(100)), *(f"{n:02d}" for n in range(10)), *map(str, range(1900, 2100)))
}


def _class_of(match: re.Match[str]) -> str:
    run = match.group()
    return _RUN_CLASSES.get(run) or _run_class(run)


# (kind, start, end, constant data, how the data is read (_CONST: it is the constant), the
# digit runs it is read from)
_TemplateToken = tuple[str, int, int, Any, int, tuple[tuple[int, int], ...]]


@dataclass(frozen=True, slots=True)
class _Template:
    """The tokens of a phrase with the place of each value, and the sequence of their types."""

    tokens: tuple[_TemplateToken, ...]
    types: tuple[str, ...]


_TEMPLATES: dict[bytes | str, _Template] = {}


def clear_shapes() -> None:
    """Forget learnt shapes and digit classes (for benchmarks measuring cold parsing)."""
    _SHAPES.clear()
    _TEMPLATES.clear()


def _template(phrase: str, scan: list[_Scanned]) -> _Template:
    """The tokens of a scanned phrase; each value is read from whole digit runs inside its scanned token."""
    runs = [m.span() for m in _DIGIT_RUN.finditer(phrase)]
    reads: list[tuple[int, tuple[tuple[int, int], ...]]] = []
    for kind, start, end, data, _ in scan:
        spans = tuple(r for r in runs if start <= r[0] and r[1] <= end) if data is not None else ()
        if kind == "DATE":
            reads.append((_DATE, spans))
        elif kind == "YEARPAIR":
            reads.append((_PAIR, spans))
        elif kind in ("YEAR", "MONTH", "NUM") and data is not None:
            reads.append((_INT, spans))
        else:  # no value, a constant, or a number too long to be one (-1)
            reads.append((_CONST, ()))
    shape = _shape(scan)
    tokens: list[_TemplateToken] = []
    for kind, (a, a_end), (b, b_end), data, ref, textual in shape.tokens:
        start = scan[a][2] if a_end else scan[a][1]
        end = scan[b][2] if b_end else scan[b][1]
        if textual:
            tokens.append((kind, start, end, None, _TEXTUAL, ()))
        elif ref >= 0:  # a scanned value, or the month of a plain month word
            value = scan[ref][3] if scan[ref][0] != "WORD" else _PLAIN_MONTHS[scan[ref][4]]
            tokens.append((kind, start, end, value, *reads[ref]))
        else:
            tokens.append((kind, start, end, data, _CONST, ()))
    return _Template(tuple(tokens), shape.types)


def _decode(code: int, phrase: str, spans: tuple[tuple[int, int], ...]) -> Any:
    """A value from the digit runs of the phrase, as the scanner reads it."""
    if code == _INT:
        a, b = spans[0]
        return int(phrase[a:b])
    if code == _DATE:  # "15.05.2024", "1.10.24", "15.05"
        (d0, d1), (m0, m1) = spans[0], spans[1]
        y: int | None = None
        if len(spans) > 2:
            y0, y1 = spans[2]
            y = int(phrase[y0:y1]) + (2000 if y1 - y0 == 2 else 0)
        return int(phrase[d0:d1]), int(phrase[m0:m1]), y
    # _PAIR: "2024/25", "2023 - 2024"; the separator is the first non-space after the first year
    (a0, a1), (b0, b1) = spans
    first, last = int(phrase[a0:a1]), int(phrase[b0:b1])
    second = last if b1 - b0 == 4 else first // 100 * 100 + last
    return first, second, phrase[a1:b0].strip(" ")[0]


def tokenize(phrase: str) -> list[Lexeme]:
    """The terminals of `phrase`, each with its decoded value and character span."""
    return tokenize_typed(phrase)[0]


def tokenize_typed(phrase: str) -> tuple[list[Lexeme], tuple[str, ...]]:
    """The terminals of `phrase` and the sequence of their types (what the parser keys on)."""
    fast_key = phrase.encode("utf-8", "surrogatepass").translate(_FAST_KEY)
    template = _TEMPLATES.get(fast_key)
    if template is None:
        if len(_TEMPLATES) >= _MAX_TEMPLATES:
            _TEMPLATES.clear()
        lowered = phrase.lower()  # the scan ignores case: «Сентябрь 2024» and «сентябрь 2025» share one
        class_key = _DIGIT_RUN.sub(_class_of, lowered if len(lowered) == len(phrase) else phrase)
        template = _TEMPLATES.get(class_key)
        if template is None:  # a new digit class: scan it
            template = _TEMPLATES[class_key] = _template(phrase, _scan(phrase))
        _TEMPLATES[fast_key] = template
    out = []
    new = str.__new__
    for kind, start, end, data, code, spans in template.tokens:
        text = phrase[start:end]
        lexeme = new(Lexeme, text)
        lexeme.type = kind
        lexeme.value = text
        lexeme.start_pos = start
        lexeme.end_pos = end
        if not code:
            lexeme.data = data
        elif code == _TEXTUAL:
            lexeme.data = text.strip()
        else:
            lexeme.data = _decode(code, phrase, spans)
        out.append(lexeme)
    return out, template.types


def _lexeme(phrase: str, t: _Raw) -> Lexeme:
    """Build a lexeme directly: `Token.__new__` spends its time on deprecated arguments.

    Line and column are left unset, as `tokenize_typed` leaves them: the replayed
    parse never reads them, and `with_positions` sets them before a phrase goes
    through lark itself.
    """
    text = phrase[t.start : t.end]
    lexeme = str.__new__(Lexeme, text)
    lexeme.type = t.kind
    lexeme.value = text
    lexeme.start_pos = t.start
    lexeme.end_pos = t.end
    lexeme.data = text.strip() if t.kind in _TEXT_RUNS else t.data
    return lexeme


def with_positions(lexemes: list[Lexeme]) -> list[Lexeme]:
    """Lexemes with the line and column attributes lark's own parser and errors read."""
    for lexeme in lexemes:
        lexeme.value = str(lexeme)
        lexeme.line = lexeme.column = lexeme.start_pos
        lexeme.end_line = lexeme.end_column = lexeme.end_pos
    return lexemes
