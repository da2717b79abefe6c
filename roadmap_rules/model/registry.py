"""The registry: organisations, people and who is assigned to whom.

Cross-level rules need facts that no single roadmap holds: which schools are
supported, who mentors and curates them, which documents a school has written.
A region keeps them in one or more registry files.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Literal

from pydantic import ConfigDict, Field

from roadmap_rules.model.common import Act, Id, Strict


class OrgType(StrEnum):
    REGION = "region"
    MUNICIPALITY = "municipality"
    AUTHORITY = "authority"
    CENTRE = "centre"
    SCHOOL = "school"
    OTHER = "other"


class SchoolStatus(StrEnum):
    """Status of a school on the regional list; «leader» is a high-results school."""

    SHNOR = "ШНОР"
    SHNSU = "ШНСУ"
    SHFNSU = "ШФНСУ"
    SHPRO = "ШПРО"
    SHNRO = "ШНРО"
    LEADER = "leader"


SUPPORTED_STATUSES = frozenset({"ШНОР", "ШНСУ", "ШФНСУ", "ШПРО", "ШНРО"})


class Organisation(Strict):
    model_config = ConfigDict(title="Организация")

    id: Id
    name: str = Field(title="Наименование", description="Полное наименование, как в документах.")
    type: OrgType = Field(
        title="Тип",
        description="region, municipality, authority (орган управления образованием), "
        "centre (методический центр), school, other.",
    )
    short: str | None = Field(None, title="Краткое наименование", description="«КО», «ЦМРО», «МБОУ «СШ № 5»».")
    aliases: list[str] = Field(
        default_factory=list, title="Другие написания", description="Как ещё организацию называют в планах."
    )
    parent: str | None = Field(
        None, title="Входит в", description="Идентификатор муниципалитета (для школы) или региона (для муниципалитета)."
    )
    status: list[SchoolStatus] = Field(
        default_factory=list, title="Статус школы", description="ШНОР, ШНСУ, ШФНСУ, ШПРО, ШНРО или leader."
    )
    listed: Act | None = Field(None, title="Включена в перечень", description="Акт, которым школа включена в перечень.")


class Role(StrEnum):
    CURATOR = "curator"
    MUNICIPAL_COORDINATOR = "municipal_coordinator"
    REGIONAL_EXPERT = "regional_expert"
    WORKING_GROUP = "working_group"
    HEAD = "head"
    OTHER = "other"


class Person(Strict):
    model_config = ConfigDict(title="Человек")

    id: Id
    name: str = Field(title="ФИО", description="Как пишут в планах: «Васильева Т.Д.».")
    position: str | None = Field(None, title="Должность")
    organisation: str | None = Field(None, title="Организация", description="Идентификатор организации.")
    roles: list[Role] = Field(default_factory=list, title="Роли")
    aliases: list[str] = Field(default_factory=list, title="Другие написания")


class Mentorship(Strict):
    """A supported school paired with a mentor (наставник, партнёр, лидер) by an act."""

    model_config = ConfigDict(title="Закрепление школы-наставника")

    school: str = Field(title="Школа", description="Идентификатор поддерживаемой школы.")
    mentor: str = Field(title="Школа-наставник", description="Идентификатор школы-наставника.")
    act: Act | None = Field(None, title="Акт о закреплении")


class Curatorship(Strict):
    model_config = ConfigDict(title="Закрепление куратора")

    school: str = Field(title="Школа")
    curator: str = Field(title="Куратор", description="Идентификатор человека.")
    act: Act | None = Field(None, title="Акт о назначении")


class Coordination(Strict):
    model_config = ConfigDict(title="Муниципальный координатор")

    municipality: str = Field(title="Муниципалитет")
    coordinator: str = Field(title="Координатор", description="Идентификатор человека.")
    act: Act | None = Field(None, title="Акт о назначении")


class DocumentKind(StrEnum):
    CONCEPT = "concept"
    MIDTERM_PROGRAMME = "midterm_programme"
    ANTIRISK_PROGRAMME = "antirisk_programme"
    SELF_DIAGNOSIS = "self_diagnosis"


class ExpertiseOutcome(StrEnum):
    ACCEPTED = "accepted"
    REVISION = "revision"
    PENDING = "pending"


class SchoolDocument(Strict):
    """A school's development document of the «500+» cycle and its dates."""

    model_config = ConfigDict(title="Документ школы")

    id: Id
    school: str = Field(title="Школа")
    kind: DocumentKind = Field(
        title="Вид документа",
        description="concept — концепция развития, midterm_programme — среднесрочная программа, "
        "antirisk_programme — антирисковая программа, self_diagnosis — самодиагностика.",
    )
    title: str | None = Field(None, title="Название")
    risks: list[int | str] = Field(
        default_factory=list,
        title="Факторы риска",
        description="Номера (1–10) или названия факторов риска из рискового профиля «500+».",
    )
    drafted: dt.date | None = Field(None, title="Разработан")
    submitted: dt.date | None = Field(None, title="Направлен на экспертизу")
    expertise_deadline: dt.date | None = Field(None, title="Срок экспертизы")
    expertise_done: dt.date | None = Field(None, title="Экспертиза проведена")
    expertise_outcome: ExpertiseOutcome | None = Field(None, title="Итог экспертизы")
    approved: dt.date | None = Field(None, title="Утверждён приказом директора")
    published: dt.date | None = Field(None, title="Размещён на сайте")
    based_on: list[str] = Field(
        default_factory=list, title="Основан на", description="Идентификаторы документов-оснований."
    )


class Registry(Strict):
    model_config = ConfigDict(
        title="Реестр",
        json_schema_extra={"description": "Организации, люди, закрепления и документы школ."},
    )

    kind: Literal["registry"] = Field(title="Вид файла", description="Всегда «registry».")
    id: Id | None = None
    title: str | None = Field(None, title="Название")
    organisations: list[Organisation] = Field(default_factory=list, title="Организации")
    people: list[Person] = Field(default_factory=list, title="Люди")
    mentors: list[Mentorship] = Field(default_factory=list, title="Школы-наставники")
    curators: list[Curatorship] = Field(default_factory=list, title="Кураторы")
    coordinators: list[Coordination] = Field(default_factory=list, title="Муниципальные координаторы")
    documents: list[SchoolDocument] = Field(default_factory=list, title="Документы школ")
    note: str | None = Field(None, title="Примечание")
