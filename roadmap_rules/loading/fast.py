"""The fast path of reading: rapidyaml parses, PyYAML's rules decide what is read.

PyYAML's C loader builds a Python object for every node and mark, which makes
parsing the floor of a whole check. rapidyaml parses in C++ more than ten times
faster and emits JSON, which the standard library turns into data in C. But it
reads YAML 1.2 and keeps no types, so this path takes a document only where it
can prove the data is what the exact path (`source.read_source`) would give:
no tags, anchors, aliases, merge keys, directives, tabs, carriage returns or
suppression comments; every plain scalar that PyYAML would type is one that
JSON types the same; no duplicate keys. Anything else returns None and the
exact path reads the file, with all its findings.

Positions are not walked up front (that would cost what was saved): a lookup
follows the pointer down the rapidyaml tree, which is kept from reading for the
last few files and parsed again for any other; most files need only a few lookups.
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import json
import os
import re
import threading
from collections import OrderedDict
from collections.abc import Iterator
from typing import Any

import yaml

from roadmap_rules.diagnostics import Span

try:
    import ryml
except ImportError:  # pragma: no cover - rapidyaml is a dependency; without it every file takes the exact path
    ryml = None

AVAILABLE = ryml is not None

IMPLICIT: dict[str, list[tuple[str, Any]]] = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
"""PyYAML's implicit scalar types by first character, dates aside: the models read dates from text."""

_C_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_UNSAFE_SPANS = ("<<", "\n---", "\n...", "-.", "roadmap-check:")
"""Merge keys, documents, «-.5» (a number to rapidyaml, text to PyYAML), and suppressions (they need every
position)."""

_UNSAFE_CHARS = frozenset("\t\r")
"""Tabs and CRs: rapidyaml is laxer about both."""

_INDICATORS = "!&*?%@`]}|>[{"
"""Characters that mean something at the start of a token: tags, anchors, aliases, complex keys,
reserved ones, flow collections and block scalars."""

_OTHER_BYTES = bytes(b for b in range(256) if chr(b) not in {*_INDICATORS, *_UNSAFE_CHARS})
"""Deleted from a file's bytes, they leave its indicators, tabs and CRs: UTF-8 writes no other character
with an ASCII byte, and one pass over bytes costs less than a search of the text for each."""

_BLOCK_HEADER = re.compile(r"[|>][-+]?[ ]*(?:#[^\n]*)?(?:\n|$)")
"""A block scalar header both parsers read alike: no indentation indicator."""


def _typed_scalars() -> re.Pattern[str]:
    """JSON strings that PyYAML would type (number, boolean, null…) had they been written plain."""
    patterns = {regexp.pattern for resolvers in IMPLICIT.values() for _, regexp in resolvers}
    bodies = [re.sub(r"\s+", "", pattern)[1:-1].replace("|)", ")") for pattern in sorted(patterns)]
    return re.compile(r'"(?=[-+0-9.~<=yYnNtTfFoO])((?:' + "|".join(bodies) + r'))"(:)?')


_TYPED_STRING = _typed_scalars()

_JSON_AGREES = re.compile(r"true|false|null|-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?")
"""Scalars both parsers type alike: rapidyaml leaves them bare in JSON and PyYAML resolves them the same."""


def _safe_text(text: str, raw: bytes) -> bool:
    """Is the text (`raw` decoded) free of everything that rapidyaml and PyYAML read differently?

    Each indicator character is looked at where it starts a token (after the
    indentation and dashes of a line, or after «: »). rapidyaml forgives some
    broken flow collections (a stray colon, a comment inside) that PyYAML
    rejects; each is one short line, so PyYAML checks it alone.
    """
    present = set(raw.translate(None, _OTHER_BYTES).decode("ascii"))
    if present & _UNSAFE_CHARS or any(span in text for span in _UNSAFE_SPANS):
        return False
    checked = 0
    for at in _places(text, present):
        if at < checked:
            continue
        line_start = text.rfind("\n", 0, at) + 1
        before = text[line_start:at]
        if before.strip(" -") and not (before.endswith(" ") and before.rstrip(" ").endswith(":")):
            continue
        char = text[at]
        if char in "|>":
            if not _BLOCK_HEADER.match(text, at):
                return False
        elif char in "[{":
            end = text.find("\n", at)
            checked = len(text) if end < 0 else end
            line = text[at:checked]
            if any(char in line for char in "&*!?"):  # anchors, aliases, tags, complex keys
                return False
            try:
                yaml.compose(line, Loader=_C_LOADER)
            except yaml.YAMLError:
                return False
        else:
            return False
    return True


def _places(text: str, chars: set[str]) -> list[int]:
    """Where each of `chars` occurs in `text`, in order."""
    places: list[int] = []
    for char in chars:
        at = text.find(char)
        while at >= 0:
            places.append(at)
            at = text.find(char, at + 1)
    places.sort()
    return places


def _types_agree(emitted: str, text: str) -> bool:
    """Would PyYAML type every scalar as the JSON does?

    A JSON string that PyYAML would type (1., yes, ~, 0x1F, 12:30) was quoted
    in the source if rapidyaml emits that scalar bare when it is plain (a bare
    float is checked by `_float`; a JSON integer always agrees). Otherwise, and
    for any such key, it may have been written plain: the source is searched,
    and where it is written plain the exact path decides.
    """
    open_tokens = {
        match.group(1)
        for match in _TYPED_STRING.finditer(emitted)
        if match.group(2) or (not _JSON_AGREES.fullmatch(match.group(1)) and not _emitted_bare(match.group(1)))
    }
    if not open_tokens:
        return True
    if any(token.lstrip("+-").lower() in (".inf", ".nan") for token in open_tokens):
        return False  # rapidyaml rewrites these (.NaN → .nan): the source cannot be searched for them
    alternatives = "|".join(re.escape(token) for token in sorted(open_tokens, key=len, reverse=True))
    written = re.compile(rf"(?:{alternatives})(?=[ ]*(?:\n|$|#|[,\]}}]|:(?:[ \n]|$)))")
    return all(at and text[at - 1] not in " \n[{,-" for at in (m.start() for m in written.finditer(text)))


@functools.lru_cache(maxsize=4096)
def _emitted_bare(token: str) -> bool:
    """Does rapidyaml emit `token`, written plain, as a bare JSON number ("1." as 1.0)?"""
    assert ryml is not None
    with _quiet_stderr():
        tree = ryml.parse_in_arena(b"[" + token.encode() + b"]")
    return not ryml.emit_json_malloc(tree, tree.root_id()).lstrip("[ \n").startswith('"')


class _Disagree(Exception):
    """The JSON holds something the exact path would read otherwise."""


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        raise _Disagree  # duplicate keys: the exact path reports them
    return result


def _float(text: str) -> float:
    if not _JSON_AGREES.fullmatch(text):
        raise _Disagree  # e.g. 1e5: a number to rapidyaml, text to PyYAML
    return float(text)


def _constant(text: str) -> Any:
    raise _Disagree


def _document_root(tree: Any) -> int:
    root: int = tree.root_id()
    if tree.is_stream(root):
        raise _Disagree
    return root


def fast_load(raw: bytes, text: str) -> tuple[dict[str, Any], TreePositions] | None:
    """The data of a plain mapping document and its positions, or None when only the exact path can read it.

    The positions keep the tree parsed here for as long as recent trees are held,
    so the file's own findings are located without parsing it again."""
    if ryml is None or raw.startswith(b"\xef\xbb\xbf"):
        return None
    if not _safe_text(text, raw):
        return None
    try:
        buffer = bytearray(raw)
        with _quiet_stderr():
            tree = ryml.parse_in_place(buffer)
        root = _document_root(tree)
        if not tree.is_map(root):
            return None
        emitted = ryml.emit_json_malloc(tree, root)
        if '"":' in emitted or not _types_agree(emitted, text):  # an empty key: rapidyaml reads «: x»
            return None
        # A JSON integer is always one PyYAML types alike; a float may be written 1e5 (text to PyYAML)
        data = json.loads(emitted, object_pairs_hook=_pairs, parse_float=_float, parse_constant=_constant)
    except (_Disagree, ValueError, RecursionError, RuntimeError):
        return None
    except Exception as error:  # rapidyaml's own exceptions share no useful base
        if ryml is not None and isinstance(error, ryml.ExceptionBasic):
            return None
        raise
    if not isinstance(data, dict):
        return None
    positions = TreePositions(raw)
    positions._hold(tree, buffer)
    return data, positions


@contextlib.contextmanager
def _quiet_stderr() -> Iterator[None]:
    """rapidyaml prints its parse errors to stderr before raising; the engine prints nothing.

    The exact path re-reads such a file and reports the error as a finding.
    File descriptor 2 is shared by the whole process, so one thread at a time
    swaps it; where it cannot be swapped (no stderr at all), nothing is.
    """
    global _devnull
    with _stderr_lock:
        try:
            if _devnull is None:
                _devnull = os.open(os.devnull, os.O_WRONLY)
            saved = os.dup(2)
        except OSError:
            yield
            return
        os.dup2(_devnull, 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)


_devnull: int | None = None
_stderr_lock = threading.Lock()


class _Buffer(ctypes.Structure):
    _fields_ = [
        ("buf", ctypes.c_void_p),
        ("obj", ctypes.py_object),
        ("len", ctypes.c_ssize_t),
        ("itemsize", ctypes.c_ssize_t),
        ("readonly", ctypes.c_int),
        ("ndim", ctypes.c_int),
        ("format", ctypes.c_char_p),
        ("shape", ctypes.c_void_p),
        ("strides", ctypes.c_void_p),
        ("suboffsets", ctypes.c_void_p),
        ("internal", ctypes.c_void_p),
    ]


_get_buffer = ctypes.pythonapi.PyObject_GetBuffer
_get_buffer.argtypes = [ctypes.py_object, ctypes.POINTER(_Buffer), ctypes.c_int]
_release_buffer = ctypes.pythonapi.PyBuffer_Release
_release_buffer.argtypes = [ctypes.POINTER(_Buffer)]


def _address(view: memoryview) -> int:
    """Where a view into the parsed buffer starts: rapidyaml's scalars point into the source."""
    buffer = _Buffer()
    _get_buffer(view, ctypes.byref(buffer), 0)
    try:
        return buffer.buf or 0
    finally:
        _release_buffer(ctypes.byref(buffer))


_HOLD = 32
_HELD: OrderedDict[int, TreePositions] = OrderedDict()
"""Positions whose trees are held, oldest first: findings come file by file, so a few suffice."""


class TreePositions:
    """Positions of a fast-read document, found on demand by following pointers in a rapidyaml tree.

    Spans follow PyYAML's marks: a scalar from its first character (its quote,
    its block indicator) to after its last; a mapping from its first key, a
    block sequence from its first dash, a flow collection from its bracket.
    """

    __slots__ = ("_base", "_buffer", "_found", "_raw", "_tree")

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._tree: Any = None
        self._buffer: bytearray | None = None
        self._base = 0
        self._found: dict[tuple[str, bool], Span] = {}

    def __getstate__(self) -> bytes:
        return self._raw

    def __setstate__(self, raw: bytes) -> None:
        self.__init__(raw)  # type: ignore[misc]

    def span(self, pointer: str, *, key: bool = False) -> Span:
        """The span of `pointer` (its key's with `key`), or of its nearest written ancestor.

        Kept once found: an editor's re-check locates the same findings of the files it did
        not change again, and their trees are no longer held."""
        found = self._found.get((pointer, key))
        if found is None:
            found = self._found[(pointer, key)] = self._locate(pointer, key)
        return found

    def _locate(self, pointer: str, key: bool) -> Span:
        node, rest = self._find(pointer)
        if node is None:
            return Span(1, 1, 1, 1)
        tree = self._tree
        if key and not rest and tree.has_key(node):
            start = self._scalar_start(tree.key(node), tree.is_key_quoted(node))
            return self._span(start, self._scalar_end(start, tree.key(node), tree.is_key_quoted(node)))
        start, end = self._node_extent(node)
        return self._span(start, end)

    def value_span(self, pointer: str) -> Span | None:
        node, rest = self._find(pointer)
        return None if node is None or rest else self._span(*self._node_extent(node))

    def has_key(self, pointer: str) -> bool:
        node, rest = self._find(pointer)
        return node is not None and not rest and self._tree.has_key(node)

    # --- the tree -------------------------------------------------------------

    def _parse(self) -> Any:
        """The tree, parsed again on first use; only the last few trees are held, to bound memory."""
        if self._tree is None:
            assert ryml is not None
            buffer = bytearray(self._raw)
            with _quiet_stderr():
                self._hold(ryml.parse_in_place(buffer), buffer)
        else:
            _HELD.move_to_end(id(self))
        return self._tree

    def _hold(self, tree: Any, buffer: bytearray) -> None:
        """Keep `tree`, parsed in place in `buffer` (a copy of the raw bytes), among the held ones."""
        self._tree, self._buffer = tree, buffer
        self._base = _address(memoryview(buffer))
        _HELD[id(self)] = self
        if len(_HELD) > _HOLD:
            _, oldest = _HELD.popitem(last=False)
            oldest._tree = oldest._buffer = None

    def _find(self, pointer: str) -> tuple[int | None, bool]:
        """The node written at `pointer`, or its nearest ancestor and True when the rest is not written."""
        tree = self._parse()
        node: int = tree.root_id()
        for token in pointer.split("/")[1:] if pointer else ():
            name = token.replace("~1", "/").replace("~0", "~")
            found = -1
            if tree.is_map(node):
                found = tree.find_child(node, name.encode())
            elif tree.is_seq(node) and name.isdigit() and int(name) < tree.num_children(node):
                found = tree.child(node, int(name))
            if found is None or found < 0 or found == ryml.NONE:
                return node, True
            node = found
        return node, False

    # --- offsets --------------------------------------------------------------

    def _offset(self, view: memoryview) -> int:
        return _address(view) - self._base

    def _scalar_start(self, view: memoryview | None, quoted: bool) -> int:
        if view is None:
            return 0
        start = self._offset(view)
        return start - 1 if quoted else start

    def _scalar_end(self, start: int, view: memoryview | None, quoted: bool) -> int:
        raw = self._raw
        if view is None:
            return start
        if quoted:
            quote = raw[start : start + 1]
            at = start + 1
            while at < len(raw):
                ch = raw[at : at + 1]
                if ch == b"\\" and quote == b'"':
                    at += 2
                    continue
                if ch == quote:
                    if quote == b"'" and raw[at + 1 : at + 2] == b"'":
                        at += 2
                        continue
                    return at + 1
                at += 1
            return len(raw)
        length = view.nbytes
        if raw[start : start + length] == view.tobytes():
            return start + length
        return self._plain_end(start)

    def _plain_end(self, start: int) -> int:
        """The end of a plain scalar whose text was folded: its last non-blank continuation line."""
        raw = self._raw
        line_start = raw.rfind(b"\n", 0, start) + 1
        indent = len(raw[line_start:start]) - len(raw[line_start:start].lstrip(b" -"))
        end = raw.find(b"\n", start)
        end = len(raw) if end < 0 else end
        last = end
        while end < len(raw):
            nxt = raw.find(b"\n", end + 1)
            nxt = len(raw) if nxt < 0 else nxt
            line = raw[end + 1 : nxt]
            stripped = line.lstrip(b" ")
            if stripped and (len(line) - len(stripped) <= indent or stripped.startswith(b"#")):
                break
            if stripped:
                last = nxt
            end = nxt
        while last > start and raw[last - 1 : last] in (b" ", b"\n"):
            last -= 1
        return last

    def _node_extent(self, node: int) -> tuple[int, int]:
        tree = self._tree
        if tree.is_container(node):
            return self._container_start(node), self._container_end(node)
        view = tree.val(node)
        if view is None:  # an empty value: PyYAML marks the place just after its colon
            at = self._after_key(node)
            return at, at
        if tree.is_val_literal(node) or tree.is_val_folded(node):
            start = self._offset(view)
            indicator = self._raw.rfind(b"|" if tree.is_val_literal(node) else b">", 0, start)
            return indicator, self._block_end(start)
        start = self._scalar_start(view, tree.is_val_quoted(node))
        return start, self._scalar_end(start, view, tree.is_val_quoted(node))

    def _after_key(self, node: int) -> int:
        tree = self._tree
        if not tree.has_key(node):
            return 0
        key = tree.key(node)
        key_start = self._scalar_start(key, tree.is_key_quoted(node))
        colon = self._raw.find(b":", self._scalar_end(key_start, key, tree.is_key_quoted(node)))
        return colon + 1

    def _first_start(self, node: int) -> int | None:
        tree = self._tree
        if tree.has_key(node):
            return self._scalar_start(tree.key(node), tree.is_key_quoted(node))
        if tree.is_container(node):
            return self._container_start(node) if tree.num_children(node) else None
        return self._node_extent(node)[0]

    def _container_start(self, node: int) -> int:
        tree = self._tree
        raw = self._raw
        first = tree.first_child(node) if tree.num_children(node) else None
        inner = self._first_start(first) if first is not None else None
        if inner is None:  # an empty flow collection: its bracket follows the key
            at = self._after_key(node)
            while at < len(raw) and raw[at : at + 1] in (b" ", b"\n"):
                at += 1
            return at
        if tree.is_map(node) and not tree.is_flow(node):
            return inner
        opener = (b"{", b"[") if tree.is_flow(node) else (b"-",)
        at = inner - 1
        while at >= 0 and raw[at : at + 1] not in opener:
            at -= 1
        return max(at, 0)

    def _container_end(self, node: int) -> int:
        tree = self._tree
        raw = self._raw
        if tree.is_flow(node):
            closer = b"}" if tree.is_map(node) else b"]"
            last = tree.last_child(node) if tree.num_children(node) else None
            at = self._node_extent(last)[1] if last is not None else self._container_start(node) + 1
            at = raw.find(closer, at)
            return len(raw) if at < 0 else at + 1
        return self._next_token(node)

    def _next_token(self, node: int) -> int:
        """Where the token after `node` starts: PyYAML ends a block collection there."""
        tree = self._tree
        while node != tree.root_id():
            sibling = tree.next_sibling(node)
            if sibling is not None and sibling >= 0 and sibling != ryml.NONE:
                start = self._first_start(sibling)
                if start is not None:
                    if tree.parent_is_seq(sibling) and not tree.is_flow(tree.parent(sibling)):
                        at = start - 1
                        while at >= 0 and self._raw[at : at + 1] != b"-":
                            at -= 1
                        return at
                    return start
            node = tree.parent(node)
        return len(self._raw)

    def _block_end(self, start: int) -> int:
        """A block scalar ends at the start of the first line after its content."""
        raw = self._raw
        line_start = raw.rfind(b"\n", 0, start) + 1
        indent = len(raw[line_start:]) - len(raw[line_start:].lstrip(b" "))
        at = line_start
        while at < len(raw):
            nxt = raw.find(b"\n", at)
            nxt = len(raw) if nxt < 0 else nxt + 1
            line = raw[at:nxt].rstrip(b"\n")
            if line.strip() and len(line) - len(line.lstrip(b" ")) < indent:
                return at
            at = nxt
        return len(raw)

    def _span(self, start: int, end: int) -> Span:
        line, column = line_column(self._raw, start)
        end_line, end_column = line_column(self._raw, end, start, line)  # counting on from the start
        return Span(line, column, end_line, end_column)


def line_column(raw: bytes, offset: int, known: int = 0, known_line: int = 1) -> tuple[int, int]:
    """Line and column (in characters, from 1) of a byte offset into UTF-8 text.

    Lines are counted from `known`, an earlier offset on line `known_line`."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace"))
    return raw.count(b"\n", known, offset) + known_line, column + 1
