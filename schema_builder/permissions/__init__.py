"""Roles compiled for enforcement: what a role may read and write, object by object, field by
field and row by row (`CompiledPermissions`), built once per (workspace, role, metadata and
access versions) and consulted by the compile step and the collection accessor."""
