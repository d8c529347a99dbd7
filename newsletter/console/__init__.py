"""Output for the commands: consoles that behave in pipes (`terminal`), diagnostics, the build
summary, the check report, and the versioned JSON documents of --format json (`machine`).

May import newsletter.core, newsletter.content and newsletter.checks.
"""
