"""Stage 2, compose: plan every message (issue or pack step × audience × channel), choose
which stories go in which section, and where each message lives.

May import newsletter.core and newsletter.content.
"""
