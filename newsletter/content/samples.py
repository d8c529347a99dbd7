"""Sample recipients (content/samples.yml): whose data fills merge tags in previews and test sends."""

from __future__ import annotations

from pathlib import Path

from pydantic import Field

from ..core.diagnostics import Diagnostics, Location
from ..core.fields import HeaderText, LocaleTag, Slug
from ..core.names import SAMPLES_FILE
from ..core.validation import Model, validate
from .reader_common import read_yaml


class Sample(Model):
    """A made-up recipient: never a real customer's personal data."""

    id: Slug
    description: str = ""
    # Merge tags put these into the subject line, an email header.
    first_name: HeaderText | None = None
    last_name: HeaderText | None = None
    company: HeaderText | None = None
    locale: LocaleTag | None = None
    unused_benefits: bool = False
    onboarding_behind: bool = False
    audiences: list[Slug] | None = Field(default=None, description="omit = any audience")

    def data(self) -> dict[str, object]:
        """The merge data: fields and conditions by name, unknown ones left out."""
        return {key: value for key, value in self.model_dump(
            include={"first_name", "last_name", "company", "unused_benefits", "onboarding_behind"}
        ).items() if value not in (None, "")}


#: Used when a project has no samples file: one recipient with data, one without.
DEFAULT_SAMPLES = [
    Sample(id="known", description="first name known, a benefit left unused",
           first_name="Alex", unused_benefits=True),
    Sample(id="anonymous", description="nothing known: every fallback shows"),
]


def load_samples(root: Path, diagnostics: Diagnostics) -> list[Sample]:
    """Read content/samples.yml (a list), or return the default pair."""
    path = root / SAMPLES_FILE
    if not path.is_file():
        return list(DEFAULT_SAMPLES)
    parsed = read_yaml(root, path, diagnostics)
    if parsed is None:
        return []
    data, smap, _ = parsed
    if not isinstance(data, list):
        diagnostics.error("expected a list of sample recipients", Location(SAMPLES_FILE, 1, 1), "invalid")
        return []
    samples: list[Sample] = []
    for index, item in enumerate(data):
        sample = validate(Sample, item, smap, SAMPLES_FILE, diagnostics, prefix=(index,))
        if sample is None:
            continue
        if any(s.id == sample.id for s in samples):
            line, col = smap.locate((index, "id"))
            diagnostics.error(f"duplicate sample id '{sample.id}'", Location(SAMPLES_FILE, line, col),
                              "duplicate")
            continue
        samples.append(sample)
    return samples


def match_sample(samples: list[Sample], audience: str, locale: str) -> Sample | None:
    """The sample recipient for an audience: one that names it, else one in its language.

    Among equals the first one listed wins, so the choice is stable.
    """
    language = locale.split("-")[0]
    open_to = [s for s in samples if s.audiences is None or audience in s.audiences]
    for fits in (lambda s: s.audiences is not None,
                 lambda s: s.locale == locale,
                 lambda s: (s.locale or "").split("-")[0] == language,
                 lambda s: s.locale is None):
        found = [s for s in open_to if fits(s)]
        if found:
            return found[0]
    return open_to[0] if open_to else None
