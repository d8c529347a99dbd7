"""What `suggest` shows from past results: click rates by story kind and featured customer."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from newsletter.build import load
from newsletter.cli import main
from newsletter.core.diagnostics import Diagnostics
from newsletter.results.learn import learn

LINK = ("https://cafezal.example/s?utm_campaign=2026-10&utm_content={story}&utm_term=new-subscribers")


def test_rates_by_kind_and_customer(example: Path):
    folder = example / "content/results/2026-10"
    shutil.rmtree(folder)
    folder.mkdir()
    events = [{"event": "delivered", "email": f"{n}@x.example"} for n in range(4)]
    events += [{"event": "click", "email": "0@x.example", "url": LINK.format(story="lucy-hart-spotlight")},
               {"event": "click", "email": "1@x.example", "url": LINK.format(story="lucy-hart-spotlight")},
               {"event": "click", "email": "1@x.example", "url": LINK.format(story="grind-size-guide")}]
    (folder / "sendgrid-new-subscribers.json").write_text(json.dumps(events), encoding="utf-8")
    project, _ = load(example)
    learned = learn(project, Diagnostics())["new-subscribers"].to_dict()
    kinds = {k["kind"]: (k["unique_clicks"], k["delivered"]) for k in learned["kinds"]}
    assert kinds["spotlight"] == (2, 4) and kinds["guide"] == (1, 4)
    assert learned["kinds"][0]["kind"] == "spotlight"
    assert learned["customers"] == [{"customer": "Lucy Hart", "unique_clicks": 2, "delivered": 4,
                                     "stories": 1, "click_rate": 0.5}]


def test_suggest_shows_results_beside_its_list(example: Path):
    result = CliRunner().invoke(main, ["suggest", "--project", str(example), "--month", "2026-12",
                                       "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert set(data["from_results"]) == {"new-subscribers", "cafe-owners", "baristas-br", "home-brewers-ru"}
    text = CliRunner().invoke(main, ["suggest", "--project", str(example), "--month", "2026-12"]).output
    assert "the list above is not reordered by them" in text
