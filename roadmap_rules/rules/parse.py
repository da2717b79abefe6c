"""Rule file text → syntax tree, with syntax errors worded for people, not for parser authors."""

from __future__ import annotations

import re
from functools import cache, lru_cache
from pathlib import Path

from lark import Lark, Token, UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken
from lark.lexer import PatternStr

from roadmap_rules.derived import lark_cache
from roadmap_rules.diagnostics import Message, Span
from roadmap_rules.rules.ast import Attr, Expr, Name, RulesetNode, Text, ToAst
from roadmap_rules.rules.problems import Problem

_READABLE = {
    "NAME": ("имя", "a name"),
    "RULESET_NAME": ("имя набора правил", "a ruleset name"),
    "STRING": ("строка в кавычках", "a quoted string"),
    "NUMBER": ("число", "a number"),
    "DATE": ("дата ГГГГ-ММ-ДД", "a date YYYY-MM-DD"),
    "CODE": ("код правила, например B001", "a rule code such as B001"),
    "SEVERITY": ("error | warning | info", "error | warning | info"),
    "QUANT": ("exists | no | every | count | share | select", "exists | no | every | count | share | select"),
    "COMP_OP": ("сравнение (== != < <= > >=)", "a comparison (== != < <= > >=)"),
    "$END": ("конец файла", "end of file"),
}


_GRAMMAR = Path(__file__).parent / "grammar.lark"
_PATH = re.compile(r"[a-z_][a-z0-9_]*(?:\.[a-z_][a-z0-9_]*)*")
"""`m.previous.number`: names as the grammar's NAME writes them, without its hyphen."""


@cache
def parser() -> Lark:
    grammar = _GRAMMAR.read_text(encoding="utf-8")
    return Lark(
        grammar,
        parser="lalr",
        propagate_positions=True,
        start=["start", "expr"],
        maybe_placeholders=True,
        cache=lark_cache("rules-grammar"),
    )


def parse_text(text: str) -> RulesetNode | Problem:
    try:
        tree = parser().parse(text, start="start")
    except UnexpectedInput as error:
        return syntax_problem(error, text)
    result: RulesetNode = ToAst(parse_expression).transform(tree)
    return result


@lru_cache(maxsize=4096)
def parse_expression(text: str) -> Expr | None:
    """A `{placeholder}` of a message template; the built-in rulesets repeat 42 of them 152 times.

    Shared safely: the nodes are frozen."""
    path = _field_path(text)
    if path is not None:
        return path
    try:
        return ToAst().transform(parser().parse(text, start="expr"))  # type: ignore[no-any-return]
    except UnexpectedInput:
        return None


def parse_placeholder(text: Text, piece: str) -> Expr | None:
    """The `{piece}` of a message `text`: as parsed with its rule file where it was, else parsed now."""
    for written, node in text.placeholders:
        if written == piece:
            return node
    return parse_expression(piece[1:-1])


def _field_path(text: str) -> Expr | None:
    """The tree lark gives a field path such as `m.previous.number`, built without loading the grammar.

    Most placeholders are such paths. When the rule files' parses come from the cache, this is all
    that compiling them needs. A keyword cannot start a path (`true`, `count`…); after a dot, the
    grammar reads any word as a field name.
    """
    if not _PATH.fullmatch(text):
        return None
    names = text.split(".")
    if names[0] in _keywords():
        return None
    end = len(names[0])
    node: Expr = Name(names[0], Span(1, 1, 1, end + 1))
    for name in names[1:]:
        end += 1 + len(name)
        node = Attr(node, name, Span(1, 1, 1, end + 1))
    return node


@cache
def _keywords() -> frozenset[str]:
    """Every word the grammar spells out in quotes."""
    return frozenset(re.findall(r'"([a-z_]+)"', _GRAMMAR.read_text(encoding="utf-8")))


def _expected(names: set[str]) -> tuple[str, str]:
    ru: list[str] = []
    en: list[str] = []
    for name in sorted(names):
        if name in _READABLE:
            r, e = _READABLE[name]
        else:
            try:
                pattern = parser().get_terminal(name).pattern
            except KeyError:
                continue
            if not isinstance(pattern, PatternStr):
                continue
            r = e = f"«{pattern.value}»"
        if r not in ru:
            ru.append(r)
            en.append(e)
    return ", ".join(ru[:10]), ", ".join(en[:10])


def syntax_problem(error: UnexpectedInput, text: str) -> Problem:
    line, column = getattr(error, "line", 1) or 1, getattr(error, "column", 1) or 1
    if isinstance(error, UnexpectedToken):
        token: Token = error.token
        got = "конец файла" if token.type == "$END" else f"«{token}»"
        got_en = "end of file" if token.type == "$END" else f"'{token}'"
        want_ru, want_en = _expected(set(error.accepts or error.expected))
        ru, en = f"неожиданно {got}; ожидалось: {want_ru}", f"unexpected {got_en}; expected: {want_en}"
        if token.type == "$END":
            line, column = token.line or line, token.column or column
    elif isinstance(error, UnexpectedCharacters):
        ch = text[error.pos_in_stream] if error.pos_in_stream is not None else "?"
        ru, en = f"неожиданный символ «{ch}»", f"unexpected character '{ch}'"
    elif isinstance(error, UnexpectedEOF):
        ru, en = "файл правил неожиданно закончился (не хватает «}»?)", "unexpected end of the rule file (missing '}'?)"
    else:
        ru = en = str(error)
    return Problem(
        "R001", Message(f"Синтаксическая ошибка: {ru}", f"Syntax error: {en}"), Span(line, column, line, column + 1)
    )
