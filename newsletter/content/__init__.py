"""Stage 1, content: read the project folder (newsletter.toml, audiences, stories, issues,
welcome packs, samples) into the validated content model, collecting every problem at once.
Story Markdown is parsed and sanitised here, once per story.

May import newsletter.core only.
"""
