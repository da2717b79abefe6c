"""JSON Schemas (2020-12) of every file kind, generated from the models.

`python -m roadmap_rules.schemas` rewrites schemas/; a test fails when the
committed files drift from the models.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from roadmap_rules.model import FILE_KINDS

DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://roadmap-check.example/schemas/"


def schema_for(kind: str) -> dict[str, Any]:
    schema = FILE_KINDS[kind].model_json_schema(mode="validation")
    return {"$schema": DIALECT, "$id": f"{BASE_ID}{kind}.schema.json", **schema}


def render(kind: str) -> str:
    return json.dumps(schema_for(kind), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def write_all(directory: Path) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in FILE_KINDS:
        path = directory / f"{kind}.schema.json"
        path.write_text(render(kind), encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent / "schemas"
    for path in write_all(target):
        print(path)
