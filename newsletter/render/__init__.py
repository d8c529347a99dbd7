"""Stage 3, render: what templates see (views), Jinja2 templates, the plain-text part, MIME,
UTM tagging, HTML post-processing transforms and SMS encoding; shared by every channel.

May import newsletter.core, newsletter.content and newsletter.compose.
"""
