"""The indexes of an object, as Twenty's `Index` metadata describes them (pure).

docgate derives its indexes from metadata (DESIGN.md, Storage): a unique index per unique
field (over the sub-fields a composite one compares), an index per many-to-one join column,
and a text index for a TS_VECTOR field. Twenty lists the same kinds in `indexMetadataList`;
this describes docgate's, with stable ids and names so that a client sees the same index on
every request.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from schema_builder.metadata.field_types import COMPOSITE_TYPES, RELATION

_NAMESPACE = uuid.UUID("0b7f3f0e-8f5c-5a9d-b1e2-6a4c2d8e9f10")


def _index(owner: Mapping[str, Any], field: Mapping[str, Any], unique: bool, kind: str,
           parts: Sequence[str | None]) -> dict[str, Any]:
    columns = [f"{field['name']}{(p[:1].upper() + p[1:]) if p else ''}" for p in parts]
    digest = hashlib.sha256(f"{owner['nameSingular']}:{','.join(columns)}".encode()).hexdigest()[:27]
    index_id = str(uuid.uuid5(_NAMESPACE, f"{owner['_id']}:{field['_id']}:{kind}"))
    return {
        "id": index_id,
        "name": f"IDX_{'UNIQUE_' if unique else ''}{digest.upper()}",
        "isCustom": field.get("isCustom") is not False,
        "isUnique": unique,
        "indexWhereClause": None,
        "indexType": "GIN" if kind == "search" else "BTREE",
        "createdAt": field.get("createdAt"),
        "updatedAt": field.get("updatedAt"),
        "indexFieldMetadataList": [
            {
                "id": str(uuid.uuid5(_NAMESPACE, f"{index_id}:{i}")),
                "fieldMetadataId": field["_id"],
                "order": float(i),
                "subFieldName": part,
                "createdAt": field.get("createdAt"),
                "updatedAt": field.get("updatedAt"),
            }
            for i, part in enumerate(parts)
        ],
    }


def object_indexes(owner: Mapping[str, Any], fields: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """The indexes docgate keeps on an object's records, described as Twenty's `Index`es."""
    found = []
    for field in fields:
        if field.get("isActive") is False:
            continue
        relation_type = (field.get("settings") or {}).get("relationType")
        if field.get("isUnique") and field["type"] != RELATION and field["name"] != "id":
            composite = COMPOSITE_TYPES.get(field["type"])
            parts: list[str | None] = list(composite.unique_key) if composite is not None else [None]
            found.append(_index(owner, field, True, "unique", parts))
        if field["type"] == RELATION and relation_type == "MANY_TO_ONE":
            found.append(_index(owner, {**field, "name": f"{field['name']}Id"}, False, "join", [None]))
        if field["type"] == "TS_VECTOR":
            found.append(_index(owner, field, False, "search", [None]))
    return found
