"""Read one YAML file into plain data plus the position of every key and value.

One pass of PyYAML's C parser composes the node tree; our own walk builds the
data from it (instead of `construct_document`) so that positions cost nothing
extra. The walk is also where hostile input is caught: duplicate keys, alias
bombs, runaway nesting and unsafe tags each become a finding, never a crash.
"""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

import yaml

from roadmap_rules.diagnostics import Finding, Message, RelatedRef, Span
from roadmap_rules.loading import messages as m
from roadmap_rules.loading.fast import IMPLICIT, TreePositions, fast_load, line_column

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
C_LOADER_AVAILABLE = _BaseLoader is not yaml.SafeLoader

_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_STR = "tag:yaml.org,2002:str"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_MERGE = "tag:yaml.org,2002:merge"
_MAP = "tag:yaml.org,2002:map"
_SEQ = "tag:yaml.org,2002:seq"

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
MAX_DEPTH = 64


class _Loader(_BaseLoader):  # type: ignore[misc, valid-type]
    """Safe loader that keeps dates as text: the models parse them, with positions.

    `resolve` is PyYAML's own logic for the implicit scalar tags without its
    path resolvers (which a safe loader never uses): the C parser calls it for
    every scalar, so it is on the hottest path of reading.
    """

    def resolve(self, kind: type[yaml.Node], value: str | None, implicit: tuple[bool, bool]) -> str:
        if kind is yaml.ScalarNode and implicit[0]:
            for tag, regexp in IMPLICIT.get(value[0] if value else "", ()):
                if regexp.match(value):
                    return tag
            return _STR
        return _DEFAULT_TAGS[kind]


_Loader.yaml_implicit_resolvers = IMPLICIT
_DEFAULT_TAGS: dict[type[yaml.Node], str] = {yaml.ScalarNode: _STR, yaml.SequenceNode: _SEQ, yaml.MappingNode: _MAP}


def escape(token: str | int) -> str:
    return str(token).replace("~", "~0").replace("/", "~1")


def child(pointer: str, token: str | int) -> str:
    if token.__class__ is str and "~" not in token and "/" not in token:
        return pointer + "/" + token
    return f"{pointer}/{escape(token)}"


def _span(node: yaml.Node) -> Span:
    start, end = node.start_mark, node.end_mark
    return Span(start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class Positions:
    """Where each JSON pointer of a document is written: its value and its key.

    Spans live in one flat int array, pointers in a dict of indexes into it, so
    results cross process boundaries and sit in the cache cheaply: pickling is
    a join of the pointers and a copy of the array, unpacked on first lookup.
    """

    __slots__ = ("_flat", "_keys", "_packed", "_values")

    def __init__(self) -> None:
        self._flat = array("I")
        self._values: dict[str, int] = {}
        self._keys: dict[str, int] = {}
        self._packed: tuple[str, str, bytes] | None = None

    def add(self, pointer: str, node: yaml.Node, *, key: bool = False) -> None:
        table = self._keys if key else self._values
        if pointer not in table:  # an alias visits its anchor's nodes again: the first place wins
            flat = self._flat
            table[pointer] = len(flat)
            start, end = node.start_mark, node.end_mark
            flat.extend((start.line + 1, start.column + 1, end.line + 1, end.column + 1))

    def pointers(self) -> list[str]:
        self._unpack()
        return list(self._values)

    def has_key(self, pointer: str) -> bool:
        self._unpack()
        return pointer in self._keys

    def value_span(self, pointer: str) -> Span | None:
        self._unpack()
        at = self._values.get(pointer)
        return None if at is None else self._at(at)

    def span(self, pointer: str, *, key: bool = False) -> Span:
        """The span of `pointer` (its key's with `key`), or of its nearest written ancestor.

        A packed table is searched as it is: a file usually needs a handful of
        positions, and unpacking every file of a national corpus costs gigabytes.
        """
        at = self._index(pointer, key=True) if key else None
        while at is None:
            at = self._index(pointer, key=False)
            if at is None:
                if not pointer:
                    return Span(1, 1, 1, 1)
                pointer = pointer.rsplit("/", 1)[0]
        if self._packed is not None:
            flat = array("I")
            flat.frombytes(self._packed[2][4 * at : 4 * at + 16])
            return Span(flat[0], flat[1], flat[2], flat[3])
        return self._at(at)

    def _index(self, pointer: str, *, key: bool) -> int | None:
        if self._packed is not None:
            return _find(self._packed[1] if key else self._packed[0], pointer)
        return (self._keys if key else self._values).get(pointer)

    def _at(self, at: int) -> Span:
        flat = self._flat
        return Span(flat[at], flat[at + 1], flat[at + 2], flat[at + 3])

    def __getstate__(self) -> tuple[str, str, bytes]:
        if self._packed is not None:
            return self._packed
        values = "\x00".join(f"{p}\x01{i}" for p, i in self._values.items())
        keys = "\x00".join(f"{p}\x01{i}" for p, i in self._keys.items())
        return values, keys, self._flat.tobytes()

    def __setstate__(self, state: tuple[str, str, bytes]) -> None:
        self._flat, self._values, self._keys, self._packed = array("I"), {}, {}, state

    def _unpack(self) -> None:
        if self._packed is None:
            return
        values, keys, raw = self._packed
        self._packed = None
        self._flat.frombytes(raw)
        self._values, self._keys = _table(values), _table(keys)


def _find(packed: str, pointer: str) -> int | None:
    """The index stored for `pointer` in a packed table, without unpacking it."""
    needle = pointer + "\x01"
    if packed.startswith(needle):
        start = len(needle)
    else:
        at = packed.find("\x00" + needle)
        if at < 0:
            return None
        start = at + 1 + len(needle)
    end = packed.find("\x00", start)
    return int(packed[start:] if end < 0 else packed[start:end])


def _table(packed: str) -> dict[str, int]:
    if not packed:
        return {}
    return {p: int(i) for p, i in (item.rsplit("\x01", 1) for item in packed.split("\x00"))}


SpanLookup = Positions | TreePositions
"""Positions as the exact path records them, or as the fast path finds them on demand."""


@dataclass(slots=True)
class SourceDocument:
    """A file as read: its text, data (None when unreadable), positions, problems."""

    path: str
    text: str
    digest: str
    data: Any = None
    positions: SpanLookup = field(default_factory=Positions)
    problems: list[Finding] = field(default_factory=list)


class _Walker:
    """Builds Python data from a node tree, recording positions and problems."""

    def __init__(self, path: str, node_budget: int) -> None:
        self.path = path
        self.budget = node_budget
        self.positions = Positions()
        self.problems: list[Finding] = []
        self._constructor = yaml.SafeLoader("")

    def build(self, node: yaml.Node, pointer: str, depth: int) -> Any:
        self.budget -= 1
        if self.budget < 0:
            raise _TooLarge(node)
        if depth > MAX_DEPTH:
            raise _TooDeep(node)
        self.positions.add(pointer, node)
        if node.__class__ is yaml.ScalarNode:
            return node.value if node.tag == _STR else self._scalar(node, pointer)
        if isinstance(node, yaml.SequenceNode):
            self._check_tag(node, pointer, _SEQ)
            return [self.build(item, child(pointer, i), depth + 1) for i, item in enumerate(node.value)]
        assert isinstance(node, yaml.MappingNode)
        self._check_tag(node, pointer, _MAP)
        return self._mapping(node, pointer, depth)

    def _mapping(self, node: yaml.MappingNode, pointer: str, depth: int) -> dict[Any, Any]:
        result: dict[Any, Any] = {}
        first_seen: dict[Any, str] = {}
        for key_node, value_node in self._pairs(node):
            key = (
                self.build(key_node, pointer + "/~key", depth + 1)
                if not isinstance(key_node, yaml.ScalarNode)
                else self._scalar(key_node, pointer)
            )
            if not isinstance(key, str | int | float | bool) and key is not None:
                self.problems.append(self._finding("Y008", m.COMPLEX_KEY, pointer, _span(key_node)))
                continue
            member = child(pointer, key if isinstance(key, str) else str(key))
            if key in result:
                self.problems.append(
                    Finding(
                        "Y002",
                        m.DUPLICATE_KEY.format(key=key),
                        self.path,
                        member,
                        span=_span(key_node),
                        related=(RelatedRef(self.path, first_seen[key], m.FIRST_DEFINED, on_key=True),),
                    )
                )
                continue
            self.positions.add(member, key_node, key=True)
            first_seen[key] = member
            result[key] = self.build(value_node, member, depth + 1)
        return result

    def _pairs(self, node: yaml.MappingNode) -> Iterable[tuple[yaml.Node, yaml.Node]]:
        """Mapping pairs, with `<<` merge keys expanded (explicit keys win)."""
        if not any(key.tag == _MERGE for key, _ in node.value):
            return node.value  # type: ignore[no-any-return]
        return self._merged_pairs(node)

    def _merged_pairs(self, node: yaml.MappingNode) -> Iterator[tuple[yaml.Node, yaml.Node]]:
        merged: list[tuple[yaml.Node, yaml.Node]] = []
        own: list[tuple[yaml.Node, yaml.Node]] = []
        for key_node, value_node in node.value:
            if key_node.tag != _MERGE:
                own.append((key_node, value_node))
                continue
            sources = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
            for source in sources:
                if isinstance(source, yaml.MappingNode):
                    merged.extend(source.value)
        own_keys = {k.value for k, _ in own if isinstance(k, yaml.ScalarNode)}
        seen: set[Any] = set()
        for key_node, value_node in merged:
            if isinstance(key_node, yaml.ScalarNode) and key_node.value not in own_keys | seen:
                seen.add(key_node.value)
                yield key_node, value_node
        yield from own

    def _scalar(self, node: yaml.ScalarNode, pointer: str) -> Any:
        tag = node.tag
        if tag == _STR:
            return node.value
        constructor = self._constructor
        try:
            if tag == _NULL:
                return None
            if tag == _BOOL:
                return constructor.construct_yaml_bool(node)
            if tag == _INT:
                return constructor.construct_yaml_int(node)
            if tag == _FLOAT:
                return constructor.construct_yaml_float(node)
        except (ValueError, yaml.YAMLError):
            return node.value
        if tag != _TIMESTAMP:
            self.problems.append(self._finding("Y007", m.UNSUPPORTED_TAG.format(tag=tag), pointer, _span(node)))
        return node.value

    def _check_tag(self, node: yaml.Node, pointer: str, expected: str) -> None:
        if node.tag != expected:
            self.problems.append(self._finding("Y007", m.UNSUPPORTED_TAG.format(tag=node.tag), pointer, _span(node)))

    def _finding(self, code: str, message: Message, pointer: str, span: Span) -> Finding:
        return Finding(code, message, self.path, pointer, span=span)


class _TooLarge(Exception):
    def __init__(self, node: yaml.Node) -> None:
        self.node = node


class _TooDeep(_TooLarge):
    pass


def content_digest(raw: bytes) -> str:
    """The key of a file's content: what caches and re-checks compare."""
    return hashlib.blake2b(raw, digest_size=16).hexdigest()


def read_source(path: str, raw: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES, fast: bool = True) -> SourceDocument:
    """Decode and parse `raw` (the bytes of `path`); problems become findings.

    A plain document takes the fast path (`fast.fast_load`); `fast=False`
    forces the exact one, which the fast path is tested against.
    """
    doc = SourceDocument(path=path, text="", digest=content_digest(raw))
    if len(raw) > max_bytes:
        doc.problems.append(Finding("Y006", m.TOO_BIG.format(size=len(raw), limit=max_bytes), path))
        return doc
    try:
        doc.text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        doc.problems.append(
            Finding(
                "Y003", m.NOT_UTF8.format(byte=f"0x{raw[error.start]:02X}"), path, span=_byte_span(raw, error.start)
            )
        )
        return doc
    if "\x00" in doc.text:
        doc.problems.append(Finding("Y003", m.NUL_BYTE, path, span=_char_span(doc.text, doc.text.index("\x00"))))
        return doc
    loaded = fast_load(raw, doc.text) if fast else None
    if loaded is not None:
        doc.data, doc.positions = loaded
        return doc
    loader = _Loader(doc.text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as error:
        doc.problems.append(_syntax_finding(path, error))
        return doc
    except yaml.YAMLError as error:
        doc.problems.append(Finding("Y001", m.syntax(str(error)), path))
        return doc
    finally:
        loader.dispose()
    if node is None:
        doc.problems.append(Finding("Y004", m.EMPTY, path))
        return doc
    walker = _Walker(path, node_budget=max(10_000, len(doc.text)))
    try:
        doc.data = walker.build(node, "", 0)
    except _TooDeep as error:
        doc.problems.append(Finding("Y005", m.TOO_DEEP.format(limit=MAX_DEPTH), path, span=_span(error.node)))
        return doc
    except _TooLarge as error:
        doc.problems.append(Finding("Y005", m.ALIAS_BOMB, path, span=_span(error.node)))
        return doc
    doc.positions = walker.positions
    doc.problems.extend(walker.problems)
    return doc


def _syntax_finding(path: str, error: yaml.MarkedYAMLError) -> Finding:
    mark = error.problem_mark or error.context_mark
    span = Span(mark.line + 1, mark.column + 1, mark.line + 1, mark.column + 2) if mark else None
    problem = error.problem or ""
    if error.context:
        problem = f"{error.context}: {problem}" if problem else error.context
    return Finding("Y001", m.syntax(problem), path, span=span)


def _byte_span(raw: bytes, offset: int) -> Span:
    line, column = line_column(raw, offset)
    return Span(line, column, line, column + 1)


def _char_span(text: str, offset: int) -> Span:
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return Span(line, column, line, column + 1)
