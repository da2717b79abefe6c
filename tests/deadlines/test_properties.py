"""Properties that hold for every phrase, not only the fixtures."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from roadmap_rules.deadlines import (
    Deadline,
    DeadlineContext,
    deadline_issues,
    describe,
    lexer,
    parse_deadline,
    render,
    render_phrase,
)
from roadmap_rules.deadlines.model import Interval, Precision, make_deadline, make_interval
from roadmap_rules.deadlines.parser import parse_phrase
from roadmap_rules.deadlines.semantics import interpret

SETTINGS = settings(max_examples=200, derandomize=True, deadline=None)

CONTEXTS = [
    DeadlineContext(date(2024, 1, 1), date(2024, 12, 31), date(2023, 12, 29)),
    DeadlineContext(date(2020, 12, 1), date(2021, 12, 31), date(2020, 11, 30)),
    DeadlineContext(date(2024, 9, 1), date(2025, 8, 31), date(2024, 9, 5)),
    DeadlineContext(),
]
SEED_PHRASES = sorted(
    {
        case["phrase"]
        for case in yaml.safe_load(Path(__file__).with_name("phrases.yaml").read_text(encoding="utf-8"))["cases"]
    }
)

MONTHS = ["январь", "февраля", "марте", "апр.", "май", "июня", "июль", "августа",
          "сентябрь", "окт.", "ноября", "Декабрь"]  # fmt: skip
contexts = st.sampled_from(CONTEXTS)
years = st.integers(2019, 2027)
months = st.integers(1, 12)


@st.composite
def written_dates(draw: st.DrawFn) -> str:
    """A date in one of the spellings roadmaps use."""
    kind = draw(st.integers(0, 6))
    y, m = draw(years), draw(months)
    d = draw(st.integers(1, 28))
    suffix = draw(st.sampled_from(["", " г.", " года", "г."]))
    if kind == 0:
        return f"{MONTHS[m - 1]} {y}{suffix}"
    if kind == 1:
        return f"{d:02d}.{m:02d}.{y}"
    if kind == 2:
        return f"{d} {MONTHS[m - 1]} {y}{suffix}" if m != 5 else f"{d} мая {y}"
    if kind == 3:
        return f"{draw(st.integers(1, 4))} квартал {y}{suffix}"
    if kind == 4:
        return f"{draw(st.sampled_from(['I', 'II']))} полугодие {y}"
    if kind == 5:
        return f"{y}/{(y + 1) % 100:02d} учебный год"
    return f"{y} год"


@st.composite
def phrases(draw: st.DrawFn) -> str:
    """Ranges, lists and "до" forms over written dates."""
    first = draw(written_dates())
    form = draw(st.integers(0, 4))
    if form == 0:
        return first
    second = draw(written_dates())
    if form == 1:
        return f"{first} {draw(st.sampled_from(['-', '–', '—']))} {second}"
    if form == 2:
        return f"{first}{draw(st.sampled_from([', ', '; ', ' и ', '  ']))}{second}"
    if form == 3:
        return f"{draw(st.sampled_from(['до', 'не позднее', 'До']))} {first}"
    return f"с {first} по {second}"


def _mutate(phrase: str, data: st.DataObject) -> str:
    """Delete, duplicate or insert characters of a real phrase."""
    chars = list(phrase)
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.integers(0, 2))
        pos = data.draw(st.integers(0, len(chars)))
        if op == 0 and chars:
            del chars[min(pos, len(chars) - 1)]
        elif op == 1 and chars:
            chars.insert(pos, chars[min(pos, len(chars) - 1)])
        else:
            chars.insert(pos, data.draw(st.sampled_from(list("-–,;()./ 0123456789гвдсп«»"))))
    return "".join(chars)


def _check_value(deadline: Deadline, context: DeadlineContext) -> None:
    assert isinstance(deadline, Deadline)
    for interval in deadline.intervals:
        assert interval.start <= interval.end
    deadline_issues(deadline, context)
    describe(deadline)
    render(deadline)
    render(deadline, "en")
    render_phrase(deadline)


@SETTINGS
@given(st.text(max_size=80), contexts)
def test_any_text_parses_without_raising(text: str, context: DeadlineContext) -> None:
    # interpret() directly: parse_deadline's last-resort guard would hide a bug.
    _check_value(interpret(text, parse_phrase(text), context), context)


@SETTINGS
@given(st.sampled_from(SEED_PHRASES), contexts, st.data())
def test_mutated_real_phrases_parse_without_raising(phrase: str, context: DeadlineContext, data: st.DataObject) -> None:
    text = _mutate(phrase, data)
    _check_value(interpret(text, parse_phrase(text), context), context)


@SETTINGS
@given(phrases(), contexts)
def test_forward_ranges_start_before_they_end(phrase: str, context: DeadlineContext) -> None:
    deadline = interpret(phrase, parse_phrase(phrase), context)
    assert deadline.parsed
    for interval in deadline.intervals:
        assert interval.start <= interval.end


@SETTINGS
@given(st.one_of(phrases(), st.sampled_from(SEED_PHRASES)), contexts)
def test_render_phrase_reparses_to_the_same_intervals(phrase: str, context: DeadlineContext) -> None:
    deadline = parse_deadline(phrase, context)
    rendered = render_phrase(deadline)
    if rendered is None or not deadline.intervals:
        return
    again = parse_deadline(rendered, context)

    def key(d: Deadline) -> list[tuple[date, date, str]]:
        return [(i.start, i.end, i.precision.value) for i in d.intervals]

    assert key(again) == key(deadline), rendered


@SETTINGS
@given(st.one_of(phrases(), st.sampled_from(SEED_PHRASES)), st.sampled_from(CONTEXTS[:3]), st.dates())
def test_with_a_period_the_approval_date_does_not_change_the_reading(
    phrase: str, context: DeadlineContext, approved: date
) -> None:
    # parse_deadline shares parses between plans of one period on this ground.
    other = DeadlineContext(context.period_start, context.period_end, approved)
    parsed = parse_phrase(phrase)
    assert interpret(phrase, parsed, other) == interpret(phrase, parsed, context)


def _fresh(phrase: str) -> list[tuple[str, int | None, int | None, object, str]]:
    """Tokens of `phrase` through the four passes, bypassing the scan shapes."""
    lexemes = [lexer._lexeme(phrase, t) for t in lexer._tokens(phrase)]
    return [(x.type, x.start_pos, x.end_pos, x.data, str(x)) for x in lexemes]


def _digit_class(run: str) -> str:
    """What the scanning expression tests of a run of digits: length, year, month number."""
    if len(run) == 4:
        return "year" if run[:2] in ("19", "20") else "4"
    if len(run) <= 2:
        return "month" if re.fullmatch(r"0?[1-9]|1[0-2]", run) else f"{len(run)}"
    return str(len(run))


def _same_scan_variant(phrase: str, data: st.DataObject) -> str:
    """`phrase` with other numbers of the same class, other spacing and other letter case."""
    out: list[str] = []
    last = 0
    for match in re.finditer(r"[0-9]+| +", phrase):
        run = match.group()
        if run[0] == " ":
            new = data.draw(st.sampled_from([run, run + " "]))
        else:
            same = [c for c in (f"{n:0{len(run)}d}" for n in range(10 ** min(len(run), 4))) if len(c) == len(run)]
            new = data.draw(st.sampled_from([c for c in same if _digit_class(c) == _digit_class(run)] or [run]))
        out.append(phrase[last : match.start()] + new)
        last = match.end()
    variant = "".join(out) + phrase[last:]
    variant = _other_months(variant, data)
    return variant.upper() if data.draw(st.booleans()) else variant


PLAIN_MONTHS = sorted(lexer._PLAIN_MONTHS)


def _other_months(phrase: str, data: st.DataObject) -> str:
    """`phrase` with some of its plain month words written as other ones ("мая" → "сентябрьский")."""

    def swap(match: re.Match[str]) -> str:
        word = match.group()
        if word.lower() not in lexer._PLAIN_MONTHS or not data.draw(st.booleans()):
            return word
        return data.draw(st.sampled_from(PLAIN_MONTHS))

    return re.sub(r"[^\W\d_]+", swap, phrase)


def _scan_key(phrase: str) -> tuple[str, ...]:
    """What a learnt shape is keyed by: the kinds of the scan, its words, any plain month as one."""
    return tuple(
        t[0] if t[0] != "WORD" else "month" if t[4] in lexer._PLAIN_MONTHS else t[4] for t in lexer._scan(phrase)
    )


@SETTINGS
@given(
    st.one_of(phrases(), st.sampled_from(SEED_PHRASES), st.text(alphabet="0123456789. -/гкв", max_size=20)), st.data()
)
def test_a_learnt_shape_tokenizes_like_the_passes(phrase: str, data: st.DataObject) -> None:
    lexer.clear_shapes()
    lexer.tokenize(phrase)  # learn the shape
    variant = _same_scan_variant(phrase, data)
    assume(_scan_key(variant) == _scan_key(phrase))
    got = [(x.type, x.start_pos, x.end_pos, x.data, str(x)) for x in lexer.tokenize(variant)]
    assert got == _fresh(variant), variant


@SETTINGS
@given(st.one_of(phrases(), st.sampled_from(SEED_PHRASES), st.text(max_size=40)))
def test_shapes_tokenize_like_the_passes(phrase: str) -> None:
    lexer.clear_shapes()
    got = [(x.type, x.start_pos, x.end_pos, x.data, str(x)) for x in lexer.tokenize(phrase)]
    assert got == _fresh(phrase)


def test_a_month_read_as_a_word_is_not_shared() -> None:
    """«по мере …» keeps the words after it as its text, a month too: that shape is each month's own."""
    lexer.clear_shapes()
    for phrase in ("по мере мая", "по мере июня 2024", "до мая 2024", "при мере сентябрьский"):
        got = [(x.type, x.start_pos, x.end_pos, x.data, str(x)) for x in lexer.tokenize(phrase)]
        assert got == _fresh(phrase), phrase
    assert lexer.tokenize("по мере июня")[0].data == "по мере июня"


def test_the_passes_spell_out_no_month_word() -> None:
    """A plain month must be one the passes test only by its kind (see `lexer._plain_months`)."""
    source = Path(lexer.__file__).read_text(encoding="utf-8")
    spelt = {word.lower() for word in re.findall(r'"([^\W\d_]+)"', source)}
    assert not spelt & set(lexer._PLAIN_MONTHS)
    assert len(lexer._PLAIN_MONTHS) > 200


def test_fast_constructors_build_equal_values() -> None:
    start, end = date(2024, 3, 1), date(2024, 3, 31)
    interval = make_interval(start, end, Precision.MONTH, "март 2024")
    assert interval == Interval(start, end, Precision.MONTH, "март 2024", False)
    assert hash(interval) == hash(Interval(start, end, Precision.MONTH, "март 2024", False))
    deadline = make_deadline("март 2024", (interval,), None, (), None, (), True)
    assert deadline == Deadline("март 2024", (interval,), None, (), None, (), True)
