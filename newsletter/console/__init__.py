"""Terminal output for the commands: diagnostics, the build summary and the check report.

May import newsletter.core, newsletter.content and newsletter.checks.
"""
