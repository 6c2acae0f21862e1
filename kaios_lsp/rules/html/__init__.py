"""Rules on pages: inline code, remote and mixed content, integrity, referrer."""
