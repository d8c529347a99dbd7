"""Per-contact exports: every merge tag of every exported template has a column or attribute,
nothing else personal is exported, and only customers who opted in to marketing email."""

import csv
import io
import json
import re
import zipfile
from pathlib import Path

import pytest

from newsletter.esp.contacts import SEGMENT_FIELDS, fields_used
from newsletter.esp.export import export
from newsletter.core.merge import parse

ESPS = ["mailchimp", "sendgrid", "brevo", "ses", "mailgun", "postmark"]
TAGS = {
    "mailchimp": re.compile(r"\*\|(?:IF:|IFNOT:)?([A-Z0-9_]+)\|\*"),
    "brevo": re.compile(r"contact\.([A-Z0-9_]+)"),
    "postmark": re.compile(r"\{\{\{?[#^]?(?:\.\./)?([a-z_][a-z0-9_]*)\}?\}\}"),
}
HANDLEBARS = re.compile(r"\{\{\{?(?:#if |#unless )?([a-z_][a-z0-9_]*)\}?\}\}")
# Tags each provider fills itself (its unsubscribe link, its own member id): no contact field.
PROVIDER_FILLED = {"mailchimp": {"UNSUB", "UNIQID"}, "sendgrid": {"unsubscribe"}}
# Variables a provider reads that its template syntax does not show (Mailgun's %recipient.id%).
HIDDEN_VARS = {"mailgun": {"id"}}
SEGMENTS = {"mailchimp": set(), "sendgrid": set(SEGMENT_FIELDS), "brevo": {"TIER", "AUDIENCE", "LANGUAGE"},
            "ses": set(SEGMENT_FIELDS), "mailgun": set(SEGMENT_FIELDS), "postmark": set(SEGMENT_FIELDS)}


def _opt_in(root: Path) -> set[str]:
    """Add a marketing_opt_in column (every fourth customer says no); the emails that say yes."""
    path = root / "content/customers.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    rows[0].append("marketing_opt_in")
    for index, row in enumerate(rows[1:]):
        row.append("no" if index % 4 == 0 else "yes")
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return {row[3] for row in rows[1:] if row[-1] == "yes" and row[3]}


def _template_text(out: Path) -> str:
    parts = []
    for path in sorted(out.rglob("*")):
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                parts += [archive.read(name).decode("utf-8") for name in archive.namelist()]
        elif path.is_file() and path.name not in ("sample-data.json", "manifest.json") and not (
                path.name.startswith(("contacts.", "members-", "batch-"))):
            parts.append(path.read_text(encoding="utf-8"))
    return "\n".join(parts)


def _contact_fields(esp: str, out: Path) -> tuple[set[str], set[str], str]:
    """(field names, email addresses, all contact file text) of an export's contacts."""
    if esp in ("mailchimp", "sendgrid", "brevo"):
        text = (out / "contacts.csv").read_text(encoding="utf-8")
        rows = list(csv.reader(text.splitlines(), delimiter=";" if esp == "brevo" else ","))
        key = {"mailchimp": "Email Address", "sendgrid": "email", "brevo": "EMAIL"}[esp]
        header = rows[0]
        emails = {row[header.index(key)] for row in rows[1:]}
        return set(header) - {key, "Language", "Tags"}, emails, text
    if esp == "ses":
        text = (out / "contacts.json").read_text(encoding="utf-8")
        items = json.loads(text)
        return ({k for i in items for k in json.loads(i["AttributesData"])},
                {i["EmailAddress"] for i in items}, text)
    if esp == "mailgun":
        text = "".join(p.read_text(encoding="utf-8") for p in sorted(out.glob("members-*.json")))
        items = [m for p in sorted(out.glob("members-*.json")) for m in json.loads(p.read_text(encoding="utf-8"))]
        return {k for m in items for k in m["vars"]}, {m["address"] for m in items}, text
    files = sorted(out.glob("*/batch-*.json"))
    text = "".join(p.read_text(encoding="utf-8") for p in files)
    items = [m for p in files for m in json.loads(p.read_text(encoding="utf-8"))["Messages"]]
    assert all(len(json.loads(p.read_text(encoding="utf-8"))["Messages"]) <= 500 for p in files)
    return {k for m in items for k in m["TemplateModel"]}, {m["To"] for m in items}, text


@pytest.mark.parametrize("esp", ESPS)
def test_every_template_tag_has_a_contact_field_and_nothing_else_personal(example, esp):
    opted_in = _opt_in(example)
    result = export(example, esp)
    out = result.out_dir
    tags = set(TAGS.get(esp, HANDLEBARS).findall(_template_text(out))) - {"else"} - PROVIDER_FILLED.get(esp, set())
    assert tags, "the example's templates personalise"
    fields, emails, text = _contact_fields(esp, out)
    assert tags <= fields, f"tags without a contact field: {tags - fields}"
    allowed = tags | SEGMENTS[esp] | HIDDEN_VARS.get(esp, set())
    assert fields <= allowed, f"fields no template uses: {fields - allowed}"
    assert emails == opted_in
    rows = list(csv.DictReader((example / "content/customers.csv").read_text(encoding="utf-8").splitlines()))
    for row in rows:
        if row["marketing_opt_in"] == "no":
            assert row["email"] not in text
    assert "nps" not in text.lower() and "lifetime" not in text.lower()
    # Identical input, identical files.
    again = export(example, esp)
    assert again.files == result.files


def test_conditions_reach_the_provider(example):
    _opt_in(example)
    out = export(example, "sendgrid").out_dir
    rows = list(csv.DictReader((out / "contacts.csv").read_text(encoding="utf-8").splitlines()))
    assert {"unused_benefits", "onboarding_behind"} <= set(rows[0])
    assert {r["unused_benefits"] for r in rows} <= {"yes", ""} and any(r["unused_benefits"] == "yes" for r in rows)


def test_without_an_opt_in_column_contacts_are_refused_in_one_line(example):
    result = export(example, "mailchimp")
    warnings = [str(d) for d in result.diagnostics if d.code == "contacts"]
    assert warnings == ["content/customers.csv: warning: contacts not exported: the customer data has no "
                        "'marketing_opt_in' column, so nobody is known to have agreed to marketing email "
                        "(add it, or map yours in [customers] columns); the templates were exported [contacts]"]
    assert not (result.out_dir / "contacts.csv").exists()
    assert any(name.endswith(".zip") for name in result.files)


def test_fields_used_reads_tags_and_conditions():
    text = parse("Hi {{ first_name | there }}{% if unused_benefits %} voucher{% endif %}"
                 "{% if not onboarding_behind %}!{% endif %}")
    assert fields_used([text]) == ["first_name", "unused_benefits", "onboarding_behind"]
