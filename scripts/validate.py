#!/usr/bin/env python3
"""Check method cards and cases: `python scripts/validate.py [PATH ...]` (all content without paths).

Prints one line per problem, `path:line: message`, in Danish; exits 1 when there is any problem.
With --github the lines are GitHub Actions annotations. The same as the console script
`vk-validate`; the logic is in toolbox/cli.py and toolbox/validate.py.
"""

import sys

from toolbox.cli import validate_main

if __name__ == "__main__":
    sys.exit(validate_main())
