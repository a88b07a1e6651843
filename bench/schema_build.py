"""Scenario (f): building a workspace's executable schema, its memory, and the bounded cache.

Run in-process, on docgate's own functions: `model_from_documents` assembles the model from
metadata documents shaped as the metadata store writes them, `build_core_schema` synthesises
the SDL and binds the resolvers. Memory is what one built schema keeps alive (tracemalloc,
after a full collection); the LRU check feeds `SchemaRegistry` many workspaces and reports
how many schemas it holds and the process's resident memory.
"""

from __future__ import annotations

import gc
import statistics
import time
import tracemalloc
import uuid
from typing import Any

from schema_builder.metadata.model import WorkspaceModel, model_from_documents
from schema_builder.metadata.store import _SYSTEM_FIELDS
from schema_builder.synthesis.core_schema import build_core_schema
from schema_builder.synthesis.registry import SchemaRegistry

# A mix of every kind of field: atomic, enum, composite, and a relation.
FIELD_TYPES = [
    "TEXT", "NUMBER", "BOOLEAN", "DATE_TIME", "DATE", "SELECT", "MULTI_SELECT", "RATING", "CURRENCY", "FULL_NAME",
    "EMAILS", "LINKS", "PHONES", "ADDRESS", "UUID", "RAW_JSON", "ARRAY", "NUMERIC", "RICH_TEXT", "RELATION",
]
OPTIONS = [{"value": f"OPTION_{k}", "label": f"Option {k}", "position": k, "color": "blue"} for k in range(5)]
RATINGS = [{"value": f"RATING_{k}", "label": f"{k}", "position": k - 1} for k in range(1, 6)]


def _id(ns: str, *parts: object) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"docgate-bench/{ns}/" + "/".join(map(str, parts))))


def _field(object_id: str, name: str, ftype: str, **extra: Any) -> dict[str, Any]:
    return {
        "_id": extra.pop("_id", None) or _id("field", object_id, name), "objectMetadataId": object_id, "name": name,
        "label": name, "type": ftype, "isActive": True, "isNullable": True, "isUnique": False,
        "isSystem": False, "isCustom": True, "options": None, "settings": None, "defaultValue": None, **extra,
    }


def custom_workspace_docs(objects: int = 200, fields: int = 20) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Metadata documents of `objects` custom objects with `fields` custom fields each (+ system
    fields); field i of every object has type FIELD_TYPES[i % 20]; the relation is many-to-one
    to the next object, with its one-to-many inverse on that object."""
    object_docs, field_docs = [], []
    for i in range(objects):
        oid = _id("object", i)
        object_docs.append({
            "_id": oid, "nameSingular": f"custom{i:03d}", "namePlural": f"custom{i:03d}s",
            "labelSingular": f"Custom {i}", "labelPlural": f"Customs {i}", "isCustom": True, "isActive": True,
        })
        for spec in _SYSTEM_FIELDS:
            field_docs.append(_field(oid, spec["name"], spec["type"], isSystem=True, isCustom=False,
                                     isNullable=spec.get("isNullable", True), isUnique=spec.get("isUnique", False)))
    for i in range(objects):
        oid, target = _id("object", i), _id("object", (i + 1) % objects)
        for k in range(fields):
            ftype = FIELD_TYPES[k % len(FIELD_TYPES)]
            name = f"field{k:02d}{ftype.title().replace('_', '')}"
            if ftype == "RELATION":
                fid, inverse = _id("field", oid, name), _id("field", target, f"inverse{i:03d}")
                field_docs.append(_field(oid, name, "RELATION", _id=fid,
                                         settings={"relationType": "MANY_TO_ONE", "joinColumnName": f"{name}Id"},
                                         relationTargetObjectMetadataId=target, relationTargetFieldMetadataId=inverse))
                field_docs.append(_field(target, f"inverse{i:03d}", "RELATION", _id=inverse,
                                         settings={"relationType": "ONE_TO_MANY"},
                                         relationTargetObjectMetadataId=oid, relationTargetFieldMetadataId=fid))
            else:
                extra = {"options": RATINGS if ftype == "RATING" else OPTIONS} if ftype in (
                    "SELECT", "MULTI_SELECT", "RATING") else {}
                field_docs.append(_field(oid, name, ftype, **extra))
    return object_docs, field_docs


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def retained_bytes(build: Any) -> tuple[int, Any]:
    """Bytes still allocated after `build()` returns and a full collection (tracemalloc)."""
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        built = build()
        gc.collect()
        return tracemalloc.get_traced_memory()[0] - before, built
    finally:
        tracemalloc.stop()


def measure_build(objects: int, fields: int, repeats: int) -> dict[str, Any]:
    object_docs, field_docs = custom_workspace_docs(objects, fields)
    t0 = time.perf_counter()
    model = model_from_documents("bench-f", 1, object_docs, field_docs)
    model_ms = (time.perf_counter() - t0) * 1000
    times = []
    for _ in range(repeats):
        # A fresh model each time, as a new metadata version brings: what a build works out
        # from a model and keeps on it (its aggregates) is part of the build.
        model = model_from_documents("bench-f", 1, object_docs, field_docs)
        gc.collect()
        t0 = time.perf_counter()
        built = build_core_schema(model)
        times.append((time.perf_counter() - t0) * 1000)
    del built
    model = model_from_documents("bench-f", 1, object_docs, field_docs)
    size, built = retained_bytes(lambda: build_core_schema(model))
    return {
        "objects": objects, "custom_fields_per_object": fields,
        "fields_total": sum(len(o.fields) for o in model.objects),
        "sdl_chars": len(built.sdl), "types": len(built.schema.type_map),
        "model_ms": round(model_ms, 1), "build_ms": [round(t, 1) for t in times],
        "build_ms_median": round(statistics.median(times), 1), "retained_mb": round(size / 1e6, 2),
    }


async def measure_lru(model: WorkspaceModel, workspaces: int, cache_size: int) -> dict[str, Any]:
    """Feed `workspaces` distinct workspaces (each with `model`'s objects) to a registry of
    `cache_size`; report its size and resident memory as it goes."""

    async def load(workspace_id: str) -> WorkspaceModel:
        return WorkspaceModel(workspace_id, 1, model.objects)

    async def versions() -> dict[str, int]:
        return {}

    registry: SchemaRegistry[Any] = SchemaRegistry(load, build_core_schema, versions, cache_size)
    gc.collect()
    start_rss = rss_mb()
    samples = []
    t0 = time.perf_counter()
    for i in range(workspaces):
        await registry.get(f"ws{i:05d}")
        if (i + 1) in (cache_size, 2 * cache_size, workspaces) or (i + 1) % 250 == 0:
            gc.collect()
            samples.append({"workspaces": i + 1, "cached": len(registry.cached()),
                            "rss_mb": round(rss_mb(), 1)})
    elapsed = time.perf_counter() - t0
    cached = len(registry.cached())
    del registry
    gc.collect()
    return {
        "workspaces": workspaces, "cache_size": cache_size, "cached_at_end": cached,
        "bounded": cached <= cache_size, "rss_start_mb": round(start_rss, 1), "samples": samples,
        "build_ms_mean": round(elapsed / workspaces * 1000, 1),
    }
