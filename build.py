"""Build the palmarès site: `python build.py [build|serve|check] [--source DIR] [--out DIR]`."""

from palmares.cli import main

if __name__ == "__main__":
    raise SystemExit(main())
