#!/usr/bin/env python3
"""Write a new case: `python scripts/new_case.py` asks for each field in Danish and writes
cases/<slug>.md. Every field can be given as an option; `--yes` never asks (see `--help`).
The same as the console script `vk-new-case`; the logic is in toolbox/scaffold.py.
"""

from toolbox.cli import new_case_main

if __name__ == "__main__":
    new_case_main()
