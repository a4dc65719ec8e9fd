"""NEN 7513 audit trail (event queue, hash chain, labels, queries); areas and services use it."""
