"""Benchmarks: seed a large practice and measure the app beside its physical floor."""
