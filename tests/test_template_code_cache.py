"""cache.templates: compiled Jinja templates kept in the build cache, per template source."""

from __future__ import annotations

from newsletter.build import build
from newsletter.cache import CACHE_DIR, Store
from newsletter.cache.templates import TemplateCodeCache
from newsletter.render.templating import Templates

from .conftest import edit


def render_once(root, name="newsletter.mjml.j2"):
    store = Store.for_project(root)
    templates = Templates(root, TemplateCodeCache(store))
    templates.env.get_template(name)
    store.flush()
    return store


def test_compiled_once_then_loaded(minimal):
    first = render_once(minimal)
    assert list((minimal / CACHE_DIR / "templates").rglob("*"))
    second = render_once(minimal)
    assert second.hits >= 1 and second.misses == 0


def test_an_edited_template_is_compiled_again_never_served_stale(minimal):
    probe = minimal / "templates" / "probe.j2"
    probe.parent.mkdir(exist_ok=True)
    probe.write_text("Hello {{ name }}", encoding="utf-8")
    render_once(minimal, "probe.j2")
    probe.write_text("Goodbye {{ name }}", encoding="utf-8")
    store = Store.for_project(minimal)
    text = Templates(minimal, TemplateCodeCache(store)).env.get_template("probe.j2").render(name="Lena")
    assert text == "Goodbye Lena" and store.misses == 1


def test_a_build_keeps_its_templates(minimal):
    build(minimal, cache=True)
    assert list((minimal / CACHE_DIR / "templates").rglob("*"))
