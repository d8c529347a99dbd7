"""Where each message lives: its folder under build/ and its public web address."""

from __future__ import annotations

from ..content.channels import SPECS
from ..content.config import Config
from ..content.models import Issue

WEB = "web"


def message_directory(issue: Issue, audience_id: str) -> str:
    """An issue's or pack step's folder for one audience: issues/<issue>/<audience>,
    welcome/<pack>/<audience>/<step>."""
    if issue.kind == "welcome":
        return f"welcome/{issue.pack}/{audience_id}/{issue.step}"
    return f"issues/{issue.id}/{audience_id}"


def channel_directory(channel: str, issue: Issue, audience_id: str) -> str:
    """A message's folder under build/ on one channel (a channel may keep its own folder)."""
    base = message_directory(issue, audience_id)
    spec = SPECS.get(channel)
    return f"{spec.folder}/{base}" if spec and spec.folder else base


def web_root_url(config: Config) -> str:
    """The public address of the web archive (build/web/ once published)."""
    return f"{config.project.base_url.rstrip('/')}/{SPECS[WEB].folder}/"


def web_page_url(config: Config, issue: Issue, audience_id: str) -> str | None:
    """The public web page of an issue for one audience, when the issue goes out on the web."""
    if WEB not in issue.meta.channels:
        return None
    return f"{web_root_url(config)}{message_directory(issue, audience_id)}/"
