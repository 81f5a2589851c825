"""Entry point of the checkpoint migration example.

Usage: ``python examples/run_checkpoint_migration.py [--steps N] [--finetune-steps N]
[--out DIR]``. See ``checkpoint_migration/`` and examples/README.md.
"""

from __future__ import annotations

import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

from checkpoint_migration.cli import main  # noqa: E402

if __name__ == "__main__":
    raise SystemExit(main())
