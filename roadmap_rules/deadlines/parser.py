"""Lexemes to syntax tree: the LALR parser over grammar.lark.

The grammar is loaded once. LALR is deterministic on token *types*, so the
shape of a parse depends only on the sequence of types: each new sequence is
parsed once by lark and compiled into a replay program (which builder method
to call on which lexemes), and every later phrase of the same shape ("март
2024", "май 2025", ...) is built by replaying it. Roadmaps use a few dozen
shapes, so almost every phrase skips lark's parsing loop. Sequences the grammar
rejects take the slow path: lark with an error handler that skips the tokens it
cannot place and returns them, so parsing never fails.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, NamedTuple

from lark import Lark, Token, Transformer, Tree
from lark.exceptions import LarkError, UnexpectedToken
from lark.lexer import Lexer, LexerState

from roadmap_rules.deadlines import lexicon as lx
from roadmap_rules.deadlines.lexer import Lexeme, tokenize_typed, with_positions
from roadmap_rules.deadlines.nodes import (
    After,
    During,
    External,
    Item,
    Note,
    Paren,
    Point,
    Recur,
    Relative,
    Since,
    Span,
    Until,
    UntilStart,
    Vague,
    Whole,
    YearRef,
)
from roadmap_rules.derived import lark_cache

_MAX_RETRIES: Final = 8


@dataclass(slots=True)
class _Feed:
    """The parser's input: lexemes and how far it has read (kept across error recovery)."""

    lexemes: list[Lexeme]
    pos: int = 0


class _FeedLexer(Lexer):
    """Hands pre-made lexemes to lark; resumes where it stopped after an error."""

    __future_interface__ = 2

    def __init__(self, lexer_conf: Any) -> None:
        pass

    def lex(self, lexer_state: LexerState, parser_state: Any) -> Iterator[Token]:
        feed: _Feed = lexer_state.text  # type: ignore[assignment]
        while feed.pos < len(feed.lexemes):
            lexeme = feed.lexemes[feed.pos]
            feed.pos += 1
            yield lexeme


def _span(children: list[Any]) -> tuple[int, int]:
    """Character span covered by a rule's children (lexemes or nodes)."""
    first, last = children[0], children[-1]
    start: int = (first.start_pos or 0) if isinstance(first, Lexeme) else first.start
    end: int = (last.end_pos or 0) if isinstance(last, Lexeme) else last.end
    return start, end


def _data(children: list[Any], kind: str) -> Any:
    for c in children:
        if isinstance(c, Lexeme) and c.type == kind:
            return c.data
    return None


def _year_of(children: list[Any]) -> YearRef | None:
    return next((c for c in children if isinstance(c, YearRef)), None)


def _numbers(children: list[Any]) -> list[int]:
    return [int(c.data) for c in children if isinstance(c, Lexeme) and c.type in ("NUM", "ORD")]


def _points(children: list[Any]) -> list[Point]:
    return [c for c in children if isinstance(c, Point)]


class _Build(Transformer[Token, Any]):
    """Builds nodes.py objects from grammar rules; one method per rule or alias."""

    def start(self, children: list[Any]) -> list[Item]:
        return [c for c in children if c is not None]

    def sep(self, children: list[Any]) -> None:
        return None

    def paren(self, children: list[Any]) -> Paren:
        items = tuple(c for c in children if not isinstance(c, Token) and c is not None)
        return Paren(items, *_span(children))

    def vague(self, children: list[Any]) -> Vague:
        return Vague(str(children[0].data), *_span(children))

    def note(self, children: list[Any]) -> Note:
        return Note(str(children[0].data), *_span(children))

    def relative(self, children: list[Any]) -> Relative:
        return Relative(str(children[0].data), *_span(children))

    # dates

    def year(self, children: list[Any]) -> YearRef:
        y = int(children[0].data)
        return YearRef(y, y, False, *_span(children))

    def year_pair(self, children: list[Any]) -> YearRef:
        first, last, sep = children[0].data
        written = any(isinstance(c, Lexeme) and c.type == "SCHOOL" for c in children)
        school = (written or sep == "/") and last == first + 1
        return YearRef(first, last, school, *_span(children))

    def month(self, children: list[Any]) -> Point:
        return Point("month", None, None, children[0].data, _year_of(children), *_span(children))

    def date(self, children: list[Any]) -> Point:
        day, month, year = children[0].data
        ref = None if year is None else YearRef(year, year, False, *_span(children))
        return Point("day", day, day, month, ref, *_span(children))

    def day(self, children: list[Any]) -> Point:
        day = int(children[0].data)
        month = _data(children, "MONTH")
        return Point("day", day, day, month, _year_of(children), *_span(children))

    def quarter(self, children: list[Any]) -> Point:
        nums = _numbers(children)
        return Point("quarter", nums[0], nums[-1], None, _year_of(children), *_span(children))

    def half(self, children: list[Any]) -> Point:
        nums = _numbers(children)
        return Point("half", nums[0], nums[-1], None, _year_of(children), *_span(children))

    def term(self, children: list[Any]) -> Point:
        nums = _numbers(children)
        if _data(children, "TERM") == "trimester":
            return Point("trimester", nums[0], nums[-1], None, _year_of(children), *_span(children))
        return Point("term", nums[0], nums[-1], None, _year_of(children), *_span(children))

    def year_point(self, children: list[Any]) -> Point:
        return Point("year", None, None, None, children[0], *_span(children))

    def plan_school_year(self, children: list[Any]) -> Point:
        return Point("plan", None, None, None, None, *_span(children))

    # items

    def span(self, children: list[Any]) -> Span:
        points = _points(children)
        return Span(points[0], points[1] if len(points) > 1 else None, *_span(children))

    def day_range(self, children: list[Any]) -> Span:
        first, last = _numbers(children)[:2]
        month = _data(children, "MONTH")
        year = _year_of(children)
        nums = [c for c in children if isinstance(c, Lexeme) and c.type in ("NUM", "ORD")]
        a_start, a_end = _span(nums[:1])
        b_start, b_end = _span([nums[1], children[-1]])
        return Span(
            Point("day", first, first, None, None, a_start, a_end),
            Point("day", last, last, month, year, b_start, b_end),
            *_span(children),
        )

    def day_range_date(self, children: list[Any]) -> Span:
        first = _numbers(children)[0]
        nums = [c for c in children if isinstance(c, Lexeme) and c.type in ("NUM", "ORD")]
        dates = [c for c in children if isinstance(c, Lexeme) and c.type == "DATE"]
        day, month, year = dates[0].data
        a_start, a_end = _span(nums[:1])
        b_start, b_end = _span([dates[0], children[-1]])
        ref = None if year is None else YearRef(year, year, False, b_start, b_end)
        return Span(
            Point("day", first, first, None, None, a_start, a_end),
            Point("day", day, day, month, ref, b_start, b_end),
            *_span(children),
        )

    def until_start(self, children: list[Any]) -> UntilStart:
        return UntilStart(_points(children)[0], *_span(children))

    def after(self, children: list[Any]) -> After:
        return After(_points(children)[0], *_span(children))

    def until(self, children: list[Any]) -> Until:
        return Until(_points(children)[0], *_span(children))

    def until_year_end(self, children: list[Any]) -> Until:
        return Until(None, *_span(children))

    def since(self, children: list[Any]) -> Since:
        return Since(_points(children)[0], *_span(children))

    def during(self, children: list[Any]) -> During:
        return During(_points(children)[0], None, *_span(children))

    def during_unit(self, children: list[Any]) -> During:
        return During(None, str(children[-1].data), *_span(children))

    def whole(self, children: list[Any]) -> Whole:
        points = _points(children)
        return Whole(points[0] if points else None, *_span(children))

    def recurrence(self, children: list[Any]) -> Recur:
        frequency = _data(children, "RECUR")
        count = _data(children, "NUM")
        units = [c.data for c in children if isinstance(c, Lexeme) and c.type in _UNIT_TERMINALS]
        if (
            frequency is None
            and count is None
            and not any(isinstance(c, Lexeme) and c.type == "EVERY" for c in children)
        ):
            count = 1  # "раз в месяц"
        unit = units[0] if units else None
        every = _data(children, "PER")
        if every is not None and every > 1 and unit is not None:
            # "раз в 2 недели" is "2 раза в месяц"; a spacing with no such unit keeps only its count.
            unit, factor = lx.EVERY_N_UNITS.get((unit, every), (None, 1))
            count = (count or 1) * factor
        return Recur(frequency, count, unit, *_span(children))

    def external(self, children: list[Any]) -> External:
        calendar = str(_data(children, "CAL"))
        seen_cal = False
        qualifier = ""
        for c in children:
            if isinstance(c, Lexeme) and c.type == "CAL":
                seen_cal = True
            elif seen_cal and isinstance(c, Lexeme) and c.type == "TEXT":
                qualifier = str(c.data)
        return External(calendar, qualifier, *_span(children))


_UNIT_TERMINALS: Final = frozenset(("UNIT", "YEARSUF", "QUARTER", "HALF"))


@functools.cache
def _lark() -> Lark:
    """The grammar, building plain trees: once per process, its tables from lark's cache as for the rules."""
    grammar = Path(__file__).with_name("grammar.lark").read_text(encoding="utf-8")
    return Lark(grammar, parser="lalr", lexer=_FeedLexer, cache=lark_cache("deadline-grammar"))


_BUILD: Final = _Build()
# A replay program: a function of the lexemes that calls the builder methods in the order
# lark would, compiled once per sequence of token types.
Program = Callable[[list[Lexeme]], Any]


def _compile(tree: Tree[Token] | Token, index: dict[int, int]) -> Program:
    if isinstance(tree, Token):
        return operator.itemgetter(index[id(tree)])
    method: Callable[[list[Any]], Any] = getattr(_BUILD, str(tree.data))
    if all(isinstance(child, Token) for child in tree.children):
        positions = [index[id(child)] for child in tree.children]
        if not positions:
            return lambda lexemes: method([])
        if len(positions) == 1:
            only = positions[0]
            return lambda lexemes: method([lexemes[only]])
        pick = operator.itemgetter(*positions)
        return lambda lexemes: method(list(pick(lexemes)))
    parts = [_compile(child, index) for child in tree.children]
    return lambda lexemes: method([part(lexemes) for part in parts])


@functools.lru_cache(maxsize=8192)
def _shape(types: tuple[str, ...]) -> Program | None:
    """The replay program of a sequence of token types, or None if it does not parse."""
    placeholders = [Lexeme(kind, kind) for kind in types]
    try:
        tree = _lark().parse(_Feed(placeholders))
    except LarkError:
        return None
    return _compile(tree, {id(p): n for n, p in enumerate(placeholders)})


class Parsed(NamedTuple):
    """The items of a phrase, and the lexemes the grammar could not place."""

    items: tuple[Item, ...]
    skipped: tuple[Lexeme, ...]


def parse_lexemes(lexemes: list[Lexeme]) -> Parsed:
    """Parse lexemes, skipping what does not fit; never raises."""
    return _parse(lexemes, tuple(lexeme.type for lexeme in lexemes))


def _parse(lexemes: list[Lexeme], types: tuple[str, ...]) -> Parsed:
    program = _shape(types)
    if program is not None:
        return Parsed(tuple(program(lexemes)), ())
    dropped: list[Lexeme] = []
    remaining = with_positions(list(lexemes))
    for _ in range(_MAX_RETRIES):
        if not remaining:
            break
        skipped: list[Lexeme] = []

        def on_error(error: Any, skipped: list[Lexeme] = skipped) -> bool:
            if isinstance(error, UnexpectedToken) and isinstance(error.token, Lexeme):
                skipped.append(error.token)
                return True
            return False  # end of input inside a construct: handled below

        try:
            tree = _lark().parse(_Feed(remaining), on_error=on_error)
        except LarkError:
            # The phrase ended inside a construct ("1-15" with no month): drop the
            # last lexeme and read again.
            dropped.append(remaining.pop())
            continue
        items: list[Item] = _BUILD.transform(tree)
        return Parsed(tuple(items), tuple(sorted(skipped + dropped, key=_position)))
    return Parsed((), tuple(lexemes))


def _position(lexeme: Lexeme) -> int:
    return int(lexeme.start_pos or 0)


def parse_phrase(phrase: str) -> Parsed:
    """Tokenize and parse one phrase."""
    return _parse(*tokenize_typed(phrase))
