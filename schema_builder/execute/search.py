"""The cross-object `search` query, as Twenty answers it.

Each searchable object is read through the search index (the records with a word starting
with any term of the input, at most `max_search_candidates` per term), narrowed by the
`filter` and the trash, ranked with Twenty's two figures (`ranking`) and cut at the page;
the objects' pages are then merged: best `tsRankCD`, then `tsRank`, then Twenty's object
priority (person, company, opportunity, note, task), then how the label answers, then
object and id. An empty input lists every record of the searchable objects by id.

The cursor is Twenty's, `{lastRanks, lastRecordIdsPerObject}` in base64 JSON; the next page
of an object starts after its last record given (whose label is looked at again, as docgate
orders equal ranks by label before id).
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from schema_builder.compile.filters import all_of, mentions_deleted_at, visible_filter
from schema_builder.context import RequestContext
from schema_builder.errors import BadUserInput
from schema_builder.execute.reads import collection, resolve_query, to_list
from schema_builder.execute.search_index import candidates
from schema_builder.metadata.model import FieldMeta, ObjectMeta, WorkspaceModel
from schema_builder.permissions.model import READ
from schema_builder.search.ranking import NO_LABEL_MATCH, label_class, ts_rank, ts_rank_cd
from schema_builder.search.text import query_terms
from schema_builder.search.vectors import SEARCH_VECTOR, parse_vector

MAX_LIMIT = 100  # Twenty's: "Limit cannot exceed 100 items"
# Twenty's STANDARD_OBJECTS_BY_PRIORITY_RANK: the higher, the earlier among equal ranks.
PRIORITY = {"person": 5, "company": 4, "opportunity": 3, "note": 2, "task": 1}
# The picture of a standard object without an image identifier, as Twenty picks it.
STANDARD_IMAGES = {"person": ("avatarFile", "avatarUrl"), "company": ("domainName",), "workspaceMember": ("avatarUrl",)}
FAVICONS = "https://twenty-icons.com/"


@dataclass(frozen=True)
class Hit:
    """One record found, with what orders it."""

    obj: ObjectMeta
    order: int  # the object's place in the model (objects of equal priority)
    record_id: str
    label: str
    image_url: str
    rank_cd: float
    rank: float
    label_match: int

    def key(self) -> tuple[Any, ...]:
        return (-self.rank_cd, -self.rank, -PRIORITY.get(self.obj.name_singular, 0), self.label_match, self.order,
                self.record_id)

    def node(self) -> dict[str, Any]:
        return {
            "recordId": self.record_id,
            "objectNameSingular": self.obj.name_singular,
            "objectLabelSingular": self.obj.label_singular,
            "label": self.label,
            "imageUrl": self.image_url,
            "tsRankCD": self.rank_cd,
            "tsRank": self.rank,
        }


@dataclass(frozen=True)
class Cursor:
    rank_cd: float
    rank: float
    last_ids: dict[str, str]


def _number(value: float) -> float | int:
    """A rank as JavaScript's JSON writes it (0, not 0.0), so cursors are Twenty's text."""
    return int(value) if float(value).is_integer() else value


def encode_cursor(rank_cd: float, rank: float, last_ids: Mapping[str, str]) -> str:
    data = {"lastRanks": {"tsRankCD": _number(rank_cd), "tsRank": _number(rank)},
            "lastRecordIdsPerObject": dict(last_ids)}
    return base64.b64encode(json.dumps(data, separators=(",", ":")).encode()).decode()


def decode_cursor(after: str) -> Cursor:
    try:
        data = json.loads(base64.b64decode(after.encode(), validate=True))
        ranks, ids = data["lastRanks"], data["lastRecordIdsPerObject"]
        rank_cd, rank = ranks["tsRankCD"], ranks["tsRank"]
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (rank_cd, rank)):
            raise TypeError("ranks")
        if not isinstance(ids, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in ids.items()):
            raise TypeError("ids")
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError):
        raise BadUserInput(f"Invalid cursor: {after[:100]}", subCode="INVALID_CURSOR") from None
    return Cursor(float(rank_cd), float(rank), ids)


def searchable_objects(
    model: WorkspaceModel, included: Sequence[str] | None, excluded: Sequence[str] | None
) -> list[ObjectMeta]:
    """Twenty's choice: the objects named in `included` (searchable or not), else every
    searchable one, less `excluded`; only objects with a vector and a label identifier."""
    wanted, unwanted = set(included or ()), set(excluded or ())
    chosen = [
        obj for obj in model.objects
        if (obj.name_singular in wanted if wanted else obj.is_searchable) and obj.name_singular not in unwanted
    ]
    return [o for o in chosen if o.field(SEARCH_VECTOR) is not None and label_field(o) is not None]


def label_field(obj: ObjectMeta) -> FieldMeta | None:
    return obj.field_by_id(obj.label_identifier_id)


def _image_field(obj: ObjectMeta) -> FieldMeta | None:
    chosen = obj.field_by_id(obj.image_identifier_id)
    if chosen is None and not obj.is_custom:
        chosen = next((f for n in STANDARD_IMAGES.get(obj.name_singular, ()) if (f := obj.field(n))), None)
    return chosen


def label_of(obj: ObjectMeta, doc: Mapping[str, Any]) -> str:
    """Twenty's label: the label identifier's value, a full name as `first last`."""
    field = label_field(obj)
    value = doc.get(field.name) if field is not None else None
    if field is not None and field.type == "FULL_NAME":
        parts = value if isinstance(value, Mapping) else {}
        return " ".join(str(parts.get(k) or "") for k in ("firstName", "lastName"))
    return "" if value is None else str(value)


def image_of(obj: ObjectMeta, doc: Mapping[str, Any]) -> str:
    """The record's picture: a file's URL, a link's site icon (as Twenty's), or ""."""
    field = _image_field(obj)
    value = doc.get(field.name) if field is not None else None
    if field is None or value is None:
        return ""
    if field.type == "FILES" and isinstance(value, list) and value and isinstance(value[0], Mapping):
        return str(value[0].get("url") or "")
    if field.type == "LINKS" and isinstance(value, Mapping) and value.get("primaryLinkUrl"):
        url = str(value["primaryLinkUrl"])
        host = urlsplit(url if "://" in url else f"https://{url}").hostname
        return f"{FAVICONS}{host}" if host else ""
    return value if isinstance(value, str) else ""


def _projection(obj: ObjectMeta) -> dict[str, int]:
    fields = {"_id": 1, SEARCH_VECTOR: 1, "deletedAt": 1}
    for field in (label_field(obj), _image_field(obj)):
        if field is not None:
            fields[field.name] = 1
    return fields


class _Search:
    """One `search` request: its input, filter, cursor and budget."""

    def __init__(self, ctx: RequestContext, model: WorkspaceModel, args: Mapping[str, Any]) -> None:
        self.ctx, self.model = ctx, model
        self.text: str = args["searchInput"]
        self.limit: int = args["limit"]
        self.filter: Mapping[str, Any] | None = args.get("filter")
        after = args.get("after")
        self.cursor = decode_cursor(after) if after else None
        self.terms = query_terms(self.text)
        if self.limit > MAX_LIMIT:
            raise BadUserInput("Limit cannot exceed 100 items")
        if self.limit < 0:
            raise BadUserInput(f"'limit' must not be negative, got {self.limit}")
        if len(self.text) > ctx.limits.max_pattern_length:
            raise BadUserInput(
                f"searchInput takes at most {ctx.limits.max_pattern_length} characters (DOCGATE_MAX_PATTERN_LENGTH); "
                f"got {len(self.text)}"
            )

    def hit(self, obj: ObjectMeta, order: int, doc: Mapping[str, Any]) -> Hit:
        label = label_of(obj, doc)
        if not self.terms:
            return Hit(obj, order, doc["_id"], label, image_of(obj, doc), 0.0, 0.0, NO_LABEL_MATCH)
        positions = parse_vector(doc.get(SEARCH_VECTOR))
        return Hit(obj, order, doc["_id"], label, image_of(obj, doc), ts_rank_cd(positions, self.terms),
                   ts_rank(positions, self.terms), label_class(label, self.text, self.terms))

    async def object_hits(self, obj: ObjectMeta, order: int) -> list[Hit]:
        """The object's best `limit + 1` records after the cursor, best first."""
        base = visible_filter(self.model, obj, self.filter, self.ctx.limits) if self.filter else None
        permissions = self.ctx.permissions
        if base is None and permissions is not None and permissions.access(obj).row_filter is not None:
            base = {"deletedAt": None}  # the candidates are read whole: keep the role's rows only
        if not self.text.strip():
            return await self.listed(obj, order, base)
        if not self.terms:  # only punctuation: no word of any record starts with it
            return []
        docs = await candidates(self.ctx, obj, self.terms, _projection(obj), self.ctx.limits.max_search_candidates)
        if base is not None:
            ids = [d["_id"] for d in docs]
            query = await resolve_query(self.ctx, all_of(base, {"_id": {"$in": ids}}))
            allowed = {d["_id"] for d in await to_list(collection(self.ctx, obj).find(query, {"_id": 1}))}
            docs = [d for d in docs if d["_id"] in allowed]
        elif not mentions_deleted_at(self.filter):
            docs = [d for d in docs if d.get("deletedAt") is None]
        hits = sorted((self.hit(obj, order, d) for d in docs), key=Hit.key)
        if self.cursor is not None:
            last = await self.last_shown(obj, order)
            hits = [h for h in hits if self.after_cursor(h, last)]
        return hits[: self.limit + 1]

    async def listed(self, obj: ObjectMeta, order: int, base: dict[str, Any] | None) -> list[Hit]:
        """No input: the records by id, after the object's last one shown."""
        query = base if base is not None else {"deletedAt": None}
        cursor = self.cursor
        if cursor is not None and cursor.rank_cd == 0 and cursor.rank == 0 and obj.name_singular in cursor.last_ids:
            query = all_of(query, {"_id": {"$gt": cursor.last_ids[obj.name_singular]}})
        coll = collection(self.ctx, obj)
        found = coll.find(await resolve_query(self.ctx, query), _projection(obj), batch_size=self.limit + 2)
        docs = await to_list(found.sort("_id", 1).limit(self.limit + 1))
        self.ctx.charge(len(docs))
        return [self.hit(obj, order, d) for d in docs]

    async def last_shown(self, obj: ObjectMeta, order: int) -> Hit | None:
        """The object's last record shown on earlier pages, ranked again (None: none shown)."""
        assert self.cursor is not None
        last_id = self.cursor.last_ids.get(obj.name_singular)
        if last_id is None:
            return None
        doc = await collection(self.ctx, obj).find_one({"_id": last_id}, _projection(obj))
        if doc is None:  # gone since: resume after its id, among the best-labelled
            return Hit(obj, order, last_id, "", "", self.cursor.rank_cd, self.cursor.rank, 0)
        return self.hit(obj, order, doc)

    def after_cursor(self, hit: Hit, last: Hit | None) -> bool:
        """Whether `hit` comes after the cursor: lower ranks, or equal ranks and after the
        object's last record shown (when that one was shown at these ranks)."""
        cursor = self.cursor
        assert cursor is not None
        ranks, last_ranks = (hit.rank_cd, hit.rank), (cursor.rank_cd, cursor.rank)
        if ranks != last_ranks:
            return ranks < last_ranks
        if last is None or (last.rank_cd, last.rank) != last_ranks:
            return True  # none of this object's records at these ranks was shown yet
        return (hit.label_match, hit.record_id) > (last.label_match, last.record_id)

    def connection(self, hits: list[Hit]) -> dict[str, Any]:
        page = sorted(hits, key=Hit.key)
        shown, has_next = page[: self.limit], len(page) > self.limit
        last_ids = dict(self.cursor.last_ids) if self.cursor else {}
        edges = []
        for hit in shown:
            last_ids[hit.obj.name_singular] = hit.record_id
            edges.append({"node": hit.node(), "cursor": encode_cursor(hit.rank_cd, hit.rank, last_ids)})
        end = edges[-1]["cursor"] if edges else None
        return {"edges": edges, "pageInfo": {"endCursor": end, "hasNextPage": has_next}}


async def search(ctx: RequestContext, model: WorkspaceModel, args: Mapping[str, Any]) -> dict[str, Any]:
    """Twenty's `search(searchInput, limit, after, filter, included/excludedObjectNameSingulars)`."""
    request = _Search(ctx, model, args)
    included, excluded = args.get("includedObjectNameSingulars"), args.get("excludedObjectNameSingulars")
    objects = searchable_objects(model, included, excluded)
    if ctx.permissions is not None:  # objects the role may not read are not searched (as Twenty)
        objects = [obj for obj in objects if ctx.permissions.can(obj, READ)]
    order = {obj.id: i for i, obj in enumerate(model.objects)}
    pages = await asyncio.gather(*(request.object_hits(obj, order[obj.id]) for obj in objects))
    return request.connection([hit for page in pages for hit in page])
