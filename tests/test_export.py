"""newsletter export: bundles per provider, the manifest, the diff since the last export."""

import json
import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsletter import esp
from newsletter.cli import main
from newsletter.core.diagnostics import BuildError
from newsletter.esp.base import BaseDialect
from newsletter.esp.bundle import make_zip, safe_entry
from newsletter.esp.export import export
from newsletter.output.outdir import MARKER
from newsletter.content.samples import match_sample
from newsletter.content.samples import Sample

FIXTURE = Path(__file__).parent / "fixtures" / "esp-project"
PROVIDERS = ["brevo", "mailchimp", "mailgun", "postmark", "sendgrid", "ses"]


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    shutil.copytree(FIXTURE, root)
    return root


def tree(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_every_provider_is_registered():
    assert esp.names() == PROVIDERS


@pytest.mark.parametrize("provider", PROVIDERS)
def test_export_writes_bundles_and_a_manifest(project, provider):
    result = export(project, provider, force=True)
    assert result.out_dir == project / "export" / provider
    assert result.messages == ["2026-11/baristas-br", "2026-11/regulars"]
    assert result.added == result.messages and not result.changed and not result.removed
    manifest = json.loads((result.out_dir / "manifest.json").read_text())
    assert manifest["esp"] == provider
    entry = manifest["messages"]["2026-11/regulars"]
    assert entry["template"] == "newsletter-2026-11-regulars"
    assert entry["subject"] == "Hi there, meet Mira"
    files = tree(result.out_dir)
    for row in entry["files"]:
        assert len(files[row["path"]]) == row["bytes"]
    assert set(files) == {row["path"] for e in manifest["messages"].values()
                          for row in e["files"]} | {"manifest.json", MARKER}
    assert not (project / "build").exists(), "export builds in memory"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_reexport_is_byte_identical_and_unchanged(project, provider):
    first = tree(export(project, provider, force=True).out_dir)
    again = export(project, provider, force=True)
    assert tree(again.out_dir) == first
    assert again.unchanged == again.messages and not (again.added or again.changed)


def test_diff_reports_changed_added_and_removed_messages(project):
    export(project, "sendgrid", force=True)
    story = project / "content" / "stories" / "mira-testimonial.md"
    story.write_text(story.read_text().replace("Mira writes her own emails.",
                                               "Mira writes every email herself."))
    result = export(project, "sendgrid", force=True)
    assert result.changed == ["2026-11/baristas-br", "2026-11/regulars"]

    issue = project / "content" / "issues" / "2026-11.md"
    text = issue.read_text()
    issue.write_text(text.split("overrides:")[0] + "---\n" + text.split("\n---\n", 1)[1])
    december = issue.read_text().replace("November 2026", "December 2026").replace(
        "2026-11-03", "2026-12-01")
    (project / "content" / "issues" / "2026-12.md").write_text(december)
    audiences = project / "content" / "audiences.yml"
    audiences.write_text(audiences.read_text().split("- id: baristas-br")[0])
    samples = project / "content" / "samples.yml"
    samples.write_text(samples.read_text().split("- id: joao")[0])
    result = export(project, "sendgrid", force=True)
    assert result.added == ["2026-12/regulars"]
    assert result.removed == ["2026-11/baristas-br"]
    assert not (result.out_dir / "2026-11" / "baristas-br").exists()


def test_unreadable_previous_manifest_is_a_warning(project):
    out = project / "export" / "postmark"
    out.mkdir(parents=True)
    (out / MARKER).write_text("ours")  # a folder we made, whose manifest got damaged
    (out / "manifest.json").write_text("{not json")
    result = export(project, "postmark", force=True)
    assert result.added == result.messages
    assert [str(d) for d in result.diagnostics if d.code == "export-manifest"] == [
        "export/postmark/manifest.json: warning: the previous export manifest is unreadable; "
        "every message counts as added [export-manifest]"]


def test_unknown_provider_is_one_line(project):
    with pytest.raises(BuildError) as caught:
        export(project, "pigeon", force=True)
    assert [str(d) for d in caught.value.diagnostics] == [
        "error: unknown ESP 'pigeon' (known: brevo, mailchimp, mailgun, postmark, sendgrid, "
        "ses) [esp]"]


def test_a_broken_project_leaves_the_previous_export_alone(project):
    before = tree(export(project, "ses", force=True).out_dir)
    (project / "content" / "issues" / "2026-11.md").write_text("---\ntitle: [\n---\n")
    with pytest.raises(BuildError):
        export(project, "ses", force=True)
    assert tree(project / "export" / "ses") == before


def test_zip_entries_are_relative_and_safe():
    for bad in ["../evil.html", "/etc/passwd", "a/../../b", "C:/x", "a\\..\\b", ""]:
        with pytest.raises(ValueError):
            safe_entry(bad)
        with pytest.raises(ValueError):
            make_zip({bad: b"x"})
    archive = make_zip({"b.txt": b"2", "a/index.html": b"1"})
    assert archive == make_zip({"a/index.html": b"1", "b.txt": b"2"})


def test_exported_zips_hold_only_safe_names(project):
    result = export(project, "mailchimp", force=True)
    for path in result.out_dir.rglob("*.zip"):
        for name in zipfile.ZipFile(path).namelist():
            assert not name.startswith("/") and ".." not in name.split("/")


def test_sample_matching_prefers_the_audience_then_the_language():
    samples = [Sample(id="any", first_name="A"),
               Sample(id="pt", first_name="P", locale="pt-BR"),
               Sample(id="owner", first_name="O", audiences=["cafe-owners"])]
    assert match_sample(samples, "cafe-owners", "en").id == "owner"
    assert match_sample(samples, "baristas-br", "pt-BR").id == "pt"
    assert match_sample(samples, "regulars", "en").id == "any"
    assert match_sample([Sample(id="x", audiences=["other"])], "regulars", "en") is None


class Shouting(BaseDialect):
    """A provider added by a plugin: uppercase merge tags, one file per message."""

    name = "shouting"
    label = "Shouting"

    def literal(self, text, context):
        return text.replace("%%", "%\u2060%")

    def variable(self, tag, context, stack):
        return f"%%{tag.field.upper()}%%"

    def block(self, block, context, stack, opened=None):
        return f"%%{block.kind.upper()}%%"

    def unsubscribe(self, context):
        return "%%UNSUBSCRIBE%%"

    def bundle(self, message):
        subject, html, _ = self.parts(message)
        return {"subject.txt": subject.encode()}


def test_a_new_dialect_needs_only_register(project):
    esp.register(Shouting())
    try:
        result = export(project, "shouting", force=True)
        subject = (result.out_dir / "2026-11" / "regulars" / "subject.txt").read_text()
        assert subject == "Hi %%FIRST_NAME%%, meet Mira"
    finally:
        del esp.REGISTRY["shouting"]


def test_cli_reports_what_changed(project):
    runner = CliRunner()
    first = runner.invoke(main, ["export", "--force", "-p", str(project), "--esp", "Postmark"])
    assert first.exit_code == 0, first.output
    assert "2 message(s) for Postmark in export/postmark: 2 added, 0 changed" in first.output
    assert "+ 2026-11/regulars" in first.output
    again = runner.invoke(main, ["export", "--force", "-p", str(project), "--esp", "postmark"])
    assert "0 added, 0 changed, 0 removed, 2 unchanged" in again.output


def test_cli_errors_are_one_line_without_traceback(project):
    (project / "content" / "issues" / "2026-11.md").write_text("---\ntitle: [\n---\n")
    result = CliRunner().invoke(main, ["export", "--force", "-p", str(project), "--esp", "ses"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    bad = CliRunner().invoke(main, ["export", "--force", "-p", str(project), "--esp", "pigeon"])
    assert bad.exit_code == 2 and "'pigeon' is not one of" in bad.output


def test_messages_that_fail_their_checks_are_not_exported_without_force(tmp_path):
    import shutil

    from click.testing import CliRunner

    from newsletter.cli import main
    root = tmp_path / "minimal"
    shutil.copytree(Path(__file__).parent / "fixtures" / "minimal", root)
    story = root / "content/stories/tom-testimonial.md"
    story.write_text(story.read_text(encoding="utf-8").replace("expires: 2027-01-01", "expires: 2026-09-30"),
                     encoding="utf-8")
    refused = CliRunner().invoke(main, ["export", "--esp", "sendgrid", "-p", str(root)])
    assert refused.exit_code == 1
    assert "content/stories/tom-testimonial.md:15:12: error: 2026-10/new-readers fails 2 check(s), first:" in refused.output
    assert not (root / "export").exists()
    forced = CliRunner().invoke(main, ["export", "--esp", "sendgrid", "-p", str(root), "--force"])
    assert forced.exit_code == 0 and "warning: 2026-10/new-readers fails" in forced.output
