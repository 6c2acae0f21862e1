"""Editor services over the core: completion, hover, outline, migration, applying fixes."""
