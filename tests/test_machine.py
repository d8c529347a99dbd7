"""`--format json`: every command's document names its schema and validates against the
JSON Schema shipped in newsletter/console/schemas/."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from jsonschema import Draft202012Validator, ValidationError

from newsletter.cli import main
from newsletter.console.machine import VERSIONS, json_schema, schema_name
from newsletter.output.outdir import MARKER

ARGS = {
    "build": ["build"],
    "check": ["check", "--fast"],
    "export": ["export", "--esp", "sendgrid"],
    "customers": ["customers", "--date", "2026-12-01"],
    "suggest": ["suggest", "--month", "2026-12"],
    "results": ["results"],
}


def validate(command: str, document: dict) -> None:
    Draft202012Validator(json_schema(command), format_checker=Draft202012Validator.FORMAT_CHECKER).validate(document)


@pytest.mark.parametrize("command", sorted(VERSIONS))
def test_each_shipped_schema_is_a_valid_json_schema(command):
    schema = json_schema(command)
    Draft202012Validator.check_schema(schema)
    assert schema["properties"]["schema"] == {"const": schema_name(command)}


def test_every_command_with_json_output_has_a_schema():
    assert set(ARGS) == set(VERSIONS)


@pytest.mark.parametrize("command", sorted(ARGS))
def test_json_output_validates_against_its_schema(command, example: Path):
    result = CliRunner().invoke(main, ["-q", *ARGS[command], "--project", str(example), "--format", "json"])
    assert result.exit_code in (0, 1), result.output
    document = json.loads(result.stdout)
    assert document["schema"] == f"newsletter/{command}/1"
    validate(command, document)


def test_a_build_that_stops_on_bad_input_still_prints_a_valid_document(example: Path):
    story = example / "content/stories/grind-size-guide.md"
    story.write_text(story.read_text(encoding="utf-8").replace("kind: guide", "kind: [", 1), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", "--project", str(example), "--format", "json"])
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    validate("build", document)
    assert document["ok"] is False and document["messages"] == []
    assert any(d["file"] == "content/stories/grind-size-guide.md" for d in document["diagnostics"])


def test_the_build_document_lists_what_was_written(example: Path):
    result = CliRunner().invoke(main, ["build", "-p", str(example), "--format", "json"])
    document = json.loads(result.stdout)
    assert document["ok"] is True and document["out_dir"] == "build"
    for message in document["messages"]:
        for entry in message["files"]:
            assert (example / "build" / entry["path"]).stat().st_size == entry["bytes"]
    # Every file the build wrote, less the marker that says the folder is ours (output/outdir.py).
    on_disk = [p for p in (example / "build").rglob("*") if p.is_file() and p.name != MARKER]
    assert document["files"] == len(on_disk)


def test_a_document_missing_a_field_does_not_validate():
    with pytest.raises(ValidationError):
        validate("export", {"schema": "newsletter/export/1", "ok": True, "esp": "ses"})
    with pytest.raises(ValidationError):
        validate("check", {"schema": "newsletter/check/2", "errors": 0, "warnings": 0, "skipped_checks": [],
                           "questions": {}, "variants": [], "diagnostics": []})
