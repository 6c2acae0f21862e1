"""The rules: each module emits its findings and declares its rules' metadata."""
