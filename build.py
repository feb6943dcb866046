"""Build the palmarès site: `python build.py [build|serve|check] [--source DIR] [--out DIR]`.

Python puts this file's folder first on its path, and that folder may be the source of the
content a pull request changes: a `yaml.py` beside this file would be imported in place of
the library. The folder is taken off the path; the engine beside this file (`palmares/`)
is imported from its own folder, and nothing else from here."""

import importlib.util
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
if "palmares" not in sys.modules:
    spec = importlib.util.spec_from_file_location("palmares", HERE / "palmares" / "__init__.py")
    assert spec is not None and spec.loader is not None
    sys.modules["palmares"] = engine = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(engine)

from palmares.cli import run  # noqa: E402

if __name__ == "__main__":
    run()
