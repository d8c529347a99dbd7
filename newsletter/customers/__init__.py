"""Customer data beside the stages: lifetime value, NPS, the loyalty ladder, the featured-
customer ledger and next month's suggestions.

May import newsletter.core, newsletter.content and newsletter.compose.
"""
