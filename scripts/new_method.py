#!/usr/bin/env python3
"""Write a new method card: `python scripts/new_method.py` asks for each field in Danish and writes
methods/<slug>.md. Every field can be given as an option; `--yes` never asks (see `--help`).

The logic is in toolbox/scaffold.py.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from toolbox import model, scaffold  # noqa: E402

if __name__ == "__main__":
    scaffold.run(model.METHOD, default_root=ROOT)
