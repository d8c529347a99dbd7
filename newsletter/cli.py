"""The `newsletter` command line: each command parses options and calls one library function.

Commands live one per module in `newsletter.commands`; each module exposes `command`. The
group imports a command's module only when that command runs, so `newsletter --help` and
`newsletter --version` start without loading the build (pydantic, Jinja2, MRML, rich).
"""

from __future__ import annotations

import importlib

import click

from . import __version__
from .commands.verbosity import verbosity_options

#: Every command: its name, its module in newsletter.commands and its one-line help (shown
#: by `newsletter --help` without importing the module; tests/test_cli.py keeps them in step).
COMMANDS: dict[str, tuple[str, str]] = {
    "build": ("build", "Build every issue for every audience into the output folder."),
    "check": ("check", "Judge every issue x audience x channel against the four questions and the pre-send checklist."),
    "customers": ("customers", "Report lifetime value, NPS and the loyalty ladder from your customer export."),
    "export": ("export", "Turn every built email into what an email service provider imports."),
    "init": ("init", "Start a new newsletter project in FOLDER: config, two audiences, two stories, one issue."),
    "preview": ("preview", "Preview every message in a browser; pages reload by themselves when you save."),
    "results": ("results", "Report what happened after the send: deliveries, opens, clicks per story, NPS, redemption."),
    "send-test": ("send_test", "Send test messages to ADDRESS over SMTP, personalised with a sample recipient."),
    "translations": ("translations", 'Translate the fixed words of the templates ("Unsubscribe", "Case study"...) for your project.'),
    "snapshot": ("snapshot", "Screenshot every message at 600 px and 375 px, light and dark, as PNG files."),
    "suggest": ("suggest", "Plan next month from customer data: whom to feature, whose consent runs out, who needs a call."),
}

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class LazyGroup(click.Group):
    """A group that lists commands from `COMMANDS` and imports one only to run it."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        return load(name) if name in COMMANDS else None

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        with formatter.section("Commands"):
            formatter.write_dl([(name, COMMANDS[name][1]) for name in sorted(COMMANDS)])


def load(name: str) -> click.Command:
    """The click command `name`, imported from its module, answering -h as well as --help."""
    command = importlib.import_module(f"{__package__}.commands.{COMMANDS[name][0]}").command
    command.context_settings = {**CONTEXT_SETTINGS, **command.context_settings}
    return command


@click.group(cls=LazyGroup, context_settings=CONTEXT_SETTINGS)
@click.version_option(__version__, "-V", "--version", prog_name="newsletter")
@verbosity_options
def main() -> None:
    """Compose social-proof newsletters from Markdown stories about your best customers.

    \b
    Quick start, in a project folder:
      newsletter build          # build/ gets HTML, text and .eml per issue and audience
      newsletter COMMAND -h     # what a command does, its options and an example

    -q and -v work before or after the command name. Exit codes: 0 all well, 1 problems
    (bad input, failing checks), 2 wrong usage or a refused request.
    """
