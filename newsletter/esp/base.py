"""The common shape of a dialect: merge tokens in, provider syntax out.

A dialect subclasses `BaseDialect` and fills in five hooks: `literal` (escape text the
provider must not read), `variable` (a field with its fallback), `block` (conditional
tags), `unsubscribe` (the provider's own per-recipient unsubscribe URL) and `bundle` (the
files to upload); `recipient_id` (the recipient's id in survey links) defaults to a
`recipient_id` field. `translate` walks the tokens with
`newsletter.merge.translate` and keeps a stack of open blocks per call, because several
syntaxes need to know what an `{% else %}` or `{% endif %}` belongs to.
"""

from __future__ import annotations

import html

from ..core import merge
from . import CONTEXTS, ExportError, Message


class BaseDialect:
    """Shared plumbing; see the module docstring for the hooks."""

    name = ""
    label = ""
    #: Neutral field/condition name -> the provider's name for it.
    names: dict[str, str] = {}
    #: What the provider substitutes in a template (newsletter.invariants counts these).
    syntax: tuple[str, ...] = ()
    #: Regions the provider reads as literal text despite looking like `syntax`.
    syntax_escaped: tuple[str, ...] = ()

    def field(self, name: str) -> str:
        return self.names.get(name, name)

    def translate(self, text: str, context: str) -> str:
        if context not in CONTEXTS:
            raise ValueError(f"unknown context {context!r}")
        stack: list[merge.Block] = []
        out = merge.translate(
            text,
            render=lambda tag: (self.unsubscribe(context) if tag.field == merge.UNSUBSCRIBE
                                else self.recipient_id(context, stack) if tag.field == merge.RECIPIENT_ID
                                else self.variable(tag, context, stack)),
            literal=lambda piece: self.literal(piece, context) if piece else "",
            block=lambda b: self._block(b, context, stack))
        if stack:
            raise ExportError("{% if %} without {% endif %} in the message")
        return out

    def _block(self, block: merge.Block, context: str, stack: list[merge.Block]) -> str:
        if block.kind in ("if", "unless"):
            out = self.block(block, context, stack)
            stack.append(block)
            return out
        if not stack:
            # merge.parse checks nesting per text, so this means a part was cut badly.
            tag = "endif" if block.kind == "end" else block.kind
            raise ExportError(f"{{% {tag} %}} without an open {{% if %}} in the message")
        if block.kind == "end":
            opened = stack.pop()
            return self.block(merge.Block("end", opened.field), context, stack, opened)
        # For `else` and `end` the hook sees the blocks enclosing the `if` it belongs to.
        return self.block(merge.Block("else", stack[-1].field), context, stack[:-1], stack[-1])

    def fallback(self, text: str, context: str) -> str:
        """A fallback written as template text: HTML-escaped in HTML, then made literal."""
        return self.literal(html.escape(text, quote=False) if context == "html" else text,
                            context)

    # Hooks -------------------------------------------------------------------------

    def literal(self, text: str, context: str) -> str:
        raise NotImplementedError

    def variable(self, tag: merge.MergeTag, context: str, stack: list[merge.Block]) -> str:
        raise NotImplementedError

    def block(self, block: merge.Block, context: str, stack: list[merge.Block],
              opened: merge.Block | None = None) -> str:
        """`if`/`unless` (stack = enclosing blocks) or `else`/`end` (`opened` = their `if`)."""
        raise NotImplementedError

    def unsubscribe(self, context: str) -> str:
        """The provider's own per-recipient unsubscribe URL (footer link and text part)."""
        raise NotImplementedError

    def recipient_id(self, context: str, stack: list[merge.Block]) -> str:
        """The provider's per-recipient id merge tag, for survey answer links (`{recipient}`).

        By default a template field `recipient_id` (providers without a built-in id: the
        send fills it per recipient, e.g. with the CRM id).
        """
        return self.variable(merge.MergeTag(merge.RECIPIENT_ID, ""), context, stack)

    def sample(self, data: dict[str, object]) -> object:
        """Sample-recipient data in the provider's field names."""
        return {self.field(k): v for k, v in sorted(data.items())}

    def bundle(self, message: Message) -> dict[str, bytes]:
        raise NotImplementedError

    # Helpers for bundles --------------------------------------------------------------

    def parts(self, message: Message) -> tuple[str, str, str]:
        """Subject, HTML and text of a message in this dialect."""
        return (self.translate(message.subject, "subject"),
                self.translate(message.html, "html"),
                self.translate(message.text, "text"))
