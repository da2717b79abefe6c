"""What an expert objects to in a deadline: codes D001–D008.

Checks look only at a parsed `Deadline` and its context; they know nothing of
files or positions (the engine adds those). One issue per distinct problem:
an interval that ends before approval is not also reported as outside the
period, and a backwards range is reported once, as backwards, because its end
is a guess.
"""

from __future__ import annotations

from datetime import date
from typing import Final

from roadmap_rules.deadlines.model import (
    Deadline,
    DeadlineContext,
    DeadlineIssue,
    Interval,
    Precision,
)
from roadmap_rules.deadlines.render import describe_interval, en_dates, ru_dates
from roadmap_rules.diagnostics import CheckInfo, Message, Severity

DEADLINE_CHECKS: Final[tuple[CheckInfo, ...]] = (
    CheckInfo(
        "D001",
        "deadline-unparseable",
        Severity.WARNING,
        Message("Срок не распознан", "Deadline not understood"),
        Message(
            "Из формулировки срока не удалось извлечь ни даты, ни периодичности, ни ссылки на "
            "внешний график: срок нельзя проверить, а исполнителю неясно, когда отчитываться.",
            "Neither a date, a recurrence nor an external calendar could be read from the "
            "deadline: it cannot be checked, and the party responsible cannot tell when it is due.",
        ),
    ),
    CheckInfo(
        "D002",
        "deadline-vague",
        Severity.WARNING,
        Message("Размытый срок", "Vague deadline"),
        Message(
            "«Постоянно», «по мере необходимости», «в течение года» без указания года, «по плану» "
            "не задают момента, к которому мероприятие должно быть выполнено, и не позволяют "
            "проконтролировать исполнение.",
            '"Постоянно" (continuously), "as needed", "during the year" with no year, "as '
            'planned" set no moment by which the measure is due, so its completion cannot be '
            "monitored.",
        ),
    ),
    CheckInfo(
        "D003",
        "deadline-external-only",
        Severity.INFO,
        Message("Срок задан только внешним графиком", "Deadline given only by an external calendar"),
        Message(
            "Срок отсылает к внешнему графику («по графику ВПР», «в соответствии с расписанием») "
            "без даты: проверить его можно, только сверившись с этим графиком.",
            "The deadline defers to an external calendar (the VPR schedule, a timetable) and "
            "names no date: it can be checked only against that calendar.",
        ),
    ),
    CheckInfo(
        "D004",
        "deadline-backwards",
        Severity.ERROR,
        Message("Диапазон срока идёт в обратном порядке", "Deadline range runs backwards"),
        Message(
            "Начало диапазона позже его конца («ноябрь-октябрь 2024»): это опечатка в месяце или "
            "в годе, и срок нельзя прочитать однозначно.",
            'The start of the range is later than its end ("November-October 2024"): a slip '
            "in a month or a year, and the deadline cannot be read unambiguously.",
        ),
    ),
    CheckInfo(
        "D005",
        "deadline-before-approval",
        Severity.ERROR,
        Message("Срок раньше утверждения плана", "Deadline before the plan's approval"),
        Message(
            "Мероприятие должно было завершиться до того, как план утверждён: либо срок указан с "
            "ошибкой, либо в план перенесено уже прошедшее мероприятие.",
            "The measure was due before the plan was approved: either the date is wrong or a "
            "past measure was copied into the plan.",
        ),
    ),
    CheckInfo(
        "D006",
        "deadline-outside-period",
        Severity.ERROR,
        Message("Срок вне периода плана", "Deadline outside the plan period"),
        Message(
            "Срок целиком лежит за пределами периода, на который утверждён план: мероприятие "
            "не относится к этому плану или год указан неверно.",
            "The deadline lies wholly outside the period the plan covers: the measure belongs "
            "to another plan or the year is wrong.",
        ),
    ),
    CheckInfo(
        "D007",
        "deadline-partly-outside-period",
        Severity.WARNING,
        Message("Срок частично вне периода плана", "Deadline partly outside the plan period"),
        Message(
            "Срок начинается раньше или заканчивается позже периода плана: часть мероприятия "
            "выходит за рамки документа.",
            "The deadline starts before or ends after the plan period: part of the measure falls outside the document.",
        ),
    ),
    CheckInfo(
        "D008",
        "deadline-list-order",
        Severity.WARNING,
        Message("Даты в списке не по порядку", "Dates in a list are out of order"),
        Message(
            "Несколько дат в одной ячейке записаны не в хронологическом порядке: чаще всего это "
            "опечатка в годе («декабрь 2020, февраль 2020, апрель 2021»).",
            "Several dates in one cell are not in chronological order: most often a slip in a "
            'year ("December 2020, February 2020, April 2021").',
        ),
    ),
)

_TOLERANT: Final = frozenset((Precision.YEAR, Precision.SCHOOL_YEAR, Precision.PERIOD))


def _ru(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def _backwards(interval: Interval) -> DeadlineIssue:
    start, end = describe_interval(interval, backwards_end=True)
    return DeadlineIssue(
        "D004",
        Message(
            f"Срок «{interval.text}» идёт в обратном порядке: {start.ru} позже, чем {end.ru}",
            f'Deadline "{interval.text}" runs backwards: {start.en} is later than {end.en}',
        ),
        Message(
            f"Прочитано как {ru_dates(interval)}; проверьте месяцы и год",
            f"Read as {en_dates(interval)}; check the months and the year",
        ),
    )


def _period_words(start: date, end: date) -> tuple[str, str]:
    """The plan period as the messages show it; formatted only for an issue (most deadlines have none)."""
    return f"{_ru(start)}–{_ru(end)}", f"{start.isoformat()} – {end.isoformat()}"


def _period_issues(interval: Interval, ctx: DeadlineContext) -> list[DeadlineIssue]:
    start, end, approved = ctx.period_start, ctx.period_end, ctx.approved
    if (approved is None or interval.end >= approved) and (
        start is None or end is None or start <= interval.start <= interval.end <= end
    ):
        return []  # what almost every interval is: after approval and within the period
    issues: list[DeadlineIssue] = []
    text = interval.text
    if ctx.approved is not None and interval.end < ctx.approved:
        issues.append(
            DeadlineIssue(
                "D005",
                Message(
                    f"Срок «{text}» ({ru_dates(interval)}) заканчивается раньше утверждения "
                    f"плана ({_ru(ctx.approved)})",
                    f'Deadline "{text}" ({en_dates(interval)}) ends before the plan was '
                    f"approved ({ctx.approved.isoformat()})",
                ),
            )
        )
        return issues
    if ctx.period_start is None or ctx.period_end is None:
        return issues
    if interval.end < ctx.period_start or interval.start > ctx.period_end:
        period_ru, period_en = _period_words(ctx.period_start, ctx.period_end)
        issues.append(
            DeadlineIssue(
                "D006",
                Message(
                    f"Срок «{text}» ({ru_dates(interval)}) лежит вне периода плана ({period_ru})",
                    f'Deadline "{text}" ({en_dates(interval)}) lies outside the plan period ({period_en})',
                ),
            )
        )
    elif (interval.start < ctx.period_start or interval.end > ctx.period_end) and (interval.precision not in _TOLERANT):
        # "в течение 2020/21 учебного года" in a plan from December 2020 means the part of
        # that year the plan covers; only finer units are reported as sticking out.
        period_ru, period_en = _period_words(ctx.period_start, ctx.period_end)
        early = interval.start < ctx.period_start
        side_ru = "начинается раньше" if early else "заканчивается позже"
        side_en = "starts before" if early else "ends after"
        issues.append(
            DeadlineIssue(
                "D007",
                Message(
                    f"Срок «{text}» ({ru_dates(interval)}) {side_ru} периода плана ({period_ru})",
                    f'Deadline "{text}" ({en_dates(interval)}) {side_en} the plan period ({period_en})',
                ),
            )
        )
    return issues


def _order_issues(deadline: Deadline) -> list[DeadlineIssue]:
    issues: list[DeadlineIssue] = []
    for before, after in zip(deadline.intervals, deadline.intervals[1:], strict=False):
        if (after.start, after.end) < (before.start, before.end):
            issues.append(
                DeadlineIssue(
                    "D008",
                    Message(
                        f"Даты в списке идут не по порядку: «{after.text}» ({ru_dates(after)}) "
                        f"стоит после «{before.text}» ({ru_dates(before)})",
                        f'Dates in the list are out of order: "{after.text}" '
                        f'({en_dates(after)}) comes after "{before.text}" ({en_dates(before)})',
                    ),
                )
            )
    return issues


def deadline_issues(deadline: Deadline, context: DeadlineContext) -> list[DeadlineIssue]:
    """Issues of one deadline, ordered by code and then by written position."""
    if not deadline.parsed:
        return [
            DeadlineIssue(
                "D001",
                Message(
                    f"Срок «{deadline.phrase.strip()}» не распознан",
                    f'Deadline "{deadline.phrase.strip()}" not understood',
                ),
                Message(
                    "Укажите дату, месяц, квартал или период: «до 15.05.2024», «март 2024»",
                    'Give a date, a month, a quarter or a range: "до 15.05.2024", "март 2024"',
                ),
            )
        ]
    issues: list[DeadlineIssue] = []
    if deadline.vague is not None:
        issues.append(
            DeadlineIssue(
                "D002",
                Message(
                    f"Размытый срок «{deadline.phrase.strip()}»: «{deadline.vague}» не задаёт дату",
                    f'Vague deadline "{deadline.phrase.strip()}": "{deadline.vague}" sets no date',
                ),
                Message(
                    "Укажите месяц или дату выполнения, например «март 2024» или «до 15.05.2024»",
                    'Give a month or a date, e.g. "март 2024" or "до 15.05.2024"',
                ),
            )
        )
    elif (
        deadline.external
        and deadline.recurrence is None
        and all(i.precision is Precision.PERIOD for i in deadline.intervals)
    ):
        names = ", ".join(deadline.external)
        issues.append(
            DeadlineIssue(
                "D003",
                Message(
                    f"Срок «{deadline.phrase.strip()}» задан только внешним графиком ({names})",
                    f'Deadline "{deadline.phrase.strip()}" is given only by an external calendar ({names})',
                ),
                Message(
                    "Если даты графика известны, укажите их (например, месяц проведения ВПР)",
                    "If the calendar's dates are known, give them (e.g. the month of the tests)",
                ),
            )
        )
    for interval in deadline.intervals:
        if interval.backwards:
            issues.append(_backwards(interval))
        elif interval.precision is not Precision.PERIOD:
            issues.extend(_period_issues(interval, context))
    if deadline.recurrence is None and len(deadline.intervals) > 1:
        # The windows of a repetition are a set, not a sequence: "2 раза в год (декабрь, май)".
        issues.extend(_order_issues(deadline))
    if len(issues) < 2:
        return issues
    return sorted(issues, key=lambda issue: _ORDER[issue.code])


_ORDER: Final = {info.code: n for n, info in enumerate(DEADLINE_CHECKS)}
