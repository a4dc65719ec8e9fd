"""Backups that prove themselves: a consistent copy, its manifest, a restore verified; for cli."""
