"""What the preview shows, derived from one build: messages grouped for the index, sample
recipients per audience, and a message personalised for one of them.

Everything is keyed on the list of Outputs and their manifest rows, never on what kind of
message an output is, so a new kind (welcome-pack steps, another channel) appears in the
preview without changes here.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from ..build import BuildResult
from ..checks.run import VariantReport
from ..content.samples import Sample, match_sample
from ..core import merge
from ..render.env import Output

#: How each first folder of build/ is headed in the index; others get their folder name.
KIND_LABELS = {"issues": "Issues", "welcome": "Welcome packs"}
SCHEMES = ("light", "dark", "forced")
NO_DATA = "none"  # the sample id that means "nothing known: every fallback shows"

_DARK = re.compile(r"\(\s*prefers-color-scheme\s*:\s*dark\s*\)", re.I)
_LIGHT = re.compile(r"\(\s*prefers-color-scheme\s*:\s*light\s*\)", re.I)
# Roughly what the Outlook and Gmail apps do to a light-only email in dark mode.
_FORCED = ("<style>html{filter:invert(1) hue-rotate(180deg);background:#fff}"
           "img,picture,video{filter:invert(1) hue-rotate(180deg)}</style>")
_BASE = '<base target="_blank">'


@dataclass
class Entry:
    """One built message: its output, manifest row and check results."""

    output: Output
    row: dict[str, Any]
    report: VariantReport | None

    @property
    def key(self) -> str:
        return self.output.variant.key

    @property
    def group(self) -> str:
        """Everything in the key before audience and channel: the issue or pack step."""
        return self.key.rsplit("/", 2)[0]

    @property
    def audience(self):
        return self.output.variant.audience

    @property
    def channel(self) -> str:
        return self.output.variant.channel

    @property
    def verdicts(self) -> dict[str, str]:
        return self.report.verdicts() if self.report else {}

    @property
    def size(self) -> int:
        return sum(len(data) for data in self.output.files.values())

    def file(self, suffix: str) -> tuple[str, bytes] | None:
        """The first output file whose name ends with `suffix`, as (build path, bytes)."""
        for name, data in sorted(self.output.files.items()):
            if name.endswith(suffix):
                return f"{self.output.directory}/{name}", data
        return None

    def html_tokens(self) -> str:
        tokens = self.output.extra.get("html_tokens")
        if tokens is not None:
            return tokens
        found = self.file(".html")
        return found[1].decode("utf-8") if found else ""

    def text_tokens(self) -> str:
        tokens = self.output.extra.get("text_tokens")
        if tokens is not None:
            return tokens
        found = self.file(".txt")
        return found[1].decode("utf-8") if found else ""

    def eml_headers(self) -> str:
        found = self.file(".eml")
        if not found:
            return ""
        head = found[1].split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
        return head.decode("utf-8", "replace").replace("\r\n", "\n")


@dataclass
class Group:
    """The messages of one issue or pack step, in build order."""

    id: str
    kind: str
    title: str
    entries: list[Entry] = field(default_factory=list)

    @property
    def label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.replace("-", " ").capitalize())


@dataclass
class Personalised:
    """A message as one sample recipient gets it."""

    subject: str
    preheader: str
    html: str
    text: str


class Catalog:
    """A build as the preview presents it."""

    def __init__(self, result: BuildResult, samples: list[Sample]):
        self.result = result
        self.samples = samples
        rows = json.loads(result.files["manifest.json"])["outputs"]
        if len(rows) != len(result.outputs):
            raise ValueError("manifest rows do not match the outputs")
        report = result.report
        self.entries = [Entry(output, row, report.for_key(output.variant.key) if report else None)
                        for output, row in zip(result.outputs, rows)]
        self.by_key = {entry.key: entry for entry in self.entries}
        self.groups: dict[str, Group] = {}
        for entry in self.entries:
            group = self.groups.get(entry.group)
            if group is None:
                kind = entry.output.directory.split("/", 1)[0]
                title = getattr(getattr(entry.output.variant.issue, "meta", None), "title", entry.group)
                group = self.groups[entry.group] = Group(entry.group, kind, title)
            group.entries.append(entry)

    def kinds(self) -> list[tuple[str, list[Group]]]:
        """Groups under their kind's heading, kinds in order of first appearance."""
        out: dict[str, list[Group]] = {}
        for group in self.groups.values():
            out.setdefault(group.label, []).append(group)
        return list(out.items())

    def siblings(self, entry: Entry) -> list[Entry]:
        """The other audiences' messages of the same group on the same channel."""
        return [e for e in self.groups[entry.group].entries if e.channel == entry.channel]

    def samples_for(self, entry: Entry) -> list[Sample]:
        audience = entry.audience.id
        return [s for s in self.samples if s.audiences is None or audience in s.audiences]

    def default_sample(self, entry: Entry) -> Sample | None:
        """The sample the send-test and export would pick for this message's audience."""
        return match_sample(self.samples, entry.audience.id, entry.output.variant.locale)

    def sample(self, entry: Entry, sample_id: str | None) -> Sample | None:
        """The named sample when it may receive this message, None for "none" (no data),
        else the default one."""
        if sample_id == NO_DATA:
            return None
        for sample in self.samples_for(entry):
            if sample.id == sample_id:
                return sample
        return self.default_sample(entry)

    def personalise(self, entry: Entry, sample: Sample | None) -> Personalised:
        """Fill merge tags and conditional blocks in memory; nothing is written."""
        data = sample.data() if sample else {}
        text = entry.output.variant.text
        return Personalised(subject=merge.plain(text.subject, data),
                            preheader=merge.plain(text.preheader, data),
                            html=merge.resolve(entry.html_tokens(), data),
                            text=merge.plain(entry.text_tokens(), data))


def framed(html: str, scheme: str, base_url: str = "") -> str:
    """The email HTML for the preview's iframe in a colour scheme.

    "dark" makes the email's own `prefers-color-scheme: dark` rules apply in any browser;
    "forced" imitates clients that invert a light email. Links open in a new tab. Images
    of the project (published later under `base_url`/assets/) come from this build.
    """
    if base_url:
        html = html.replace(f"{base_url.rstrip('/')}/assets/", "/build/assets/")
    if scheme == "dark":
        html = _LIGHT.sub("(min-width: 99999px)", _DARK.sub("(min-width: 0px)", html))
    extra = _BASE + (_FORCED if scheme == "forced" else "")
    if "<head>" in html:
        return html.replace("<head>", "<head>" + extra, 1)
    return extra + html
