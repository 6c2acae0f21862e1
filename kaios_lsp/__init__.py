"""kaios-lsp: tells KaiOS app developers, as they type, what the phone will refuse,
ignore or prompt for — and offers a one-key fix."""

__version__ = "0.1.0"
