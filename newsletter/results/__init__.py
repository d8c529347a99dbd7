"""Results: what happened after the send, read back from each provider's event export.

Role: read provider exports under content/results/ into one event model (`events`,
`providers`, `files`), attribute clicks to issue x audience x story through the UTM
parameters the build adds (`newsletter.render.utm`), and report delivered, opens, clicks, NPS
answers from survey links and benefit redemption (`report`, `redemption`), as a terminal
table, JSON or a preview page (`terminal`, `page`).

May import newsletter.core, content, compose and newsletter.build (to load a project), and
the customer data only
through `redemption.read_customer_export` (one call into `newsletter.customers`), so the
customer store can change underneath without touching the rest of this package.
Imported from outside only by `newsletter.commands.results`, `newsletter.commands.suggest`,
the preview server (`page`); `[survey]` is read by `newsletter.content.survey_settings`.
"""
