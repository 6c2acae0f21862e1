"""Rules on the manifest itself: JSON syntax, schema, members, paths."""
