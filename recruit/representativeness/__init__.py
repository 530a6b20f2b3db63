"""Representativeness: is the workforce reflective of the populations it serves? (DOMAIN.md §6)."""
