"""Per-locale story versions (<id>.<locale>.md): the fallback rule, errors, q3-language."""

import shutil

import pytest

from newsletter.build import build, load
from newsletter.core.diagnostics import BuildError
from newsletter.compose.selection import build_variants, variant, version_for

from .conftest import FIXTURES, edit

STORIES = "content/stories"


@pytest.fixture
def project(tmp_path):
    target = tmp_path / "multichannel"
    shutil.copytree(FIXTURES / "multichannel", target)
    return target


def stories_of(root, audience, channel="email"):
    loaded, _ = load(root)
    found = next(v for v in build_variants(loaded) if v.audience.id == audience and v.channel == channel)
    return [(s.id, s.locale, s.path) for s in found.stories]


def test_exact_locale_then_bare_language_then_base(project):
    assert stories_of(project, "leitores-br") == [
        ("tom-testimonial", "pt-BR", f"{STORIES}/tom-testimonial.pt-BR.md"),  # exactly pt-BR
        ("reading-habit-guide", "pt", f"{STORIES}/reading-habit-guide.pt.md"),  # the bare language
    ]
    assert stories_of(project, "new-readers") == [
        ("tom-testimonial", "en", f"{STORIES}/tom-testimonial.md"),  # the base file
        ("reading-habit-guide", "en", f"{STORIES}/reading-habit-guide.md"),
    ]


def test_another_region_of_the_language_before_the_base(project):
    (project / STORIES / "reading-habit-guide.pt.md").rename(project / STORIES / "reading-habit-guide.pt-PT.md")
    assert stories_of(project, "leitores-br")[1][1:] == ("pt-PT", f"{STORIES}/reading-habit-guide.pt-PT.md")
    (project / STORIES / "reading-habit-guide.pt-PT.md").unlink()
    assert stories_of(project, "leitores-br")[1][1:] == ("en", f"{STORIES}/reading-habit-guide.md")


def test_the_base_counts_in_its_own_locale(project):
    loaded, _ = load(project)
    story = loaded.stories["tom-testimonial"]
    assert sorted(story.versions) == ["pt-BR"]
    assert version_for(story, "en-GB").path == f"{STORIES}/tom-testimonial.md"
    assert version_for(story, "pt").path == f"{STORIES}/tom-testimonial.pt-BR.md"
    assert version_for(story, "ru").path == f"{STORIES}/tom-testimonial.md"
    # Versions are not stories of their own: picks and issues see one id.
    assert sorted(loaded.stories) == sorted(p.name.split(".")[0] for p in (project / STORIES).glob("*.md")
                                            if p.name.count(".") == 1)


def test_a_recipient_locale_chooses_versions_and_fixed_words(project):
    loaded, _ = load(project)
    issue, audience = loaded.issues["2026-10"], loaded.audiences["new-readers"]
    portuguese = variant(loaded, issue, audience, "email", "pt-BR")
    assert portuguese.locale == "pt-BR"
    assert [s.locale for s in portuguese.stories] == ["pt-BR", "pt"]
    assert [section.title for section in portuguese.sections] == ["Dos nossos leitores", "Leia mais"]
    assert variant(loaded, issue, audience, "email").locale == "en"


def test_versions_are_rendered_in_every_channel(project):
    result = build(project)
    html = (result.out_dir / "issues/2026-10/leitores-br/email.html").read_text(encoding="utf-8")
    assert "O primeiro mês do Tom" in html and "Um hábito de leitura de 20 minutos" in html
    assert "Tom's first month" not in html
    page = (result.out_dir / "web/issues/2026-10/leitores-br/index.html").read_text(encoding="utf-8")
    assert "O primeiro mês do Tom" in page
    report = result.report.for_key("2026-10/leitores-br/email")
    assert [r for r in report.results if r.check.id == "q3-language" and not r.finding.passed] == []


def test_q3_language_flags_stories_in_another_language(project):
    (project / STORIES / "tom-testimonial.pt-BR.md").unlink()
    result = build(project)
    report = result.report.for_key("2026-10/leitores-br/email")
    [finding] = [r for r in report.results if r.check.id == "q3-language" and not r.finding.passed]
    assert finding.severity == "error"
    assert finding.finding.message == "tom-testimonial is in en but 'leitores-br' reads pt-BR"
    assert str(finding.finding.location) == f"{STORIES}/tom-testimonial.md:2:8"


def _errors(root) -> str:
    with pytest.raises(BuildError) as info:
        build(root)
    return str(info.value)


def test_a_version_must_keep_the_facts(project):
    edit(project / STORIES / "tom-testimonial.pt-BR.md", "tier: platinum", "tier: gold")
    assert f"{STORIES}/tom-testimonial.pt-BR.md:8:9: error: 'customer.tier' differs from {STORIES}/tom-testimonial.md" \
        in _errors(project)


def test_a_version_needs_its_base_file(project):
    (project / STORIES / "olga-spotlight.md").rename(project / STORIES / "olga-spotlight.ru.md")
    assert (f"{STORIES}/olga-spotlight.ru.md: error: a version of story 'olga-spotlight' but there is no "
            f"{STORIES}/olga-spotlight.md") in _errors(project)


def test_a_version_locale_is_the_one_in_its_name(project):
    edit(project / STORIES / "reading-habit-guide.pt.md", "summary:", "locale: es\nsummary:")
    assert f"{STORIES}/reading-habit-guide.pt.md:5:9: error: locale 'es' contradicts the file name" in _errors(project)


def test_a_file_name_suffix_must_be_a_locale(project):
    shutil.copy(project / STORIES / "reading-habit-guide.pt.md", project / STORIES / "reading-habit-guide.xx-QQ.md")
    assert "'xx-QQ' in 'reading-habit-guide.xx-QQ.md' is not a locale" in _errors(project)


def test_one_version_per_locale(project):
    shutil.copy(project / STORIES / "tom-testimonial.pt-BR.md", project / STORIES / "tom-testimonial.en.md")
    assert f"{STORIES}/tom-testimonial.en.md: error: story 'tom-testimonial' already has a version in en" \
        in _errors(project)


def test_versions_of_a_broken_base_wait_for_it(project):
    edit(project / STORIES / "tom-testimonial.md", "tier: platinum", "tier: [")
    errors = _errors(project)
    assert f"{STORIES}/tom-testimonial.md:" in errors
    assert "tom-testimonial.pt-BR.md" not in errors  # reported once, at the base file
