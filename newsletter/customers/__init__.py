"""Customer data: lifetime value, NPS and the loyalty ladder."""
