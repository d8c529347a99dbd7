"""Tests for newsletter.render.plaintext: Markdown to plain text for email."""

from newsletter.render.plaintext import TextRenderer
from newsletter.render.wrapping import display_width

from .sample_texts import CHINESE

SENTINEL = "\ue000first_name\ue001there\ue002"

STORY = """\
Last spring Ana Ribeiro turned Padaria Ribeiro, a corner bakery in Porto, into the
place the whole street queues at before work. She swapped the old drip machine for a
two-group espresso machine, trained her team every Tuesday afternoon, and started
roasting a seasonal house blend with us. Morning sales went up by 42 percent.
"""


def assert_clean(text, width=72):
    """No trailing whitespace, no trailing blank line, no overlong line."""
    assert text == text.strip("\n")
    for line in text.split("\n"):
        assert line == line.rstrip(), repr(line)
        assert display_width(line) <= width, repr(line)


def test_headings():
    out = TextRenderer().markdown(
        "# Autumn at Cafézal\n\n## New on the menu\n\n### Pumpkin spice latte\n\n"
        "#### Кофе недели\n\n### 本月精选"
    )
    assert out.split("\n\n") == [
        "Autumn at Cafézal\n=================",
        "New on the menu\n---------------",
        "PUMPKIN SPICE LATTE",
        "КОФЕ НЕДЕЛИ",
        "本月精选",
    ]


def test_heading_underline_uses_display_width():
    out = TextRenderer().markdown("# 秋季新品")
    assert out == "秋季新品\n" + "=" * 8


def test_paragraphs_emphasis_code_and_entities():
    out = TextRenderer().markdown(
        "Our *single origin* is **back**: use `1:16` for a pour-over.\n\n"
        "Beans &amp; brewers, 10&nbsp;% off."
    )
    assert out == (
        "Our single origin is back: use 1:16 for a pour-over.\n\n"
        "Beans & brewers, 10\u00a0% off."
    )


def test_soft_and_hard_breaks():
    r = TextRenderer()
    assert r.markdown("Fresh beans\nevery Monday.") == "Fresh beans every Monday."
    assert r.markdown("新鲜咖啡豆\n每周一到货。") == "新鲜咖啡豆每周一到货。"
    assert r.markdown("Cafézal  \nRua das Flores 12\\\nPorto") == (
        "Cafézal\nRua das Flores 12\nPorto"
    )


def test_nested_lists():
    source = """\
Your first week with the subscription:

- Unpack the beans and keep them in the resealable bag, away from light, heat and
  moisture, so they stay fresh for the whole month.
- Dial in your grinder:
  - espresso: fine, like table salt
  - pour-over: medium
    1. bloom with 40 g of water
    2. pour the rest in slow circles

1. Weigh 18 g of coffee.
2. Brew and enjoy.
"""
    out = TextRenderer(width=60).markdown(source)
    assert out == """\
Your first week with the subscription:

- Unpack the beans and keep them in the resealable bag, away
  from light, heat and moisture, so they stay fresh for the
  whole month.
- Dial in your grinder:
  - espresso: fine, like table salt
  - pour-over: medium
    1. bloom with 40 g of water
    2. pour the rest in slow circles

1. Weigh 18 g of coffee.
2. Brew and enjoy."""
    assert_clean(out, 60)


def test_loose_ordered_list_keeps_blank_lines_and_start():
    out = TextRenderer().markdown("3. Grind\n\n   Just before brewing.\n\n4. Brew\n")
    assert out == "3. Grind\n\n   Just before brewing.\n\n4. Brew"


def test_blockquote():
    source = (
        "> The flat white at Cafézal is the best in town, and the baristas remember "
        "my name and my order every single morning.\n>\n> — Ivan Petrov"
    )
    out = TextRenderer(width=40).markdown(source)
    lines = out.split("\n")
    assert lines[0].startswith("> The flat white")
    assert all(line.startswith("> ") or line == ">" for line in lines)
    assert lines[-2:] == [">", "> — Ivan Petrov"]
    assert_clean(out, 40)


def test_code_block_indented_and_not_wrapped():
    long_cmd = "brew --method v60 --dose 18g --water 288g --temperature 94C --bloom 40g --time 3m"
    out = TextRenderer(width=40).markdown(f"Recipe:\n\n```\n{long_cmd}\n```")
    assert out == f"Recipe:\n\n    {long_cmd}"


def test_links_numbered_across_calls_and_reused():
    r = TextRenderer()
    first = r.markdown(
        "Read [Ana's story](https://cafezal.example/community/ana) and "
        "[order the house blend](https://cafezal.example/shop/house-blend)."
    )
    second = r.markdown(
        "Visit [our shop](https://cafezal.example/shop/house-blend) or "
        "[meet the roasters](https://cafezal.example/roastery)."
    )
    assert first == "Read Ana's story [1] and order the house blend [2]."
    assert second == "Visit our shop [2] or meet the roasters [3]."
    assert r.references() == (
        "[1] https://cafezal.example/community/ana\n"
        "[2] https://cafezal.example/shop/house-blend\n"
        "[3] https://cafezal.example/roastery"
    )
    assert r.link("https://cafezal.example/roastery") == 3
    assert r.link("https://cafezal.example/gift-cards") == 4


def test_references_empty_and_autolinks_unnumbered():
    r = TextRenderer()
    assert r.references() == ""
    out = r.markdown(
        "Order at <https://cafezal.example/shop> or "
        "[https://cafezal.example/menu](https://cafezal.example/menu)."
    )
    assert out == "Order at https://cafezal.example/shop or https://cafezal.example/menu."
    assert r.references() == ""


def test_mailto_links():
    out = TextRenderer().markdown(
        "Questions? Write to [our barista team](mailto:baristas@cafezal.example) "
        "or <hello@cafezal.example>."
    )
    assert out == (
        "Questions? Write to our barista team <baristas@cafezal.example> or\n"
        "hello@cafezal.example."
    )


def test_images_show_alt_text_only():
    r = TextRenderer()
    out = r.markdown(
        "![Ana pulling an espresso behind the counter](https://cdn.cafezal.example/ana.jpg)\n\n"
        "![](https://cdn.cafezal.example/spacer.gif)"
    )
    assert out == "[image: Ana pulling an espresso behind the counter]\n\n[image]"
    assert "cdn.cafezal.example" not in out
    assert r.references() == ""


def test_raw_html_blocks_read_as_text_and_scripts_dropped():
    source = """\
<div>x</div>

<script>alert(1)</script>

Our <b>cold brew</b> is back <script>alert(1)</script>for the summer.<br>

<!-- tracking pixel -->
"""
    out = TextRenderer().markdown(source)
    # A block written as HTML says the same in the text part; scripts and comments say nothing.
    assert out == "x\n\nOur cold brew is back for the summer."
    for debris in ("<script>alert(1)</script>", "<div>x</div>", "alert", "<", "tracking"):
        assert debris not in out


def test_thematic_break_and_table():
    out = TextRenderer().markdown(
        "Prices\n\n---\n\n| Drink | Price |\n|---|---|\n| Flat white | €3.50 |\n| Cortado | €2.80 |"
    )
    assert out == (
        "Prices\n\n" + "-" * 20 + "\n\nDrink | Price\nFlat white | €3.50\nCortado | €2.80"
    )


def test_long_english_paragraph_wraps_to_72():
    out = TextRenderer().markdown(STORY)
    assert_clean(out)
    assert len(out.split("\n")) > 3
    assert " ".join(out.split()) == " ".join(STORY.split())


def test_markdown_chinese_paragraph():
    out = TextRenderer(width=30).markdown(CHINESE)
    assert_clean(out, 30)
    assert all(not line.startswith(("，", "。")) for line in out.split("\n"))


def test_long_url_stays_whole():
    url = "https://cafezal.example/subscriptions/manage?utm_source=newsletter&utm_campaign=autumn-2026"
    out = TextRenderer(width=40).markdown(f"Manage it at <{url}> anytime.")
    assert url in out.split("\n")


def test_sentinel_in_markdown_is_kept_and_not_uppercased():
    r = TextRenderer(width=40)
    out = r.markdown(f"### Good news, {SENTINEL}\n\nHi *{SENTINEL}*, your **Kenya AA** is roasted.")
    assert out == f"GOOD NEWS, {SENTINEL}\n\nHi {SENTINEL}, your Kenya AA is roasted."


def test_sentinel_inside_link_url():
    r = TextRenderer()
    url = f"https://cafezal.example/account?name={SENTINEL}"
    assert r.markdown(f"[Update your preferences]({url})") == "Update your preferences [1]"
    assert r.references() == f"[1] {url}"


def test_paragraph_helper():
    r = TextRenderer(width=30)
    text = "One-line hook: how Ana turned a corner bakery into a coffee destination."
    out = r.paragraph(text, indent="  ")
    assert all(line.startswith("  ") for line in out.split("\n"))
    assert_clean(out, 30)
    assert " ".join(out.split()) == text


def test_no_trailing_whitespace_anywhere():
    source = (
        "# Hello   \n\n> Quote with trailing spaces   \n>\n> second para\n\n"
        "- item one   \n\n- item two\n\n```\ncode line   \n\n```\n\n\n\n"
    )
    out = TextRenderer().markdown(source)
    assert_clean(out)
    assert TextRenderer().markdown("") == ""


def test_heading_keeps_urls_and_code_case():
    out = TextRenderer().markdown("### Order at https://cafezal.example/Shop with `Code10`")
    assert out == "ORDER AT https://cafezal.example/Shop WITH Code10"


def test_strikethrough_keeps_markers():
    assert TextRenderer().markdown("Bag of beans: ~~€12~~ €9") == "Bag of beans: ~~€12~~ €9"


def test_list_item_with_quote_and_code():
    out = TextRenderer().markdown("- Tip:\n  > Rinse the paper filter first.\n")
    assert out == "- Tip:\n  > Rinse the paper filter first."


def test_a_kept_layout_gives_the_text_of_a_fresh_render_whatever_the_link_numbers():
    """Sources are parsed and wrapped once per width of their link numbers; the numbers are
    filled in per message. Ten links take the numbers past 9, which widens lines."""
    links = " ".join(f"See [offer {i}](https://cafezal.example/o/{i}) today." for i in range(12))
    source = f"{STORY}\n{links}\n\n### A [heading link](https://cafezal.example/h)\n\n" \
             f"> quoted [link](https://cafezal.example/q) and `code`\n\n{CHINESE} [链接](https://cafezal.example/zh)\n"
    for before in (0, 5, 95):  # links numbered earlier in the message
        kept, fresh = TextRenderer(width=40), TextRenderer(width=40)
        for n in range(before):
            kept.link(f"https://earlier.example/{n}")
            fresh.link(f"https://earlier.example/{n}")
        assert kept.markdown(source) == fresh._render(source)
        assert kept.references() == fresh.references()
        assert "[100]" in kept.markdown(source) or before < 95


def test_text_that_holds_placeholder_characters_is_rendered_as_usual():
    source = "A private character \ue100\ue101 and a [link](https://cafezal.example/)."
    out = TextRenderer()
    assert out.markdown(source) == TextRenderer()._render(source)
    assert "\ue100\ue101" in out.markdown(source) and "[1]" in out.markdown(source)


def test_text_from_the_shared_tokens_is_what_the_text_parser_makes():
    from markdown_it import MarkdownIt

    from newsletter.content.markdown import (
        literal_merge_tags,
        text_link,
        to_html,
        tokens,
    )
    from newsletter.render.plaintext import _tree
    # The text parser as it was before the tokens were shared: URLs written as text at parse time.
    before = literal_merge_tags(MarkdownIt("commonmark").enable(["strikethrough", "table"]))
    before.normalizeLink, before.normalizeLinkText = text_link, (lambda url: url)
    sources = ["[ä ö](https://bücher.example/ä ö) <https://xn--bcher-kva.example/%C3%A4> <mail@bücher.example>",
               "![see <https://bücher.example/%E2%82%AC>](https://cdn.example/a b.png) [r][]\n\n[r]: <https://e.example/a b>",
               "[a](< javascript:alert(1)>) [b](https://ok.example)"]  # the last: each parses alone
    for source in sources:
        to_html(source)  # the HTML first, as in a message: the text reads its tokens
        shared, own, old = TextRenderer(), TextRenderer(), TextRenderer()
        text = shared.markdown(source)
        assert text == own._render(source, ([], _tree(own._md.parse(source))))
        assert text == old._render(source, ([], _tree(before.parse(source))))
        assert shared.references() == own.references() == old.references()
    assert tokens(sources[0]) is not None and tokens(sources[2]) is None
