"""The treatment protocol: its four elements and techniques, and fidelity to them (pure)."""
