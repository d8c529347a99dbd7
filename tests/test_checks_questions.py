"""The four questions: a fixture broken in one way per test, asserting the exact finding."""

from .checkhelpers import findings, verdicts
from .conftest import edit

ISSUE = "content/issues/2026-10.md"


def test_minimal_fixture_passes_everything(minimal):
    for audience in ("new-readers", "book-clubs"):
        assert set(verdicts(minimal, audience).values()) == {"pass"}


def test_q1_no_social_proof_names_candidates(minimal):
    edit(minimal / ISSUE, "stories: [tom-testimonial, mei-spotlight]", "stories: [mei-spotlight]")
    assert findings(minimal, "q1-social-proof", "new-readers") == [(
        "error", f"{ISSUE}:7:3",
        "no social proof for 'new-readers': no top-tier customer is featured with what they did",
        "add a testimonial, spotlight or case study from a gold/platinum-tier customer; "
        "candidates: tom-testimonial (testimonial, Tom Baker, platinum)")]
    assert verdicts(minimal, "new-readers")["1"] == "fail"


def test_q1_expired_consent_is_an_error_and_does_not_count(minimal):
    edit(minimal / "content/stories/tom-testimonial.md", "expires: 2027-01-01", "expires: 2026-09-30")
    assert findings(minimal, "q1-consent") == [(
        "error", "content/stories/tom-testimonial.md:15:12",
        "tom-testimonial: Tom Baker consent expired 2026-09-30 (send date 2026-10-05); this story must not be sent",
        "renew the customer's consent (update consent.granted/expires) or remove the story from the issue")]
    assert findings(minimal, "q1-social-proof", "new-readers")[0][2].startswith("no social proof")


def test_q1_missing_consent(minimal):
    edit(minimal / "content/stories/tom-testimonial.md", "consent:\n  granted: 2026-01-01\n  expires: 2027-01-01\n", "")
    [(severity, where, message, _)] = findings(minimal, "q1-consent")
    assert (severity, where) == ("error", "content/stories/tom-testimonial.md:6:3")
    assert message == "tom-testimonial: Tom Baker has no publication consent on record; this story must not be sent"


def test_q1_lower_tier_does_not_count(minimal):
    edit(minimal / "content/stories/tom-testimonial.md", "tier: platinum", "tier: silver")
    assert verdicts(minimal, "new-readers")["1"] == "fail"


def test_q2_no_educational_piece(minimal):
    edit(minimal / ISSUE, "    pick: {kind: [guide], newest: 1}", "    pick: {kind: [news], newest: 1}")
    assert findings(minimal, "q2-educational", "new-readers") == [(
        "error", f"{ISSUE}:7:3", "no educational piece for 'new-readers'",
        "add a guide that helps this audience use what they bought: what to do, how, and why")]


def _promo(minimal, audiences="[book-clubs]", words=40):
    (minimal / "content/stories/autumn-offer.md").write_text(
        "---\ntitle: 秋季书单八折\nkind: promo\ndate: 2026-10-01\nlocale: zh-CN\n"
        f"audiences: {audiences}\ntags: [clubs]\n---\n" + "限时优惠，读书会订阅八折。" * words + "\n", encoding="utf-8")
    edit(minimal / ISSUE, "stories: [tom-testimonial, mei-spotlight]", "stories: [tom-testimonial, mei-spotlight, autumn-offer]")


def test_q2_promotion_over_share(minimal):
    _promo(minimal)
    [(severity, where, message, _)] = findings(minimal, "q2-promo-share", "book-clubs")
    assert (severity, where) == ("error", "content/stories/autumn-offer.md:3:7")
    assert message.startswith("promotion is 1/3 pieces, ") and message.endswith("over the 30% limit (autumn-offer)")


def test_q2_promo_to_early_stage_audience_fails(minimal):
    _promo(minimal, audiences="[new-readers]", words=1)
    assert findings(minimal, "q2-early-promo", "new-readers") == [(
        "error", "content/stories/autumn-offer.md:3:7",
        "autumn-offer: an offer (discount '八折', urgency '限时') sent to 'new-readers', who are in the "
        "onboarding stage",
        "early on, help them use what they bought; limit the story's audiences")]


def test_q2_all_promotion_fails(minimal):
    _promo(minimal)
    edit(minimal / ISSUE, "stories: [tom-testimonial, mei-spotlight, autumn-offer]", "stories: [autumn-offer]")
    edit(minimal / ISSUE, "    pick: {kind: [guide], newest: 1}", "    pick: {kind: [promo], newest: 1}")
    assert findings(minimal, "q2-promo-share", "book-clubs")[0][:3] == (
        "error", f"{ISSUE}:7:3", "every piece is promotion (1/1 pieces, 96% of words)")


def test_q2_hidden_promotion(minimal):
    edit(minimal / "content/stories/reading-habit-guide.md", "Read for 20 minutes", "Get 20% off the planner. Read for 20 minutes")
    assert findings(minimal, "q2-hidden-promo") == [(
        "error", "content/stories/reading-habit-guide.md:3:7",
        "reading-habit-guide: an offer written as a guide (discount '20% off')",
        "declare it kind: promo (it is labelled as an offer), or take the sales wording out")]


def test_q3_no_personalisation(minimal):
    edit(minimal / ISSUE, 'subject: "{{ first_name | Reader }}, the 20-minute habit"', 'subject: "The 20-minute habit"')
    edit(minimal / ISSUE, "Hi {{ first_name | there }},", "Hi,")
    assert findings(minimal, "q3-greeting", "new-readers") == [(
        "error", f"{ISSUE}:21:1",
        "no personalisation: nothing in the subject, preheader or intro uses the recipient's data",
        "start the intro with a greeting such as 'Hi {{ first_name | there }},'")]


def test_q3_tag_without_fallback(minimal):
    edit(minimal / ISSUE, "Hi {{ first_name | there }},", "Hi {{ first_name }},")
    assert findings(minimal, "q3-greeting", "new-readers") == [(
        "error", f"{ISSUE}:21:4", "{{ first_name }} has no fallback: recipients without it see a gap",
        "write {{ first_name | ... }} with a fallback")]


def test_q3_boilerplate_and_no_second_person(minimal):
    edit(minimal / ISSUE, "Hi {{ first_name | there }},\n\nThis month: Tom's first month with us, and a habit you can start tonight.",
         "Dear valued customer,\n\nThis month: Tom's first month with us, and a reading habit.")
    found = findings(minimal, "q3-tone", "new-readers")
    assert [(s, w, m) for s, w, m, _ in found] == [
        ("error", f"{ISSUE}:21:1", "the intro reads like a form letter ('Dear valued customer')"),
        ("warning", f"{ISSUE}:21:1", "the message never addresses the reader directly (no second person)")]


def test_q3_russian_boilerplate(minimal):
    edit(minimal / ISSUE, "      {{ first_name | 朋友 }}，你好！", "      尊敬的客户：")
    found = findings(minimal, "q3-tone", "book-clubs")
    assert found[0][:3] == ("error", f"{ISSUE}:16:12", "the intro reads like a form letter ('尊敬的客户')")


def test_q3_story_language_differs_from_audience(minimal):
    edit(minimal / "content/stories/reading-habit-guide.md", "audiences: [new-readers]\n", "")
    edit(minimal / "content/stories/reading-habit-guide.md", "date: 2026-10-02", "date: 2026-10-04")
    assert findings(minimal, "q3-language", "book-clubs") == [(
        "error", "content/stories/reading-habit-guide.md:2:8",
        "reading-habit-guide is in en but 'book-clubs' reads zh-CN", "translate the story or limit its audiences")]


def test_q3_stories_match_nothing_the_audience_cares_about(minimal):
    edit(minimal / "content/audiences.yml", "interests: [reading-habits]", "interests: [poetry]")
    [(severity, where, message, _)] = findings(minimal, "q3-audience-fit", "new-readers")
    assert (severity, where, message) == ("warning", "content/audiences.yml:1:7",
                                          "none of the stories matches what 'new-readers' cares about")


def test_q4_size_limits(minimal):
    long_text = ("Readers who keep a log finish more books, and here is why that works for you. " * 12 + "\n\n") * 90
    path = minimal / "content/stories/reading-habit-guide.md"
    path.write_text(path.read_text(encoding="utf-8") + long_text, encoding="utf-8")
    [(severity, _, message, _)] = findings(minimal, "q4-size", "new-readers")
    assert severity == "error" and message.startswith("HTML is 1") and "clips messages over ~102 KB" in message
