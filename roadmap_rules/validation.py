"""Turn loaded data into a model, or into findings at the right keys.

pydantic reports a `loc` path; walking the *data* along it gives the JSON
pointer (tokens that are not in the data are union branch tags, skipped), and
walking the *model* along it gives the allowed keys for "did you mean".
"""

from __future__ import annotations

import copy
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, ValidationError

from roadmap_rules.diagnostics import Finding, Message, did_you_mean
from roadmap_rules.loading.source import SourceDocument, child
from roadmap_rules.model import FILE_KINDS, Registry, Roadmap

Model = Roadmap | Registry

_TYPE_NAMES = {
    "string": ("строка", "a string"),
    "int": ("целое число", "an integer"),
    "float": ("число", "a number"),
    "bool": ("да/нет (true/false)", "true/false"),
    "date": ("дата ГГГГ-ММ-ДД", "a date YYYY-MM-DD"),
    "list": ("список", "a list"),
    "dict": ("словарь (набор ключей)", "a mapping"),
    "model": ("словарь (набор ключей)", "a mapping"),
    "literal": ("одно из допустимых значений", "one of the allowed values"),
    "enum": ("одно из допустимых значений", "one of the allowed values"),
}


def validate(doc: SourceDocument) -> tuple[Model | None, list[Finding]]:
    data = doc.data
    if data is None:
        return None, []
    if not isinstance(data, dict):
        return None, [
            Finding(
                "S001",
                Message("Файл должен быть словарём с ключом «kind»", "A file must be a mapping with a 'kind' key"),
                doc.path,
            )
        ]
    kind = data.get("kind")
    if kind not in FILE_KINDS:
        if kind is None:
            message = Message(
                "Не задан вид файла: добавьте «kind: roadmap» или «kind: registry»",
                "Missing file kind: add 'kind: roadmap' or 'kind: registry'",
            )
            return None, [Finding("S002", message, doc.path, "")]
        message = Message(f"Неизвестный вид файла «{kind}»", f"Unknown file kind '{kind}'")
        return None, [
            Finding("S004", message, doc.path, "/kind", hint=did_you_mean(str(kind), FILE_KINDS, quoted=True))
        ]
    model_cls = FILE_KINDS[kind]
    try:
        return model_cls.model_validate(data), []
    except ValidationError as error:
        errors = error.errors(include_url=False)
        return _salvage(model_cls, data, errors), list(_findings(doc, model_cls, errors))


def revalidate(data: dict[str, Any]) -> Model:
    """The model of data that `validate` once took without a problem (the same model, built again)."""
    return FILE_KINDS[data["kind"]].model_validate(data)


def _salvage(model_cls: type[Roadmap] | type[Registry], data: Any, errors: list[Any]) -> Model | None:
    """The model of what is valid: drop each part an error names and validate again.

    One misspelt key must not hide the rest of a plan from the deadline checks,
    the graph and the rules; its own finding is already reported. A file whose
    root is at fault (a roadmap with no id) yields no model.
    """
    current = copy.deepcopy(data)
    for _ in range(5):
        doomed: set[tuple[Any, ...]] = set()
        for err in errors:
            tokens, _ = _walk(current, err["loc"])
            if not tokens:
                return None
            doomed.add(tuple(tokens))
        # Drop a path only once its ancestors stay; delete list items from the back.
        lone = [p for p in doomed if not any(p[:i] in doomed for i in range(1, len(p)))]
        for path in sorted(lone, key=lambda p: [(isinstance(t, str), t) for t in p], reverse=True):
            parent = current
            for token in path[:-1]:
                parent = parent[token]
            del parent[path[-1]]
        try:
            return model_cls.model_validate(current)
        except ValidationError as error:
            errors = error.errors(include_url=False)
    return None


def _findings(doc: SourceDocument, model_cls: type[BaseModel], errors: Iterable[Any]) -> Iterable[Finding]:
    by_pointer: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for err in errors:
        pointer, rest = _pointer(doc.data, err["loc"])
        key = "missing" if err["type"] == "missing" else "extra" if err["type"] == "extra_forbidden" else "value"
        by_pointer.setdefault((pointer + ("/" + str(rest[-1]) if key == "missing" and rest else ""), key), []).append(
            {**err, "rest": rest}
        )
    for (pointer, key), group in by_pointer.items():
        err = group[0]
        if key == "missing":
            field = str(err["rest"][-1]) if err["rest"] else "?"
            yield Finding(
                "S002",
                Message(f"Не задано обязательное поле «{field}»", f"Required key '{field}' is missing"),
                doc.path,
                pointer.rsplit("/", 1)[0],
            )
        elif key == "extra":
            name = pointer.rsplit("/", 1)[-1]
            allowed = _allowed_keys(model_cls, err["loc"][:-1])
            yield Finding(
                "S003",
                Message(f"Неизвестный ключ «{name}»", f"Unknown key '{name}'"),
                doc.path,
                pointer,
                hint=did_you_mean(name, allowed, quoted=True),
                on_key=True,
            )
        else:
            yield _value_finding(doc, pointer, group)


def _value_finding(doc: SourceDocument, pointer: str, group: list[dict[str, Any]]) -> Finding:
    err = group[0]
    value = err.get("input")
    shown = value if isinstance(value, str | int | float | bool) or value is None else type(value).__name__
    ctx = err.get("ctx") or {}
    if err["type"] in {"literal_error", "enum"}:
        expected = str(ctx.get("expected", ""))
        return Finding(
            "S001",
            Message(
                f"Недопустимое значение «{shown}»; допустимо: {expected}",
                f"Invalid value '{shown}'; expected {expected}",
            ),
            doc.path,
            pointer,
            hint=did_you_mean(
                str(value), [e.strip(" '") for e in expected.replace(" or ", ",").split(",")], quoted=True
            ),
        )
    if err["type"] == "string_pattern_mismatch":
        return Finding(
            "S001",
            Message(
                f"«{shown}» не годится как идентификатор: только буквы, цифры, «-», «_», «.»",
                f"'{shown}' is not a valid id: letters, digits, '-', '_', '.' only",
            ),
            doc.path,
            pointer,
        )
    wanted_ru, wanted_en = [], []
    for item in group:
        ru, en = _TYPE_NAMES.get(item["type"].split("_")[0], (item["msg"], item["msg"]))
        if ru not in wanted_ru:
            wanted_ru.append(ru)
            wanted_en.append(en)
    hint = None
    if isinstance(value, int | float) and not isinstance(value, bool) and "строка" in wanted_ru:
        hint = Message(
            'YAML прочитал это как число; возьмите значение в кавычки, например "1.10"',
            'YAML read this as a number; quote it, e.g. "1.10"',
        )
    return Finding(
        "S001",
        Message(
            f"Неверное значение «{shown}»: ожидается {' или '.join(wanted_ru)}",
            f"Invalid value '{shown}': expected {' or '.join(wanted_en)}",
        ),
        doc.path,
        pointer,
        hint=hint,
    )


def _walk(data: Any, loc: tuple[Any, ...]) -> tuple[list[Any], list[Any]]:
    """Follow `loc` through the data: the tokens found there, and the rest (union tags, missing keys)."""
    node = data
    found: list[Any] = []
    rest: list[Any] = []
    for token in loc:
        in_dict = isinstance(node, dict) and token in node
        if in_dict or (isinstance(node, list) and isinstance(token, int) and 0 <= token < len(node)):
            found.append(token)
            node = node[token]
        else:
            rest.append(token)
    return found, rest


def _pointer(data: Any, loc: tuple[Any, ...]) -> tuple[str, list[Any]]:
    """The JSON pointer that `loc` reaches in the data, and the unmatched rest."""
    found, rest = _walk(data, loc)
    pointer = ""
    for token in found:
        pointer = child(pointer, token)
    return pointer, rest


def _allowed_keys(model_cls: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    annotation: Any = model_cls
    for token in loc:
        annotation = _step(annotation, token)
        if annotation is None:
            return []
    model = _as_model(annotation)
    return list(model.model_fields) if model else []


def _step(annotation: Any, token: Any) -> Any:
    model = _as_model(annotation)
    if model is not None and isinstance(token, str):
        field = model.model_fields.get(token)
        return field.annotation if field else None
    for arg in _union_args(annotation):
        origin = typing.get_origin(arg)
        if origin is list and isinstance(token, int):
            return typing.get_args(arg)[0]
        if origin is dict and isinstance(token, str):
            return typing.get_args(arg)[1]
    return annotation  # a union branch tag: stay where we are


def _as_model(annotation: Any) -> type[BaseModel] | None:
    for arg in _union_args(annotation):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
    return None


def _union_args(annotation: Any) -> tuple[Any, ...]:
    if typing.get_origin(annotation) is typing.Annotated:
        annotation = typing.get_args(annotation)[0]
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return tuple(a for a in typing.get_args(annotation) if a is not type(None))
    return (annotation,)
