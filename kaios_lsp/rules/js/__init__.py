"""Rules on scripts: CSP, secure contexts, permissions, prompts, syntax."""
