"""Peers measured in the same run as docgate, on the same database server."""
