"""`python -m toolbox validate|export|serve|printshop|new-case|new-method|issue-to-case ...`: the console scripts without installing."""

import sys

from . import cli

COMMANDS = {"validate": cli.validate_main, "export": cli.export_main, "printshop": cli.printshop_main,
            "new-case": cli.new_case_main, "new-method": cli.new_method_main,
            "issue-to-case": cli.issue_to_case_main, "serve": cli.serve_main}

if __name__ == "__main__":
    name = sys.argv[1] if len(sys.argv) > 1 else ""
    if name not in COMMANDS:
        print("brug: python -m toolbox {" + ",".join(COMMANDS) + "} ...", file=sys.stderr)
        sys.exit(2)
    sys.argv = [f"toolbox {name}", *sys.argv[2:]]
    result = COMMANDS[name]() if name.startswith("new-") else COMMANDS[name](sys.argv[1:])
    sys.exit(result or 0)
