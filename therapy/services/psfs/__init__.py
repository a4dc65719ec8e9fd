"""The Patient-Specific Functional Scale (DOMAIN.md §2): goal ratings and their change (pure)."""
