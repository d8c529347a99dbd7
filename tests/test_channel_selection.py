"""Which channels each audience gets, where each channel's files go, and question 4."""

import shutil

import pytest

from newsletter.build import build, load
from newsletter.channels import REGISTRY
from newsletter.compose.selection import build_variants

from .conftest import FIXTURES, edit


@pytest.fixture
def project(tmp_path):
    target = tmp_path / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", target)
    return target


def channels(root) -> dict[str, list[str]]:
    loaded, _ = load(root)
    out: dict[str, list[str]] = {}
    for v in build_variants(loaded):
        out.setdefault(v.audience.id, []).append(v.channel)
    return out


def test_registered_channels():
    assert sorted(REGISTRY) == ["email", "print", "sms", "web"]


def test_each_audience_gets_the_channels_it_prefers_plus_web(project):
    assert channels(project) == {
        "new-readers": ["email", "web", "sms", "print"],
        "book-clubs": ["email", "web", "sms", "print"],
        "chitateli-ru": ["email", "web", "sms", "print"],
        "leitores-br": ["email", "web"],
        "qurra-ar": ["email", "web", "print"],
    }


def test_an_audience_that_prefers_none_gets_all_and_fails_q4(project):
    edit(project / "content/audiences.yml", "  channels: [email]\n  stages: [onboarding]\n  locale: pt-BR",
         "  channels: [sms]\n  stages: [onboarding]\n  locale: pt-BR")
    edit(project / "content/issues/2026-10.md", "channels: [email, web, sms, print]", "channels: [email, web]")
    assert channels(project)["leitores-br"] == ["email", "web"]
    result = build(project)
    report = result.report.for_key("2026-10/leitores-br/email")
    [finding] = [r for r in report.results if r.check.id == "q4-preferred-channel"]
    assert finding.severity == "error"
    assert finding.finding.message == "'leitores-br' prefers sms but this issue only goes out by email, web"


def test_web_is_published_for_everyone_and_passes_q4(project):
    result = build(project)
    report = result.report.for_key("2026-10/leitores-br/web")
    [finding] = [r for r in report.results if r.check.id == "q4-preferred-channel"]
    assert finding.finding.passed and "published, not sent" in finding.finding.message
    assert result.report.errors == 0


def test_files_of_each_channel(project):
    result = build(project)
    files = {o.variant.key: sorted(f"{o.directory}/{name}" for name in o.files) for o in result.outputs}
    assert files["2026-10/book-clubs/email"] == ["issues/2026-10/book-clubs/email.eml",
                                                 "issues/2026-10/book-clubs/email.html",
                                                 "issues/2026-10/book-clubs/email.txt"]
    assert files["2026-10/book-clubs/web"] == ["web/issues/2026-10/book-clubs/index.html"]
    assert files["2026-10/book-clubs/sms"] == ["issues/2026-10/book-clubs/sms.txt"]
    assert files["2026-10/book-clubs/print"] == ["issues/2026-10/book-clubs/print-a4.pdf",
                                                 "issues/2026-10/book-clubs/print-letter.pdf"]
    assert {"web/index.html", "web/feed.xml"} <= set(result.files)


def test_every_channel_carries_the_same_stories(project):
    loaded, _ = load(project)
    by_channel = {v.channel: [s.path for s in v.stories] for v in build_variants(loaded)
                  if v.audience.id == "chitateli-ru"}
    assert len(set(map(tuple, by_channel.values()))) == 1


def test_the_example_has_an_audience_that_prefers_mail(repo):
    loaded, _ = load(repo)
    assert any(a.channels != ["email"] and "print" in a.channels for a in loaded.audiences.values())
