"""Shared pieces of the file format: the strict base model and small value types."""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema


class Strict(BaseModel):
    """Base of every model read from a file: unknown keys are an error, not lost data."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


Id = Annotated[
    str,
    Field(
        pattern=r"^[\w][\w.\-]*$",
        min_length=1,
        title="Идентификатор",
        description="Стабильный идентификатор для ссылок из других файлов: буквы, цифры, «-», «_», «.».",
    ),
]


class Level(StrEnum):
    """Level of management (уровень управления)."""

    REGION = "region"
    MUNICIPALITY = "municipality"
    SCHOOL = "school"


class Period(Strict):
    """Plan period: the first and the last day the plan covers."""

    model_config = ConfigDict(title="Период действия плана")

    start: dt.date = Field(title="Начало периода", description="Первый день периода, ГГГГ-ММ-ДД.")
    end: dt.date = Field(title="Конец периода", description="Последний день периода, ГГГГ-ММ-ДД.")


class Act(Strict):
    """A legal act (приказ, распоряжение) that approves something."""

    model_config = ConfigDict(title="Нормативный акт (приказ, распоряжение)")

    number: str | None = Field(None, title="Номер", description="Номер акта, как в документе: «40-ПА», «226/1-г».")
    date: dt.date | None = Field(None, title="Дата", description="Дата акта, ГГГГ-ММ-ДД.")
    title: str | None = Field(None, title="Название", description="Название акта.")
    authority: str | None = Field(None, title="Кем издан", description="Орган или организация, издавшие акт.")
    signatory: str | None = Field(None, title="Подписал", description="Кто подписал или утвердил: ФИО и должность.")


def _one_or_many(value: object) -> object:
    return [value] if isinstance(value, str) else value


TextList = Annotated[
    list[str],
    BeforeValidator(_one_or_many),
    WithJsonSchema({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
]
"""One string or a list of strings; always a list once loaded."""
