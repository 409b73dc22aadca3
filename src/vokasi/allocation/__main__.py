"""python -m vokasi.allocation: see cli.py."""

from .cli import main

raise SystemExit(main())
