#!/usr/bin/env python3
"""Write a new method card: `python scripts/new_method.py` asks for each field in Danish and writes
methods/<slug>.md. Every field can be given as an option; `--yes` never asks (see `--help`).
The same as the console script `vk-new-method`; the logic is in toolbox/scaffold.py.
"""

from toolbox.cli import new_method_main

if __name__ == "__main__":
    new_method_main()
