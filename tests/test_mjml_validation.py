"""MRML does not validate: every template's MJML output is checked by the reference MJML (strict)."""

from pathlib import Path

from newsletter.build import load
from newsletter.channels import REGISTRY
from newsletter.compose.paths import web_page_url
from newsletter.compose.selection import build_variants
from newsletter.core.timing import Timer
from newsletter.render.env import RenderEnv
from newsletter.render.templating import Templates, default_templates_dir
from newsletter.render.views import StyledHtml, section_layout

from .nodetools import run


def mjml_documents(root: Path) -> list[dict]:
    project, _ = load(root)
    env = RenderEnv(project.config, Templates(project.root), StyledHtml(project.config), Timer())
    channel = REGISTRY["email"]
    docs = []
    for v in build_variants(project):
        # The hero and teaser blocks are chosen by place and layout, not by a story's kind.
        layouts = {"hero"} if v.stories else set()
        if web_page_url(project.config, v.issue, v.audience.id):
            layouts |= {section_layout(v, s) for s in v.sections}
        docs.append({"name": v.key, "mjml": channel.mjml(v, env),
                     "kinds": sorted({s.meta.kind for s in v.stories} | layouts)})
    return docs


def test_every_variant_is_valid_mjml(repo, minimal):
    docs = mjml_documents(repo) + mjml_documents(minimal)
    results = run("validate-mjml.mjs", [{"name": d["name"], "mjml": d["mjml"]} for d in docs])
    problems = {r["name"]: r["errors"] for r in results if r["errors"]}
    assert problems == {}
    # Every block template was exercised by at least one variant.
    kinds = {k for d in docs for k in d["kinds"]}
    blocks = {p.name.removesuffix(".mjml.j2") for p in (default_templates_dir() / "blocks").glob("*.mjml.j2")}
    assert blocks - {"story"} <= kinds, f"block templates never rendered: {blocks - {'story'} - kinds}"
    assert "news" in kinds  # news uses the default story block


def test_validator_catches_invalid_mjml():
    bad = "<mjml><mj-body><mj-section><mj-column><mj-text bogus=\"1\">x</mj-text></mj-column></mj-section></mj-body></mjml>"
    [result] = run("validate-mjml.mjs", [{"name": "bad", "mjml": bad}])
    assert any("bogus" in e for e in result["errors"])
