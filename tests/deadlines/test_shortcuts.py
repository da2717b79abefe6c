"""shortcuts.read gives exactly what the grammar and the general reader give, where it answers."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from roadmap_rules.deadlines import Deadline, DeadlineContext, lexicon, shortcuts
from roadmap_rules.deadlines.lexer import tokenize_typed
from roadmap_rules.deadlines.parser import parse_phrase
from roadmap_rules.deadlines.semantics import interpret

SETTINGS = settings(max_examples=300, derandomize=True, deadline=None)
FIXTURE = yaml.safe_load(Path(__file__).with_name("phrases.yaml").read_text(encoding="utf-8"))
CONTEXTS = [
    DeadlineContext(date(2024, 1, 1), date(2024, 12, 31), date(2023, 12, 29)),
    DeadlineContext(date(2024, 9, 1), date(2025, 8, 31), date(2024, 9, 5)),
    DeadlineContext(date(2025, 8, 31), date(2024, 9, 1)),  # a period that runs backwards is no period
    DeadlineContext(None, None, date(2024, 3, 1)),
    DeadlineContext(),
]


def _general(phrase: str, context: DeadlineContext) -> Deadline:
    return interpret(phrase, parse_phrase(phrase), context)


def _shortcut(phrase: str, context: DeadlineContext) -> Deadline | None:
    lexemes, types = tokenize_typed(phrase)
    return shortcuts.read(phrase, lexemes, types, context)


def _same(phrase: str, context: DeadlineContext) -> bool:
    """True when the shortcut answered (and then it must agree with the general path)."""
    fast = _shortcut(phrase, context)
    if fast is None:
        return False
    general = _general(phrase, context)
    assert fast == general, phrase
    assert repr(fast) == repr(general), phrase
    return True


@pytest.mark.parametrize("context", CONTEXTS, ids=repr)
def test_fixture_phrases(context: DeadlineContext) -> None:
    phrases = sorted({case["phrase"] for case in FIXTURE["cases"]})
    assert sum(_same(phrase, context) for phrase in phrases) > 20


def _piece(kind: str, draw: st.DrawFn, after_num: bool) -> str:
    """A written form of one terminal of the shortcut forms, with drawn values."""
    d, m, y = draw(st.integers(0, 32)), draw(st.integers(1, 12)), draw(st.integers(2018, 2028))
    if kind == "DATE":
        m = draw(st.sampled_from([m, 0, 13]))
        text = draw(st.sampled_from([f"{d:02d}.{m:02d}.{y}", f"{d}.{m}.{y}", f"{d:02d}.{m:02d}.{y % 100:02d}"]))
        return text + draw(st.sampled_from(["", " г.", "г.", " года"]))
    if kind == "NUM":
        return draw(st.sampled_from([f"{d}", f"{d:02d}", f"«{d:02d}»"]))
    if kind == "MONTH":
        if after_num:
            return lexicon.MONTH_GENITIVE[m - 1]
        return draw(st.sampled_from(["", "в "])) + draw(st.sampled_from([str.lower, str.capitalize]))(
            lexicon.MONTH_NOMINATIVE[m - 1]
        )
    if kind == "YEAR":
        return f"{y}" + draw(st.sampled_from(["", " г.", "г.", " года", " год"]))
    if kind == "DASH":
        return draw(st.sampled_from(["-", "–", "—"]))
    words = {
        "UNTIL": ["до", "не позднее", "До", "к"],
        "FROM": ["с", "С"],
        "PO": ["по"],
        "TEXT": ["в срок", "Срок:", "мониторинг", "Отчёт -"],
    }
    return draw(st.sampled_from(words[kind]))


@st.composite
def _form_phrases(draw: st.DrawFn, types: tuple[str, ...]) -> str:
    pieces = [_piece(kind, draw, i > 0 and types[i - 1] == "NUM") for i, kind in enumerate(types)]
    return " ".join(pieces)


FORMS = sorted(shortcuts._FORMS)


@SETTINGS
@given(st.data(), st.sampled_from(FORMS), st.sampled_from(CONTEXTS))
def test_generated_phrases_of_every_form(data: st.DataObject, types: tuple[str, ...], context: DeadlineContext) -> None:
    phrase = data.draw(_form_phrases(types))
    _same(phrase, context)


@pytest.mark.parametrize("types", FORMS, ids=" ".join)
def test_every_form_is_reached_and_agrees(types: tuple[str, ...]) -> None:
    """Each listed sequence really comes out of the lexer, and the shortcut answers for it."""
    answered = 0
    for seed in range(25):
        phrase = _sample(types, seed)
        if tokenize_typed(phrase)[1] != types:
            continue
        answered += sum(_same(phrase, context) for context in CONTEXTS)
    assert answered > 0


def _sample(types: tuple[str, ...], seed: int) -> str:
    """A phrase of the form `types` with values that vary with `seed`."""
    samples = {
        "DATE": f"{seed % 28 + 1:02d}.{seed % 12 + 1:02d}.{2020 + seed % 7}" + ("" if seed % 2 else " г."),
        "NUM": f"{seed % 28 + 1}",
        "YEAR": f"{2020 + seed % 7}" + (" года" if seed % 3 else ""),
        "UNTIL": "до" if seed % 2 else "не позднее",
        "FROM": "с",
        "PO": "по",
        "DASH": "–" if seed % 2 else "-",
        "TEXT": "в срок" if seed % 2 else "мониторинг",
    }
    pieces = []
    for i, kind in enumerate(types):
        if kind == "MONTH":
            after_num = i > 0 and types[i - 1] == "NUM"
            month = (seed + 5 * i) % 12
            pieces.append((lexicon.MONTH_GENITIVE if after_num else lexicon.MONTH_NOMINATIVE)[month])
        else:
            pieces.append(samples[kind])
    return " ".join(pieces)
