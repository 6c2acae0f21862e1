"""`python -m kaios_lsp` behaves exactly like the `kaios-lsp` command."""

import sys

from kaios_lsp.cli import main

sys.exit(main())
