"""Safeguard: case management and performance management for children's safeguarding."""
