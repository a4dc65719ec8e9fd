"""The alliance check-in (DOMAIN.md §1): its questions and when it flags (pure)."""
