"""shacl."""
