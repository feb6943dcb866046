"""Build the palmarès site: `python build.py [build|serve|check] [--source DIR] [--out DIR]`."""

from palmares.cli import run

if __name__ == "__main__":
    run()
