"""Compiled Jinja templates kept in the build cache, so a new process does not compile again.

Jinja compiles each template to Python code the first time a process renders it (a tenth of
a second for the bundled ones); its BytecodeCache hook hands that code to a store. Entries
are keyed by newsletter's code (which fixes the environment's options), the template's name
and its source, so an edited template is compiled again.
"""

from __future__ import annotations

from jinja2 import BytecodeCache
from jinja2.bccache import Bucket

from .keys import code_fingerprint, digest
from .store import Store


class TemplateCodeCache(BytecodeCache):
    """Jinja's compiled templates, in a Store (written when the store is flushed)."""

    def __init__(self, store: Store):
        self.store = store

    def _key(self, bucket: Bucket) -> str:
        return digest("template", code_fingerprint(), bucket.key, bucket.checksum)

    def load_bytecode(self, bucket: Bucket) -> None:
        data = self.store.get("templates", self._key(bucket))
        if data is not None:
            bucket.bytecode_from_string(data)  # Jinja checks its own magic and the source checksum

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.store.put("templates", self._key(bucket), bucket.bytecode_to_string())
