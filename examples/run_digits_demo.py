"""Entry point of the digits demo (what ``nox -s demo`` runs).

Usage: ``python examples/run_digits_demo.py [--model all] [--steps N] [--out DIR]
[--strategy none|mirrored]``. See ``digits_demo/cli.py`` and examples/README.md.
"""

from __future__ import annotations

import pathlib
import sys

# The script's folder is on sys.path already when run as a script; make the
# import also work when this file is executed some other way (runpy, tests).
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from digits_demo.cli import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
