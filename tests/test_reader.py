"""Each kind of bad input gives one line naming file:line[:col], and all are reported at once."""

import subprocess
import sys
from pathlib import Path

from newsletter.core.diagnostics import Diagnostics
from newsletter.content.reader import PARALLEL_READ_FROM, read_project

from .conftest import edit


def errors(root: Path) -> list[str]:
    diagnostics = Diagnostics()
    read_project(root, diagnostics)
    return [str(d) for d in diagnostics.errors]


def test_minimal_project_reads_cleanly(minimal):
    diagnostics = Diagnostics()
    project = read_project(minimal, diagnostics)
    assert diagnostics.items == []
    assert set(project.stories) == {"mei-spotlight", "reading-habit-guide", "tom-testimonial", "club-questions-guide"}
    story = project.stories["tom-testimonial"]
    # Sanitised once at read time: scripts and their content are gone, markup kept.
    assert "<script" not in story.body_html and "alert(1)" not in story.body_html
    assert "<b>two books</b>" in story.body_html
    assert project.stories["mei-spotlight"].image_url == "https://news.lumen.example/assets/images/mei.png"
    assert project.assets["assets/images/mei.png"].startswith(b"\x89PNG")


def test_bad_yaml_in_front_matter(minimal):
    edit(minimal / "content/stories/tom-testimonial.md", "kind: testimonial", "kind: [testimonial")
    # One error, at the real place; the issue that uses the story does not add a second one.
    assert errors(minimal) == [
        "content/stories/tom-testimonial.md:4:5: error: invalid YAML: expected ',' or ']', but got ':' [syntax]"]


def test_wrong_type_and_unknown_kind(minimal):
    edit(minimal / "content/stories/reading-habit-guide.md", "kind: guide", "kind: tutorial")
    edit(minimal / "content/stories/reading-habit-guide.md", "date: 2026-10-02", "date: last tuesday")
    found = errors(minimal)
    assert any(e.startswith("content/stories/reading-habit-guide.md:3:7: error: kind: Input should be") for e in found)
    assert any(e.startswith("content/stories/reading-habit-guide.md:4:7: error: date:") for e in found)


def test_unknown_key_warns_with_suggestion(minimal):
    edit(minimal / "content/stories/reading-habit-guide.md", "summary:", "sumary:")
    diagnostics = Diagnostics()
    read_project(minimal, diagnostics)
    assert [str(w) for w in diagnostics.warnings] == [
        "content/stories/reading-habit-guide.md:5:1: warning: unknown key 'sumary'; did you mean 'summary'? [unknown-key]"]


def test_missing_story_audience_and_image(minimal):
    edit(minimal / "content/issues/2026-10.md", "stories: [tom-testimonial, mei-spotlight]",
         "stories: [tom-testimonial, no-such-story]")
    edit(minimal / "content/stories/tom-testimonial.md", "audiences: [new-readers]", "audiences: [new-reader]")
    edit(minimal / "content/stories/mei-spotlight.md", "src: images/mei.png", "src: images/missing.png")
    found = errors(minimal)
    assert "content/issues/2026-10.md:8:32: error: unknown story 'no-such-story': no content/stories/no-such-story.md [unknown-story]" in found
    assert any(e.startswith("content/stories/tom-testimonial.md:10:13: error: unknown audience 'new-reader'") for e in found)
    assert "content/stories/mei-spotlight.md:15:8: error: image not found: content/images/missing.png [missing-image]" in found


def test_image_path_cannot_escape_content(minimal):
    edit(minimal / "content/stories/mei-spotlight.md", "src: images/mei.png", "src: ../newsletter.toml")
    assert any("must stay inside content/" in e for e in errors(minimal))


def test_kind_requirements(minimal):
    edit(minimal / "content/stories/tom-testimonial.md",
         'quote:\n  text: "My old newsletter tool greeted me with *|FNAME|* and {{first_name}}. Lumen\'s felt like a person wrote it."\n', "")
    found = errors(minimal)
    assert found == ["content/stories/tom-testimonial.md:3:7: error: a testimonial needs a 'quote:' with the customer's words [missing-quote]"]


def test_unknown_tier(minimal):
    edit(minimal / "content/stories/tom-testimonial.md", "tier: platinum", "tier: diamond")
    assert any(e.startswith("content/stories/tom-testimonial.md:8:9: error: unknown loyalty tier 'diamond'") for e in errors(minimal))


def test_bad_merge_tag_is_reported_at_its_column(minimal):
    edit(minimal / "content/issues/2026-10.md", "Hi {{ first_name | there }},", "Hi {{ firstname | there }},")
    assert errors(minimal) == [
        "content/issues/2026-10.md:21:4: error: unknown personalisation field 'firstname' (known: first_name, last_name, company) [merge-tag]"]


def test_unclosed_if_block(minimal):
    edit(minimal / "content/issues/2026-10.md", "This month:", "{% if unused_benefits %}\nThis month:")
    assert errors(minimal) == [
        "content/issues/2026-10.md:23:1: error: {% if %} is never closed: add {% endif %} [merge-tag]"]


def test_section_needs_stories_or_pick(minimal):
    edit(minimal / "content/issues/2026-10.md", "    pick: {kind: [guide], newest: 1}\n", "")
    assert any("a section needs either 'stories:'" in e for e in errors(minimal))


def test_non_utf8_file(minimal):
    (minimal / "content/stories/latin1.md").write_bytes("---\ntitle: Caf\xe9\n---\n".encode("latin-1"))
    assert "content/stories/latin1.md:2:11: error: not UTF-8 text (invalid continuation byte); save the file as UTF-8 [encoding]" in errors(minimal)


def test_broken_audiences_file_is_reported_once(minimal):
    edit(minimal / "content/audiences.yml", "- id: book-clubs", "\t- id: book-clubs")
    assert errors(minimal) == ["content/audiences.yml:7:1: error: invalid YAML: found character '\\t' that cannot start any token [syntax]"]


def test_bad_file_name(minimal):
    (minimal / "content/stories/My Story.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert any("file name 'My Story.md' must be lower-case" in e for e in errors(minimal))


def test_sentinel_characters_are_stripped_from_story_text(minimal):
    edit(minimal / "content/stories/tom-testimonial.md", "two books", "two\ue000first_name\ue001\ue002 books")
    diagnostics = Diagnostics()
    project = read_project(minimal, diagnostics)
    assert "\ue000" not in project.stories["tom-testimonial"].body_html


def test_every_error_at_once(minimal):
    edit(minimal / "content/stories/tom-testimonial.md", "tier: platinum", "tier: diamond")
    edit(minimal / "content/stories/reading-habit-guide.md", "kind: guide", "kind: tutorial")
    (minimal / "newsletter.toml").write_text((minimal / "newsletter.toml").read_text().replace(
        'website = "https://lumen.example"', 'website = "lumen.example"'))
    found = errors(minimal)
    assert len(found) == 3
    assert {e.split(":")[0] for e in found} == {
        "newsletter.toml", "content/stories/tom-testimonial.md", "content/stories/reading-habit-guide.md"}


def test_same_story_id_in_a_subfolder_is_an_error(minimal):
    (minimal / "content/stories/old").mkdir()
    (minimal / "content/stories/old/tom-testimonial.md").write_text(
        (minimal / "content/stories/tom-testimonial.md").read_text(encoding="utf-8"), encoding="utf-8")
    assert any("duplicate story id 'tom-testimonial'" in e for e in errors(minimal))


def test_local_image_names_are_url_encoded(minimal):
    (minimal / "content/images/mei.png").rename(minimal / "content/images/mei at the shop.png")
    edit(minimal / "content/stories/mei-spotlight.md", "src: images/mei.png", "src: images/mei at the shop.png")
    diagnostics = Diagnostics()
    project = read_project(minimal, diagnostics)
    assert project.stories["mei-spotlight"].image_url == "https://news.lumen.example/assets/images/mei%20at%20the%20shop.png"


_READ_BOTH_WAYS = """
import resource, sys
from pathlib import Path
from newsletter.content.reader import read_project
from newsletter.core.diagnostics import Diagnostics

def read(readers):
    found = Diagnostics()
    return read_project(Path(sys.argv[1]), found, readers=readers), [str(item) for item in found.items]

def children_cpu():
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime

(one, one_found), before = read(1), children_cpu()
two, two_found = read(2)
print(children_cpu() > before)
print(list(one.stories) == list(two.stories) and one.stories == two.stories and one.assets == two.assets
      and sorted(one.issues) == sorted(two.issues))
print(one_found == two_found)
print(len(one.stories), len([item for item in one_found if ": error:" in item]))
print(" ".join(item.split(":")[0] for item in two_found if item.startswith("content/stories/")))
"""


def test_many_story_files_read_by_two_processes_give_the_same_project_and_findings_in_order(minimal):
    story = (minimal / "content/stories/tom-testimonial.md").read_text(encoding="utf-8")
    for n in range(PARALLEL_READ_FROM + 40):
        text = story.replace("tier: platinum", "tier: diamond") if n in (17, 201) else story
        (minimal / f"content/stories/extra-{n:03d}.md").write_text(text, encoding="utf-8")
    (minimal / "content/stories/extra-150.md").write_text("---\ntitle: [unclosed\n---\nbody\n", encoding="utf-8")
    (minimal / "content/stories/old").mkdir()
    (minimal / "content/stories/old/extra-100.md").write_text(story, encoding="utf-8")  # a duplicate id
    (minimal / "content/stories/Bad Name.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    # A fresh interpreter: no other thread, so the reader forks (its CPU shows as a child's).
    done = subprocess.run([sys.executable, "-c", _READ_BOTH_WAYS, str(minimal)], capture_output=True,
                          text=True, check=True)
    forked, same_project, same_findings, counts, files = done.stdout.splitlines()
    assert (forked, same_project, same_findings) == ("True", "True", "True")
    stories, errors_found = map(int, counts.split())
    assert stories == 4 + PARALLEL_READ_FROM + 40 - 1  # extra-150 does not read
    assert errors_found >= 5  # two tiers, the YAML, the duplicate id, the file name
    # In the order of the files, as one process reads them: findings before a read (the
    # name, the duplicate id) and from it alike.
    assert files.replace("Bad Name", "Bad_Name").split() == [
        "content/stories/Bad_Name.md", "content/stories/extra-017.md", "content/stories/extra-150.md",
        "content/stories/extra-201.md", "content/stories/old/extra-100.md"]
