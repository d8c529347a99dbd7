"""Foundation every stage shares: diagnostics with source locations, validated field types,
source-mapped YAML/TOML parsing, the provider-neutral merge syntax and translations.

May import nothing else from newsletter.
"""
