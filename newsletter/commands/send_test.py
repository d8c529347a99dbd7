"""`newsletter send-test`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..console.report import print_diagnostics
from ..console.terminal import Terminal
from ..core.diagnostics import BuildError
from ..sendtest import SECURITY, send_test
from .options import project_option
from .verbosity import verbosity, verbosity_options


@click.command("send-test")
@project_option
@click.option("--to", "to", required=True, metavar="ADDRESS", help="Where to send the test.")
@click.option("--issue", metavar="ISSUE|PACK/STEP",
              help="Issue or welcome-pack step to send (default: the newest issue).")
@click.option("--audience", "audiences", multiple=True, metavar="ID",
              help="Only this audience's message; repeat for more (default: every audience).")
@click.option("--sample", metavar="ID",
              help="Sample recipient whose data fills the merge tags (default: the one "
                   "matching each audience in content/samples.yml).")
@click.option("--from-data", is_flag=True,
              help="Also offer sample recipients made from the customer export (anonymised).")
@click.option("--real-names", is_flag=True,
              help="With --from-data: keep customers' real first names and companies.")
@click.option("--host", help="SMTP host (else $NEWSLETTER_SMTP_HOST, else smtp.host).")
@click.option("--port", type=click.IntRange(1, 65535),
              help="SMTP port (else $NEWSLETTER_SMTP_PORT, else smtp.port).")
@click.option("--security", type=click.Choice(SECURITY),
              help="starttls, ssl or none (else $NEWSLETTER_SMTP_SECURITY, else smtp.security).")
@click.option("--user", "username",
              help="SMTP user (else $NEWSLETTER_SMTP_USER, else smtp.username). The password "
                   "is only read from the variable named by smtp.password_env.")
@verbosity_options
def command(root: Path, to: str, issue: str | None, audiences: tuple[str, ...],
            sample: str | None, host: str | None, port: int | None, security: str | None,
            username: str | None, from_data: bool, real_names: bool) -> None:
    """Send test messages to ADDRESS over SMTP, personalised with a sample recipient.

    One message per audience of the issue, exactly as a recipient would get it.

    \b
    Example:
      export NEWSLETTER_SMTP_PASSWORD=...
      newsletter send-test --to me@example.com --audience cafe-owners --sample kofi-owner
      newsletter send-test --to me@example.com --issue first-90-days/welcome
    """
    term = Terminal(verbosity())
    console, err = term.out, term.err
    try:
        with term.status("building and sending"):
            result = send_test(root, to, issue=issue, audiences=audiences, sample=sample,
                               host=host, port=port, security=security, username=username,
                               from_data=from_data, real_names=real_names)
    except BuildError as exc:
        print_diagnostics(err, exc.diagnostics)
        sys.exit(1)
    print_diagnostics(err, result.diagnostics)
    if term.quiet:
        return
    settings = result.settings
    console.print(f"sent {len(result.messages)} test message(s) to {result.to} via "
                  f"{settings.where} ({settings.security})", markup=False, soft_wrap=True)
    for message in result.messages:
        console.print(f"  {message.key}  sample: {message.sample or '-'}  "
                      f"subject: {message.subject}", markup=False, soft_wrap=True)
