"""The project files every stage names: defined here, apart from the models that read them, so
that what only hashes or names a file (the build cache, the replay of an unchanged build)
loads no model."""

#: The project's settings (newsletter.content.config reads them).
CONFIG_FILE = "newsletter.toml"
#: Sample recipients for the preview and test sends (newsletter.content.samples reads them).
SAMPLES_FILE = "content/samples.yml"
