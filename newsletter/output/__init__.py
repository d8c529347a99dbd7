"""Stage 6, output: the build-wide files (manifest, index page, pack schedules) and the one
writer that puts files on disk, atomically.

May import newsletter.core, newsletter.content and newsletter.compose.
"""
