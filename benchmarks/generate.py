"""Generate a synthetic but valid newsletter project for the benchmarks.

    python benchmarks/generate.py OUT --stories 1000 --audiences 10 --issues 12 [--seed 0]

The same arguments always give byte-identical files: every choice comes from one seeded
random.Random, and dates are fixed (issues are monthly from January 2026).
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import date, timedelta
from pathlib import Path

import yaml
from babel.dates import format_skeleton

sys.path.insert(0, str(Path(__file__).resolve().parent))
from wordlists import ARCHETYPES, CONFIG, LOCALE_CYCLE, LOCALES, SECTIONS  # noqa: E402

# Roughly the mix of a real social-proof newsletter: guides and customer stories dominate.
KINDS = {"spotlight": 15, "testimonial": 15, "case-study": 10, "guide": 25, "news": 15,
         "promo": 10, "reminder": 10}
CUSTOMER_KINDS = ("spotlight", "testimonial", "case-study")
FIRST_ISSUE = date(2026, 1, 5)
EARLY = {"reach", "acquisition", "onboarding"}  # the package's default [checks] early_stages


class _Dumper(yaml.SafeDumper):
    """Multi-line strings as `|` blocks, like people write intros by hand; no &anchors."""

    def ignore_aliases(self, data) -> bool:
        return True


_Dumper.add_representer(str, lambda d, s: d.represent_scalar(
    "tag:yaml.org,2002:str", s, style="|" if "\n" in s else None))


def _yaml(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)


class Writer:
    """Locale-aware text from the word lists; one instance per project, one RNG."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def fill(self, text: str, loc: str, name: str = "", company: str = "") -> str:
        return text.format(n=self.rng.randint(2, 40), name=name or self.person(loc),
                           company=company or "Cafezal")

    def person(self, loc: str) -> str:
        w, i = LOCALES[loc], self.rng.randrange(8)
        # Same parity keeps Russian first and last names of the same grammatical gender.
        first, last = w["first"][i % len(w["first"])], w["last"][(i + 2 * self.rng.randrange(4)) % len(w["last"])]
        return f"{last}{first}" if loc == "zh-CN" else f"{first} {last}"

    def sentence(self, loc: str, name: str = "") -> str:
        w, r = LOCALES[loc], self.rng
        one, two = r.sample(w["clauses"], 2)
        text = self.fill(one, loc, name) + r.choice(w["joiners"]) + self.fill(two, loc, name)
        return _end(text, loc)

    def paragraph(self, loc: str, count: int, name: str = "", link: str = "", tail: str = "") -> str:
        parts = [self.sentence(loc, name) for _ in range(count)] + ([tail] if tail else [])
        if link:
            label = self.rng.choice(LOCALES[loc]["links"])
            parts.append(LOCALES[loc]["see"].format(link=f"[{label}]({link})"))
        text = ("" if loc == "zh-CN" else " ").join(parts)
        return _wrap(text) if loc != "zh-CN" else text

    def body(self, loc: str, kind: str, name: str, url: str, quote: str) -> str:
        """About 300 words: paragraphs, three headings, a list, links and a quote."""
        w, r = LOCALES[loc], self.rng
        heads = r.sample(w["headings"], 3)
        items = [f"{i}. **{self.fill(t, loc)}**" if kind == "guide" else f"- {self.fill(t, loc)}"
                 for i, t in enumerate(r.sample(w["items"], 4), start=1)]
        blocks = [self.paragraph(loc, 4, name), f"### {heads[0]}", self.paragraph(loc, 4, name),
                  "\n".join(items), f"### {heads[1]}", self.paragraph(loc, 4, name, url)]
        if quote:
            blocks.append(f"> {quote} — {name}")
        blocks += [f"### {heads[2]}", self.paragraph(loc, 4, name, url + "#more")]
        return "\n\n".join(blocks) + "\n"


def _end(clause: str, loc: str) -> str:
    """A clause as a sentence: capitalised and closed with the script's full stop."""
    return clause + "。" if loc == "zh-CN" else clause[0].upper() + clause[1:] + "."


def _month(day: date, loc: str) -> str:
    """'February 2026', 'fevereiro de 2026', 'февраль 2026 г.', '2026年2月' (CLDR via Babel)."""
    text = format_skeleton("yMMMM", day, locale=loc.replace("-", "_"))
    return text[0].upper() + text[1:]


def _wrap(text: str, width: int = 78) -> str:
    """Hard-wrap like a hand-written Markdown file (Chinese is left as one line)."""
    lines, line = [], ""
    for word in text.split(" "):
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}" if line else word
    return "\n".join(lines + [line])


def _audiences(count: int) -> list[dict]:
    out = []
    for i in range(count):
        stem, name, stages, interests = ARCHETYPES[i % len(ARCHETYPES)]
        loc = LOCALE_CYCLE[i % len(LOCALE_CYCLE)]
        out.append({"id": f"{stem}-{loc.lower()}-{i + 1}", "name": f"{name} ({loc})",
                    "description": f"Synthetic archetype {i + 1}: {name.lower()} reading in {loc}.",
                    "channels": ["email"], "stages": stages, "locale": loc, "interests": interests,
                    "tone": "Warm and practical, numbers first, one clear next step."})
    return out


def _story(w: Writer, n: int, audiences: list[dict], first: date, span: int) -> dict:
    r = w.rng
    kind = r.choices(list(KINDS), weights=list(KINDS.values()))[0]
    loc = r.choice(audiences)["locale"]  # weighted by how many audiences read each locale
    same = [a for a in audiences if a["locale"] == loc]
    if kind == "promo":
        # Offers never go to audiences still in an early stage (the q2-early-promo check).
        same = [a for a in same if not set(a["stages"]) & EARLY] or same
        kind = kind if not set(same[0]["stages"]) & EARLY else "news"
    chosen = r.sample(same, min(len(same), r.randint(1, 3)))
    stages = sorted({s for a in chosen for s in a["stages"]})
    tags = sorted({t for a in chosen for t in r.sample(a["interests"], 2)})
    day = first + timedelta(days=r.randrange(span))
    L, sid = LOCALES[loc], f"{loc.lower()}-{kind}-{n:04d}"
    name = w.person(loc)
    company = r.choice(L["company"]).format(last=name.split()[-1] if loc != "zh-CN" else name[0])
    title_key = "customer" if kind in CUSTOMER_KINDS else kind
    url = f"https://cafezal.example/{loc.lower()}/stories/{sid}"
    meta = {"title": w.fill(r.choice(L["titles"][title_key]), loc, name, company), "kind": kind,
            "date": day, "summary": _end(w.fill(r.choice(L["clauses"]), loc, name), loc), "locale": loc}
    if kind in CUSTOMER_KINDS:
        meta["customer"] = {"name": name, "company": company, "tier": r.choice(["gold", "platinum"]),
                            "since": day - timedelta(days=r.randint(200, 2500))}
    meta["audiences"] = [a["id"] for a in chosen]
    if r.random() < 0.7:  # the rest suit every stage
        meta["stages"] = r.sample(stages, r.randint(1, len(stages)))
    meta["tags"] = tags
    meta["image"] = {"src": f"https://cdn.cafezal.example/stories/{sid}.jpg",
                     "alt": _end(w.fill(r.choice(L["clauses"]), loc, name), loc)}
    quote = r.choice(L["quotes"]) if kind in CUSTOMER_KINDS else ""
    if kind == "testimonial":
        meta["quote"] = {"text": quote, "author": name}
    if kind == "case-study":
        meta["case"] = dict(zip(("problem", "action", "result"), (w.fill(c, loc) for c in L["case"])))
    if kind in ("case-study", "spotlight"):
        meta["metrics"] = [{"label": label, "value": f"{r.randint(2, 90)}%"}
                           for label in r.sample(L["metrics"], r.randint(1, 3))]
    meta["cta"] = {"label": r.choice(L["cta"]), "url": url}
    if kind in CUSTOMER_KINDS:
        granted = day - timedelta(days=r.randint(5, 60))
        meta["consent"] = {"granted": granted, "expires": granted + timedelta(days=365)}
    return {"id": sid, "meta": meta, "body": w.body(loc, kind, name, url, quote)}


def _suits(story: dict, audience: dict) -> bool:
    meta = story["meta"]
    return audience["id"] in meta["audiences"] and (
        "stages" not in meta or bool(set(meta["stages"]) & set(audience["stages"])))


def _intro(w: Writer, loc: str) -> str:
    L = LOCALES[loc]["issue"]
    hello = L["hello"].format(tag="{{ first_name | %s }}" % L["fallback"])
    # Addressing the reader keeps the conversational-tone check (q3-tone) happy.
    return f"{hello}\n\n{w.paragraph(loc, 3, tail=L['you'])}\n\n{w.paragraph(loc, 2)}\n\n{L['sign']}\n"


def _issue(w: Writer, i: int, audiences: list[dict], stories: list[dict], featured: set,
           previous: set) -> tuple[str, dict, str]:
    r, day = w.rng, date(FIRST_ISSUE.year + (FIRST_ISSUE.month - 1 + i) // 12,
                         (FIRST_ISSUE.month - 1 + i) % 12 + 1, FIRST_ISSUE.day)
    ready = [s for s in stories if s["meta"]["date"] <= day]
    ready.sort(key=lambda s: (s["meta"]["date"], s["id"]), reverse=True)
    # Explicit picks: for every audience its newest one or two customer stories not yet
    # featured, skipping customers of the previous issue (the q1-featured-recently check).
    community = []
    for a in audiences:
        mine = [s["id"] for s in ready if s["meta"]["kind"] in CUSTOMER_KINDS
                and s["id"] not in featured and s["meta"]["customer"]["name"] not in previous
                and _suits(s, a)][: r.randint(1, 2)]
        community += [sid for sid in mine if sid not in community]
    featured.update(community)
    previous.clear()  # updated in place: the next issue avoids this one's customers
    previous.update(s["meta"]["customer"]["name"] for s in stories if s["id"] in community)
    sections = [{"title": SECTIONS[0], "stories": community},
                {"title": SECTIONS[1], "pick": {"kind": ["guide"], "newest": 2}
                 if i % 3 else {"kind": ["guide"], "stages": ["onboarding", "nurture"], "newest": 2}}]
    if i % 2:
        news = [s["id"] for s in ready if s["meta"]["kind"] == "news"][: len(audiences)]
        sections.append({"title": SECTIONS[2], "stories": news})
    else:
        sections.append({"title": SECTIONS[2], "pick": {"kind": ["news"], "newest": 2}})
    if r.random() < 0.6:  # at most one offer per message keeps promotion under the 30% share
        sections.append({"title": SECTIONS[3], "pick": {"kind": ["reminder", "promo"], "newest": 1}})
    meta = {"title": _month(day, "en"),
            "subject": LOCALES["en"]["issue"]["subject"].format(tag="{{ first_name | there }}"),
            "preheader": LOCALES["en"]["issue"]["preheader"], "date": day,
            "audiences": [a["id"] for a in audiences], "channels": ["email"], "sections": sections}
    overrides = {}
    for a in audiences:
        loc = a["locale"]
        if loc == "en":
            continue
        L = LOCALES[loc]["issue"]
        overrides[a["id"]] = {
            "title": _month(day, loc),
            "subject": L["subject"].format(tag="{{ first_name | %s }}" % L["fallback"].capitalize()),
            "preheader": L["preheader"], "intro": _intro(w, loc)}
    if overrides:
        meta["overrides"] = overrides
    return f"{day:%Y-%m}", meta, _intro(w, "en")


def generate(root: Path, stories: int, audiences: int, issues: int, seed: int = 0, unused: int = 0) -> dict:
    """Write newsletter.toml and content/ into `root` (which must not hold a content/ yet).

    `unused` more stories, dated after the last issue (so no issue picks them: an issue takes
    only stories dated on or before it), are written beside the project `stories` gives,
    which stays the same, byte for byte: what they cost is what unused stories cost."""
    root = Path(root)
    if (root / "content").exists():
        raise FileExistsError(f"{root / 'content'} exists: generate into a new folder")
    (root / "content" / "stories").mkdir(parents=True)
    (root / "content" / "issues").mkdir()
    w = Writer(random.Random(seed))
    (root / "newsletter.toml").write_text(CONFIG, encoding="utf-8")
    auds = _audiences(audiences)
    (root / "content" / "audiences.yml").write_text(_yaml(auds), encoding="utf-8")
    # Stories span the quarter before the first issue up to the last one.
    first = FIRST_ISSUE - timedelta(days=90)
    span = (FIRST_ISSUE - first).days + 31 * max(issues - 1, 0) + 1
    items = [_story(w, n, auds, first, span) for n in range(1, stories + 1)]
    for s in items:
        text = f"---\n{_yaml(s['meta'])}---\n{s['body']}"
        (root / "content" / "stories" / f"{s['id']}.md").write_text(text, encoding="utf-8")
    featured: set[str] = set()
    previous: set[str] = set()
    for i in range(issues):
        iid, meta, intro = _issue(w, i, auds, items, featured, previous)
        (root / "content" / "issues" / f"{iid}.md").write_text(f"---\n{_yaml(meta)}---\n{intro}",
                                                                encoding="utf-8")
    # From a generator of their own, so the project above does not change with them.
    later = Writer(random.Random(f"{seed}-unused"))
    after = first + timedelta(days=span)
    for n in range(stories + 1, stories + unused + 1):
        s = _story(later, n, auds, after, 90)
        text = f"---\n{_yaml(s['meta'])}---\n{s['body']}"
        (root / "content" / "stories" / f"{s['id']}.md").write_text(text, encoding="utf-8")
    return {"stories": stories, "audiences": audiences, "issues": issues, "seed": seed, "unused": unused}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="project folder to create")
    parser.add_argument("--stories", type=int, default=1000)
    parser.add_argument("--audiences", type=int, default=10)
    parser.add_argument("--issues", type=int, default=12)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--unused", type=int, default=0, help="more stories, dated after the last issue")
    args = parser.parse_args(argv)
    generate(args.out, args.stories, args.audiences, args.issues, args.seed, args.unused)
    print(f"wrote {args.out}: {args.stories} stories, {args.audiences} audiences, {args.issues} issues")
    return 0


if __name__ == "__main__":
    sys.exit(main())
