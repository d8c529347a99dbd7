"""One module per CLI command; each exposes `command` (a click command) that parses options
and calls one library function.

May import anything in the package; nothing imports it but newsletter.cli.
"""
