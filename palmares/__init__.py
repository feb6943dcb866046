"""Palmarès: the static site generator of the label Territoires, Villes et Villages Internet."""

__version__ = "0.1.0"
