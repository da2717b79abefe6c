"""The committed JSON Schemas match the models, and every example is valid against both."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from roadmap_rules.loading import read_source
from roadmap_rules.model import FILE_KINDS
from roadmap_rules.schemas import render
from roadmap_rules.validation import validate

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").rglob("*.yaml"))


@pytest.mark.parametrize("kind", sorted(FILE_KINDS))
def test_schema_has_not_drifted(kind: str) -> None:
    committed = (ROOT / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8")
    assert committed == render(kind), "run: python -m roadmap_rules.schemas"


@pytest.mark.parametrize("path", EXAMPLES, ids=[str(p.relative_to(ROOT)) for p in EXAMPLES])
def test_example_is_valid(path: Path) -> None:
    doc = read_source(str(path), path.read_bytes())
    assert not doc.problems
    model, findings = validate(doc)
    assert model is not None, findings
    schema = json.loads((ROOT / "schemas" / f"{doc.data['kind']}.schema.json").read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc.data)]
    assert not errors


@pytest.mark.parametrize("path", EXAMPLES, ids=[str(p.relative_to(ROOT)) for p in EXAMPLES])
def test_example_has_modeline(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    kind = "registry" if "kind: registry" in path.read_text(encoding="utf-8") else "roadmap"
    assert first.startswith("# yaml-language-server: $schema=")
    target = (path.parent / first.split("$schema=", 1)[1].strip()).resolve()
    assert target == (ROOT / "schemas" / f"{kind}.schema.json").resolve()
