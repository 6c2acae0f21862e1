"""Rules on permissions: declared, denied, prompted, unused."""
