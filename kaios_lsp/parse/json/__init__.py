"""The tolerant JSON parser that manifests are read with, and edits of its tree."""
