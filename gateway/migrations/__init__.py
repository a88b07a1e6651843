"""Migrations of the standard data model: versioned, idempotent, one replica at a time."""

from .indexes import ensure_all_indexes
from .runner import migrate_all_workspaces, migrate_workspace
from .standard_model import LATEST_VERSION, standard_model

__all__ = ["LATEST_VERSION", "ensure_all_indexes", "migrate_all_workspaces", "migrate_workspace", "standard_model"]
