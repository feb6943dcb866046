"""Converters that turn one of our corpora into an equivalent Hugo or Pelican project.

Only the benchmark uses them; the templates they copy live beside them (hugo/, pelican/).
"""
