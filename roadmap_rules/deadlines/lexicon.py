"""Word tables for the deadline tokenizer.

Russian inflects month names and calendar nouns, so every form a roadmap might
use is listed once here (generated from stems and endings) and looked up in a
dict: one hash lookup per word keeps tokenizing fast. Keys are lower case, with
"ё" folded to "е" and no trailing dot.
"""

from __future__ import annotations

from typing import Final

# Endings of the nouns "январь" (soft stem) and "март" (hard stem) in all six cases.
_SOFT = ("ь", "я", "е", "ю", "ем", "и")
_HARD = ("", "а", "е", "у", "ом")

_MONTH_STEMS: Final = (
    ("январ", _SOFT, ("янв",)),
    ("феврал", _SOFT, ("фев", "февр")),
    ("март", _HARD, ("мар",)),
    ("апрел", _SOFT, ("апр",)),
    ("ма", ("й", "я", "е", "ю", "ем"), ()),
    ("июн", _SOFT, ("июн",)),
    ("июл", _SOFT, ("июл",)),
    ("август", _HARD, ("авг",)),
    ("сентябр", _SOFT, ("сен", "сент", "сентяб")),
    ("октябр", _SOFT, ("окт",)),
    ("ноябр", _SOFT, ("ноя", "нояб")),
    ("декабр", _SOFT, ("дек",)),
)


def _month_forms() -> dict[str, int]:
    forms: dict[str, int] = {}
    for number, (stem, endings, abbreviations) in enumerate(_MONTH_STEMS, start=1):
        for ending in endings:
            forms[stem + ending] = number
        for abbreviation in abbreviations:
            forms[abbreviation] = number
    return forms


MONTHS: Final[dict[str, int]] = _month_forms()

# Adjectives of month names name the month: "августовское совещание", "майские праздники".
_MONTH_ADJECTIVE_STEMS: Final = (
    "январск", "февральск", "мартовск", "апрельск", "майск", "июньск",
    "июльск", "августовск", "сентябрьск", "октябрьск", "ноябрьск", "декабрьск",
)  # fmt: skip

MONTH_NOMINATIVE: Final = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
MONTH_GENITIVE: Final = (
    "января", "февраля", "марта", "апреля", "мая", "июня",
    "июля", "августа", "сентября", "октября", "ноября", "декабря",
)  # fmt: skip
MONTH_ENGLISH: Final = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)  # fmt: skip


def _forms(stem: str, endings: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(stem + e for e in endings)


_ADJ = ("ый", "ий", "ой", "ого", "его", "ом", "ем", "ому", "ему", "ым", "им", "ое", "ее", "ая",
        "ую", "ые", "ых", "ыми", "ей")  # fmt: skip

MONTH_ADJECTIVES: Final[dict[str, int]] = {
    stem + ending: number for number, stem in enumerate(_MONTH_ADJECTIVE_STEMS, start=1) for ending in _ADJ
}

YEAR_WORDS: Final = frozenset(("г", "гг", "год", "года", "году", "годе", "годом", "годы", "годов", "годах", "годам"))
SCHOOL_WORDS: Final = frozenset((*_forms("учебн", _ADJ), "уч", "учеб", "учебн"))
QUARTER_WORDS: Final = frozenset((*_forms("квартал", _HARD), "кв", "квартала", "кварталы"))
HALF_WORDS: Final = frozenset(_forms("полугоди", ("е", "я", "и", "ю", "ем", "й")))

# Units a recurrence or a relative duration can count in: word -> unit name.
UNITS: Final[dict[str, str]] = {
    **dict.fromkeys(_forms("месяц", ("", "а", "е", "у", "ем", "ы", "ев", "ах", "ам")), "month"),
    **dict.fromkeys((*_forms("недел", ("я", "и", "е", "ю", "ей", "ь", "ям", "ях")), "нед"), "week"),
    **dict.fromkeys(("день", "дня", "дню", "днем", "дни", "дней", "днях", "дням", "сутки", "суток"), "day"),
    **dict.fromkeys((*_forms("четверт", ("ь", "и", "ью", "ей", "ям")), "четв"), "term"),
    **dict.fromkeys((*_forms("триместр", (*_HARD, "ы", "ов", "ам")), "трим"), "trimester"),
    **dict.fromkeys(_forms("семестр", _HARD), "half_year"),
    # "каждую пятницу": a weekday repeats weekly.
    **dict.fromkeys(
        (
            "понедельник",
            "вторник",
            "среду",
            "среда",
            "четверг",
            "пятницу",
            "пятница",
            "субботу",
            "суббота",
            "воскресенье",
        ),
        "week",
    ),
}
# School terms ("I четверть", "II триместр") are also calendar points when numbered.
TERM_UNITS: Final = frozenset(("term", "trimester"))
# "по пятницам": weekly on that day.
WEEKDAYS_PLURAL: Final = frozenset(("понедельникам", "вторникам", "средам", "четвергам", "пятницам", "субботам",
                                    "воскресеньям"))  # fmt: skip
# Cardinal numerals a count can be written in: "два раза в год", "не реже одного раза в месяц".
NUMERALS: Final[dict[str, int]] = {
    **dict.fromkeys(("один", "одна", "одного", "одной", "одну"), 1),
    **dict.fromkeys(("два", "две", "двух"), 2),
    **dict.fromkeys(("три", "трех"), 3),
    **dict.fromkeys(("четыре", "четырех"), 4),
    **dict.fromkeys(("пять", "пяти"), 5),
    **dict.fromkeys(("шесть", "шести"), 6),
}

ORDINALS: Final[dict[str, int]] = {
    **dict.fromkeys(_forms("перв", _ADJ), 1),
    **dict.fromkeys(_forms("втор", _ADJ), 2),
    "третий": 3,
    **dict.fromkeys(_forms("треть", ("его", "ем", "ему", "е", "я", "ю", "ей", "им")), 3),
    **dict.fromkeys(_forms("четверт", _ADJ), 4),
    # Roman numerals (Latin letters; the tokenizer folds Cyrillic І/Ⅰ to Latin i).
    "i": 1,
    "ii": 2,
    "iii": 3,
    "iv": 4,
}
# "четверти" is both a unit (school term) and an ordinal-looking form; the unit wins.
for _w in UNITS:
    ORDINALS.pop(_w, None)

# Single words that name a repetition.
RECURRING: Final[dict[str, str]] = {
    "ежедневно": "daily",
    "еженедельно": "weekly",
    "ежемесячно": "monthly",
    "ежеквартально": "quarterly",
    "ежегодно": "annually",
    "ежечетвертно": "termly",
    "ежеполугодно": "semiannually",
}
EVERY_WORDS: Final = frozenset(_forms("кажд", _ADJ))
TIMES_WORDS: Final = frozenset(("раз", "раза"))
COUNT_WORDS: Final[dict[str, int]] = {"однажды": 1, "дважды": 2, "трижды": 3}

# Frequencies by unit: (count of one or none, several per unit).
FREQUENCY_BY_UNIT: Final[dict[str, tuple[str, str]]] = {
    "day": ("daily", "times_per_day"),
    "week": ("weekly", "times_per_week"),
    "month": ("monthly", "times_per_month"),
    "quarter": ("quarterly", "times_per_quarter"),
    "half_year": ("semiannually", "times_per_half_year"),
    "year": ("annually", "times_per_year"),
    "term": ("termly", "times_per_term"),
    "trimester": ("termly", "times_per_term"),
}

# "раз в N единиц" as a count per a larger unit: (unit, N) -> (unit, times per it).
EVERY_N_UNITS: Final[dict[tuple[str, int], tuple[str, int]]] = {
    ("day", 7): ("week", 1),
    ("week", 2): ("month", 2),
    ("week", 4): ("month", 1),
    ("month", 2): ("year", 6),
    ("month", 3): ("quarter", 1),
    ("month", 4): ("year", 3),
    ("month", 6): ("half_year", 1),
}

# Calendars a deadline can defer to: any case form -> lemma.
CALENDARS: Final[dict[str, str]] = {
    **dict.fromkeys(_forms("график", _HARD), "график"),
    **dict.fromkeys(("графики", "графиков", "графикам"), "график"),
    **dict.fromkeys(_forms("план", _HARD), "план"),
    **dict.fromkeys(_forms("расписани", ("е", "я", "ю", "ем", "и")), "расписание"),
    **dict.fromkeys(_forms("календар", _SOFT), "календарь"),
    **dict.fromkeys(_forms("циклограмм", ("а", "ы", "е", "у", "ой")), "циклограмма"),
    **dict.fromkeys(("сроки", "срокам", "сроков"), "сроки"),
    **dict.fromkeys(_forms("приказ", _HARD), "приказ"),
}
# Words that open a calendar's qualifier without naming it: "по графику, утвержденному ИРО".
QUALIFIER_PARTICIPLES: Final = ("утвержд", "установлен", "определен", "согласован", "предусмотрен")
# The dative a normalised rendering needs after "по": "по графику".
CALENDAR_DATIVE: Final[dict[str, str]] = {
    "график": "графику",
    "план": "плану",
    "расписание": "расписанию",
    "календарь": "календарю",
    "циклограмма": "циклограмме",
    "сроки": "срокам",
    "план-график": "плану-графику",
    "приказ": "приказу",
}

# Single words that are vague on their own.
VAGUE_WORDS: Final = frozenset(("постоянно", "регулярно", "систематически", "периодически", "ситуативно", "оперативно"))
# Second words after "по" / "при" that make a vague phrase ("по необходимости").
VAGUE_AFTER_PO: Final = frozenset(("необходимости", "потребности", "запросу", "запросам", "требованию", "возможности"))

# Words that tie a deadline to an event rather than a date. "по итогам I четверти" reads
# the named unit (AFTER); "после проведения ВПР", "с момента утверждения" name an event
# the reader cannot date (the phrase is relative).
AFTER_PAIRS: Final = frozenset(
    (("по", "итогам"), ("по", "результатам"), ("по", "окончании"), ("по", "завершении"), ("после", "окончания"),
     ("после", "завершения"), ("по", "истечении"), ("после", "окончании"))
)  # fmt: skip
AFTER_WORDS: Final = frozenset(("после",))
RELATIVE_PAIRS: Final = frozenset(
    (("с", "момента"), ("со", "дня"), ("с", "даты"), ("по", "факту"), ("следующего", "за"), ("следующей", "за"),
     ("следующем", "за"), ("следующий", "за"), ("за", "отчетным"), ("по", "прошествии"), ("в", "день"))
)  # fmt: skip
RELATIVE_WORDS: Final = frozenset(("через", *_forms("дневн", _ADJ), *_forms("недельн", _ADJ), *_forms("месячн", _ADJ)))
# "до начала учебного года", "к началу 2025 года": until the unit begins.
START_WORDS: Final = frozenset(("начала", "началу", "начало"))
# The months a school year's lessons begin and end in.
SCHOOL_EDGES: Final[dict[str, int]] = {
    **dict.fromkeys(("начало", "начала", "начале"), 9),
    **dict.fromkeys(("конец", "конца", "конце", "концу", "окончания", "окончанию", "завершения"), 5),
}
# Day of month: "до 25 числа каждого месяца".
DAY_OF_MONTH_WORDS: Final = frozenset(("числа", "число", "числу"))
# Seasons and school holidays as months: adjective stem -> (season months, holiday months).
SEASONS: Final[dict[str, tuple[tuple[int, int] | None, tuple[int, int]]]] = {
    "летн": ((6, 8), (6, 8)),
    "осенн": ((9, 11), (10, 11)),
    "весенн": ((3, 5), (3, 4)),
    "зимн": (None, (1, 1)),
}
_SOFT_ADJ: Final = ("ий", "его", "ему", "им", "ем", "яя", "ей", "юю", "ее", "ие", "их", "ими")
SEASON_ADJECTIVES: Final[dict[str, str]] = {stem + ending: stem for stem in SEASONS for ending in _SOFT_ADJ}
HOLIDAY_WORDS: Final = frozenset(_forms("каникул", ("", "ы", "ах", "ам", "ами")))
SEASON_NOUNS: Final = frozenset(("период", "периода", "периоде", "время", "времени"))
# Holidays with no season: a reader knows they are holidays, not when.
VAGUE_HOLIDAY: Final = frozenset((*HOLIDAY_WORDS, *_forms("каникулярн", _ADJ)))

# Words that only decorate a following date: "в марте", "на 2024 год", "конец мая".
FILLERS: Final = frozenset(
    ("в", "во", "на", "за", "около", "примерно", "ориентировочно", "не", "начало", "начала",
     "начале", "конец", "конца", "конце", "концу", "середина", "середины", "середине", "течение",
     "течении", "период", "периода", "срок", "срока", "весь", "всего", "вся", "всей", "все",
     "позднее", "позже"),
)  # fmt: skip
