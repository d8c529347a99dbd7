"""newsletter: compose social-proof newsletters and welcome packs from Markdown stories."""

__version__ = "0.1.0"
