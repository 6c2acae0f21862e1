"""Rules on the manifest's content security policy."""
