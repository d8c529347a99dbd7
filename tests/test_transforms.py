from newsletter.render import transforms

CTX = transforms.TransformContext(lang="en", dir="ltr", preheader="Short preview")
HTML = ('<html><head><title>x</title></head><body><div style="display:none;font-size:1px;">'
        'Short preview</div><p>Body</p>  \r\n</body></html>')


def test_preheader_is_padded_once():
    out = transforms.pad_preheader(HTML, CTX)
    assert out.count("&zwnj;") == 60
    assert "Short preview&#847;" in out


def test_no_padding_without_preheader():
    ctx = transforms.TransformContext("en", "ltr", "")
    assert transforms.pad_preheader(HTML, ctx) == HTML


def test_colour_scheme_meta_added():
    assert '<head><meta name="color-scheme" content="light">' in transforms.add_meta(HTML, CTX)


def test_newlines_normalised():
    out = transforms.normalise_newlines(HTML, CTX)
    assert "\r" not in out and "  \n" not in out and out.endswith("\n")


def test_pipeline_runs_in_order():
    seen = []
    steps = [lambda h, c: seen.append("a") or h + "a", lambda h, c: seen.append("b") or h + "b"]
    assert transforms.apply("x", CTX, steps) == "xab" and seen == ["a", "b"]
