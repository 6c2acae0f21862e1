"""`python -m kaios_lsp` behaves exactly like the `kaios-lsp` command."""

import sys

from kaios_lsp.main import main

# The guard matters: analysis worker processes are spawned, and they import this module
# under another name; they must not start a second server.
if __name__ == "__main__":
    sys.exit(main())
