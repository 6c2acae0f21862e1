"""Rules on the uploaded package: its structure and its signature."""
