"""OpenAPI of find-duplicates and merge (`/{plural}/duplicates`, `/{plural}/merge`): for
the objects with duplicate criteria, with Twenty's operationIds."""

from __future__ import annotations

from schema_builder.context import Limits
from schema_builder.metadata.model import ObjectMeta, pascal
from schema_builder.search.duplicate_keys import duplicate_criteria

from .openapi_common import errors, json_body, operation
from .openapi_schemas import Schema, ref


def dedupe_paths(obj: ObjectMeta, limits: Limits) -> dict[str, Schema]:
    criteria = duplicate_criteria(obj)
    if not criteria:
        return {}
    s, pl = obj.name_singular, obj.name_plural
    p, pp = pascal(s), pascal(pl)
    one, many = obj.label_singular or s, obj.label_plural or pl
    record = ref(f"{p}ForResponse")
    uuids = {"type": "array", "items": {"type": "string", "format": "uuid"}}
    shown = "; ".join(" + ".join(group) for group in criteria)
    duplicates_body = {
        "type": "object",
        "description": "either `ids` of stored records or `data` of records to create (not both)",
        "properties": {"ids": {**uuids, "maxItems": limits.max_batch_size},
                       "data": {"type": "array", "items": ref(p), "maxItems": limits.max_batch_size}},
    }
    found = {"type": "object", "required": [f"{s}Duplicates", "totalCount", "pageInfo"], "properties": {
        f"{s}Duplicates": {"type": "array", "items": record},
        "totalCount": {"type": "integer"},
        "pageInfo": ref("Common.PageInfo"),
    }}
    merge_body = {
        "type": "object",
        "required": ["ids", "conflictPriorityIndex"],
        "properties": {
            "ids": {**uuids, "minItems": 2, "maxItems": limits.max_merge_records},
            "conflictPriorityIndex": {"type": "integer", "minimum": 0,
                                      "description": "the index in `ids` of the record that survives"},
            "dryRun": {"type": "boolean", "default": False,
                       "description": "answer the merged record without writing anything"},
        },
    }
    merged = {"type": "object", "required": ["data"], "properties": {"data": {
        "type": "object", "required": [f"merge{p}"], "properties": {f"merge{p}": record}}}}
    return {
        f"/{pl}/duplicates": {"post": operation(
            pl, f"find{p}Duplicates", f"Find {one} duplicates",
            {"200": {"description": f"Per input, the stored {many} that duplicate it (compared on {shown}, "
                                    "normalised: case, accents, URLs, phone digits)",
                     "content": {"application/json": {"schema": {"type": "object", "required": ["data"],
                                                                  "properties": {"data": {"type": "array",
                                                                                          "items": found}}}}}},
             **errors()},
            ("depth",), json_body(duplicates_body, f"the {many} to look for duplicates of"),
        )},
        f"/{pl}/merge": {"patch": operation(
            pl, f"mergeMany{pp}", f"Merge {many}",
            {"200": {"description": f"The surviving {one}: every relation to the others now points at it, the "
                                    "others are in the trash",
                     "content": {"application/json": {"schema": merged}}},
             **errors("404")},
            ("depth",), json_body(merge_body, f"the {many} to merge (2 to {limits.max_merge_records})"),
        )},
    }
