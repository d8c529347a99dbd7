"""Click attribution through the UTM tags the build adds."""

from __future__ import annotations

from newsletter.content.config import Utm
from newsletter.render.utm import tag_url
from newsletter.results.events import Attribution, attribute, recipient_key


def test_attribute_reads_issue_audience_and_story():
    url = ("https://cafezal.example/x?utm_source=s&utm_medium=email&utm_campaign=2026-10"
           "&utm_content=lucy-hart-spotlight&utm_term=new-subscribers")
    assert attribute(url) == Attribution("2026-10", "new-subscribers", "lucy-hart-spotlight")


def test_attribute_round_trips_what_the_build_writes_with_a_prefix():
    url = tag_url("https://cafezal.example/a?b=1", Utm(campaign_prefix="nl-"), "2026-11", "story-a", "cafe-owners")
    assert attribute(url, "nl-") == Attribution("2026-11", "cafe-owners", "story-a")
    assert attribute(url, "other-") is None


def test_links_without_our_tags_are_not_attributed():
    assert attribute("https://cafezal.example/email/unsubscribe") is None
    assert attribute("https://x.example/?utm_campaign=2026-10") is None  # no audience


def test_recipients_match_case_insensitively():
    assert recipient_key("  Ana@Example.COM ") == "ana@example.com"
