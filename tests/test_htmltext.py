"""HtmlText: the paragraphs, links and image alt texts a block of HTML says."""

from newsletter.render.htmltext import HtmlText


def read(html: str) -> list[list[tuple[str, str, str]]]:
    reader = HtmlText()
    reader.feed(html)
    reader.close()
    return [p for p in reader.paragraphs if p]


def test_blocks_make_paragraphs_and_links_keep_their_address():
    assert read('<p>Hi <a href="https://x.example/a">there</a></p><div>Next &amp; last</div>') == [
        [("text", "Hi ", ""), ("link", "there", "https://x.example/a")], [("text", "Next & last", "")]]


def test_scripts_and_styles_say_nothing_and_images_say_their_alt_text():
    assert read('<script>alert(1)</script><style>p{}</style><img src="a.png" alt="Ana at the bar">'
                '<img src="b.png">') == [[("text", "[image: Ana at the bar]", "")]]
