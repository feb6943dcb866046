"""Benchmarks: `python -m bench.run` (build times against Hugo and Pelican) and
`python -m bench.serve_latency` (from saving a file to the browser showing it)."""
