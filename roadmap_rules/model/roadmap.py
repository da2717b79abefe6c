"""A roadmap (дорожная карта, план мероприятий) at any level, as one YAML file."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field

from roadmap_rules.model.common import Act, Id, Level, Period, Strict, TextList


class MeasureKind(StrEnum):
    """What a measure is, where the plan says so; rules of the «500+» cycle use it."""

    LIST_OF_SCHOOLS = "list_of_schools"
    QUESTIONNAIRE = "questionnaire"
    DIAGNOSTICS = "diagnostics"
    SELF_DIAGNOSIS = "self_diagnosis"
    ANALYSIS = "analysis"
    CONCEPT = "concept"
    PROGRAMME = "programme"
    ANTIRISK_PROGRAMME = "antirisk_programme"
    EXPERTISE = "expertise"
    APPROVAL = "approval"
    REGULATION = "regulation"
    ROADMAP = "roadmap"
    MENTOR_ASSIGNMENT = "mentor_assignment"
    CURATOR_ASSIGNMENT = "curator_assignment"
    COORDINATOR_ASSIGNMENT = "coordinator_assignment"
    MONITORING = "monitoring"
    TRAINING = "training"
    SEMINAR = "seminar"
    MEETING = "meeting"
    CONSULTATION = "consultation"
    NETWORKING = "networking"
    INDIVIDUAL_SUPPORT = "individual_support"
    REPORTING = "reporting"
    OTHER = "other"


class Indicator(Strict):
    """A measurable indicator (показатель): what, from where, to where, by when."""

    model_config = ConfigDict(title="Показатель")

    name: str = Field(title="Показатель", description="Что измеряется, как в документе.")
    baseline: float | str | None = Field(None, title="Базовое значение")
    target: float | str | None = Field(None, title="Целевое значение", description="Например 100 (при unit: «%»).")
    unit: str | None = Field(None, title="Единица измерения", description="«%», «чел.», «ОО».")
    comparison: Literal["at_least", "at_most", "exactly"] | None = Field(
        None, title="Сравнение", description="«не менее» (at_least), «не более» (at_most), ровно (exactly)."
    )
    of: str | None = Field(None, title="От чего доля", description="Совокупность: «ШПРО», «учителей ШНРО», «ОО».")
    date: dt.date | None = Field(None, title="Дата достижения", description="ГГГГ-ММ-ДД.")


class Measure(Strict):
    """One row of the plan: a measure (мероприятие)."""

    model_config = ConfigDict(title="Мероприятие")

    id: Id | None = Field(
        None, description="Идентификатор мероприятия, уникальный в дорожной карте; нужен, чтобы на него ссылаться."
    )
    number: str | None = Field(None, title="№ п/п", description="Номер пункта как в документе: «1.1.», «2.10».")
    title: str | None = Field(None, title="Наименование мероприятия")
    kind: MeasureKind | None = Field(None, title="Вид мероприятия", description="Вид мероприятия, если он ясен.")
    level: Level | None = Field(
        None, title="Уровень управления", description="region, municipality или school, если указан в документе."
    )
    deadline: str | None = Field(
        None, title="Сроки", description="Срок дословно, как в документе: «Январь - февраль 2023г.»."
    )
    responsible: TextList = Field(
        default_factory=list,
        title="Ответственные",
        description="Ответственные: идентификаторы из реестра, названия организаций, должности или ФИО.",
    )
    participants: TextList = Field(default_factory=list, title="Участники")
    problem: str | None = Field(None, title="Выявленная проблема")
    audience: str | None = Field(None, title="Целевая аудитория, описание специфики")
    result: str | None = Field(
        None, title="Планируемый результат", description="Ожидаемый результат или управленческое решение."
    )
    evidence: str | None = Field(
        None, title="Форма предъявления результата", description="Документ, подтверждающий выполнение."
    )
    indicators: list[Indicator] = Field(default_factory=list, title="Показатели выполнения")
    implements: TextList = Field(
        default_factory=list,
        title="Реализует",
        description="Мероприятие вышестоящей дорожной карты: «<id карты>/<id мероприятия>».",
    )
    depends_on: TextList = Field(
        default_factory=list,
        title="Зависит от",
        description="Мероприятия, которые должны быть выполнены раньше: «<id>» или «<id карты>/<id>».",
    )
    school: str | None = Field(
        None, title="Школа", description="Школа, к которой относится мероприятие (идентификатор)."
    )
    columns: dict[str, str] = Field(
        default_factory=dict,
        title="Прочие столбцы",
        description="Столбцы исходной таблицы, которым нет места в формате: заголовок → текст.",
    )
    note: str | None = Field(None, title="Примечание")


class Section(Strict):
    """A heading row of the table that groups measures."""

    model_config = ConfigDict(title="Раздел")

    number: str | None = Field(None, title="Номер раздела")
    title: str | None = Field(None, title="Название раздела")
    note: str | None = Field(
        None, title="Примечание", description="Текст строки раздела, не относящийся к мероприятию."
    )
    measures: list[Measure] = Field(default_factory=list, title="Мероприятия")


class Roadmap(Strict):
    """A roadmap file: header, then sections of measures."""

    model_config = ConfigDict(
        title="Дорожная карта",
        json_schema_extra={
            "description": "Дорожная карта (план мероприятий) регионального, муниципального или школьного уровня."
        },
    )

    kind: Literal["roadmap"] = Field(title="Вид файла", description="Всегда «roadmap».")
    id: Id
    level: Level = Field(title="Уровень", description="region — регион, municipality — муниципалитет, school — школа.")
    organisation: str | None = Field(
        None,
        title="Организация",
        description="Чья это карта: идентификатор региона, муниципалитета или школы из реестра.",
    )
    title: str = Field(title="Название", description="Название документа, как в приказе.")
    period: Period | None = Field(None, title="Период действия")
    approval: Act | None = Field(None, title="Утверждение", description="Приказ, которым утверждена карта.")
    implements: str | None = Field(
        None, title="Реализует карту", description="Идентификатор вышестоящей дорожной карты."
    )
    basis: list[Act] = Field(
        default_factory=list, title="Основания", description="Акты, во исполнение которых принят план."
    )
    source: str | None = Field(None, title="Источник", description="Откуда взят текст: файл, ссылка.")
    sections: list[Section] = Field(default_factory=list, title="Разделы")
    note: str | None = Field(None, title="Примечание")

    def measures(self) -> list[tuple[int, int, Measure]]:
        """Every measure with its section and row index, in document order."""
        return [
            (s, m, measure) for s, section in enumerate(self.sections) for m, measure in enumerate(section.measures)
        ]


def approval_date(roadmap: Roadmap) -> dt.date | None:
    return roadmap.approval.date if roadmap.approval else None
