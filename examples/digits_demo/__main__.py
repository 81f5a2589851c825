"""``python -m digits_demo`` (from the examples/ folder)."""

from digits_demo.cli import main

raise SystemExit(main())
