"""Benchmarks anyone can rerun: see load.py and exports.py (commands in docs/BENCHMARKS.md)."""
