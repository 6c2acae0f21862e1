"""Facts about KaiOS and its engines: data files and their loaders, no logic beyond lookup."""
