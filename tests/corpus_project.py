"""Turn one labelled corpus message (tests/corpus/messages/*.yml) into a tiny project folder.

The folder holds what the corpus item describes and nothing else: one newsletter.toml (the
item's brand), one audience, its stories, and either one issue or a welcome pack with one
step. The single section is titled with the issue's own title, so the harness adds no words
of its own in any language. A welcome item is one message sent on its `date`: the pack goes
live `day` days before and is reviewed the same day (one cohort of new customers), so the
step goes out on `date`, the day the corpus's consents are written to cover. `incentivized` and `disclosure`, which the corpus records as
facts about a story, become the story's real `incentivized` and `disclosure` fields.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import yaml

CORPUS = Path(__file__).resolve().parent / "corpus" / "messages"
QUESTIONS = ("q1", "q2", "q3", "q4")


def corpus() -> list[dict]:
    """Every labelled message, in file order (en, es, pt-BR, ru, zh-CN)."""
    items = []
    for path in sorted(CORPUS.glob("*.yml")):
        for item in yaml.safe_load(path.read_text(encoding="utf-8")):
            item["file"] = path.stem
            items.append(item)
    return items


def _dump(data) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000)


def _toml_string(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_project(item: dict, root: Path) -> Path:
    """Write the item as a project under `root` and return the folder."""
    audience = item["audience"]
    locale = audience.get("locale") or "en"
    brand = item["brand"]
    host = brand["website"].split("//", 1)[-1].strip("/")
    (root / "content" / "stories").mkdir(parents=True)
    (root / "newsletter.toml").write_text(
        "[project]\n"
        f'base_url = "https://news.{host}"\n'
        f"default_locale = {_toml_string(locale)}\n\n"
        "[brand]\n"
        f"name = {_toml_string(brand['name'])}\n"
        f"website = {_toml_string(brand['website'])}\n\n"
        "[sender]\n"
        f"name = {_toml_string(brand['name'])}\n"
        f'email = "news@{host}"\n\n'
        "[list]\n"
        f'id = "news.{host}"\n'
        f'unsubscribe_url = "{brand["website"].rstrip("/")}/unsubscribe"\n'
        f"postal_address = {_toml_string(brand['name'] + ', 1 Example Street, Example City')}\n",
        encoding="utf-8")
    (root / "content" / "audiences.yml").write_text(_dump([audience]), encoding="utf-8")
    ids = []
    for story in item["stories"]:
        meta = {k: v for k, v in story.items() if k not in ("id", "body")}
        (root / "content" / "stories" / f"{story['id']}.md").write_text(
            "---\n" + _dump(meta) + "---\n" + story["body"], encoding="utf-8")
        ids.append(story["id"])
    issue = dict(item["issue"])
    intro = issue.pop("intro", "")
    section = {"title": issue["title"], "stories": ids}
    if item["type"] == "welcome":
        (root / "content" / "welcome").mkdir()
        step = {"id": "step", "day": item.get("day", 0), "title": issue["title"],
                "subject": issue["subject"], "preheader": issue.get("preheader", ""),
                "intro": intro, "sections": [section]}
        live = issue["date"] - timedelta(days=item.get("day", 0))
        pack = {"title": issue["title"], "date": live, "review": live, "channels": [item["channel"]],
                "steps": [step]}
        (root / "content" / "welcome" / "pack.yml").write_text(_dump(pack), encoding="utf-8")
    else:
        (root / "content" / "issues").mkdir()
        meta = {**issue, "channels": [item["channel"]], "sections": [section]}
        (root / "content" / "issues" / "issue.md").write_text(
            "---\n" + _dump(meta) + "---\n" + intro, encoding="utf-8")
    return root
