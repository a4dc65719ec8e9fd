"""Domain logic: pure functions and operations that never commit."""
