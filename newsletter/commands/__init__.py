"""One module per CLI command; each exposes `command` (a click command) that parses options
and calls one library function. `options` and `verbosity` hold what several commands share.

May import anything in the package; nothing imports it but newsletter.cli.
"""
