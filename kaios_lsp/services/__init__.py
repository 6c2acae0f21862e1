"""Editor services over the core: completion, hover, outline, migration, fixes, suppression."""
