from newsletter.content.markdown import to_html


def test_scripts_handlers_and_unsafe_urls_are_removed():
    html = to_html('<script>alert(1)</script>\n\n<img src="x.png" onerror="steal()">\n\n'
                   '[click](javascript:alert(1)) [data](data:text/html,hi) <a href="https://ok.example" onclick="x()">ok</a>')
    assert "<script" not in html and "alert(1)</script>" not in html
    assert "onerror" not in html and "onclick" not in html
    # Unsafe links stay visible as text but never become links.
    assert 'href="javascript:' not in html and 'href="data:' not in html
    assert '<a href="https://ok.example">ok</a>' in html


def test_markdown_structure_survives():
    html = to_html("### How\n\n1. One\n2. **Two**\n\n> quoted\n\n| a | b |\n|---|---|\n| 1 | 2 |\n")
    for fragment in ("<h3>How</h3>", "<ol>", "<strong>Two</strong>", "<blockquote>", "<table>", "<td>1</td>"):
        assert fragment in html


def test_non_ascii_text_is_kept_as_is():
    text = "Olá, café — Привет — 你好，世界"
    assert text in to_html(text)


def test_leftovers_of_unsafe_markup_are_removed():
    html = to_html('<img src="x" onerror="alert(1)">\n<a href="javascript:alert(1)">click</a> '
                   '<a href="data:text/html,hi">data</a>\n\n![A cup on the counter](https://cdn.example/cup.png)')
    assert "<img" in html and 'src="https://cdn.example/cup.png"' in html
    assert 'src="x"' not in html and "<a>" not in html
    assert "click" in html and "data" in html  # the words stay, as text


# Links each renderer writes its own way: percent-encoding, punycode, autolinks (whose text the
# HTML decodes), references, an autolink inside an image's alt, links dropped as unsafe.
_LINKY = [
    "[ä ö](https://bücher.example/ä ö) <https://xn--bcher-kva.example/%C3%A4> <mail@bücher.example>",
    "![see <https://bücher.example/%E2%82%AC> here](https://cdn.example/a b.png \"t\") and ![](x.png)",
    "[ref][r] and [other][] \n\n[r]: <https://example.com/a b> 'title'\n[other]: https://exämple.com/?q=1&b=2",
    "[bad](javascript:alert(1)) ![bad](data:text/html,x) [ok](data:image/png;base64,AA==)",
    "| [a](https://t.example/ü) | b |\n|---|---|\n| ~~[c](<https://t.example/c d>)~~ | *|FNAME|* |",
]


def test_html_from_the_shared_tokens_is_what_the_html_parser_makes():
    from newsletter.content.markdown import _PARSER, sanitise, tokens
    for source in _LINKY:
        assert tokens(source) is not None
        assert to_html(source) == sanitise(_PARSER.render(source)), source


def test_a_link_valid_for_one_rendering_only_is_parsed_by_each_alone():
    from newsletter.content.markdown import _PARSER, sanitise, tokens
    source = "[a](< javascript:alert(1)>) and [b](https://ok.example)"  # the text part keeps "%20javascript:"
    assert tokens(source) is None
    assert to_html(source) == sanitise(_PARSER.render(source))
    assert "javascript" not in to_html(source).split("href=")[1]
