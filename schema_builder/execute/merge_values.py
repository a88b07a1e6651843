"""The values of a merged record (pure), by Twenty's rules.

Field by field, over the records to merge: a field that one record fills takes its value; a
field several fill takes the priority record's value, or the first filled one in the order
given. E-mails, phones and links keep the winner's primary value and gather every other
one — the others' primaries and all the secondary ones — once each (compared normalised:
`Ada@Example.com` is `ada@example.com`); array and multi-select values are united. System
fields (id, dates, authors, position, search vector) are the priority record's own.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from schema_builder.metadata.model import MANY_TO_ONE, ObjectMeta

Doc = Mapping[str, Any]


def has_value(value: Any) -> bool:
    """Twenty's hasRecordFieldValue: not null, not blank, not an empty list or object."""
    if value is None:
        return False
    if isinstance(value, str):
        return value.strip() != ""
    if isinstance(value, list):
        return len(value) > 0
    if isinstance(value, Mapping):
        return any(has_value(v) for v in value.values())
    return True


def _winner(values: Sequence[tuple[Any, Any]], priority_id: Any, test: Callable[[Any], bool] = has_value) -> Any:
    """The priority record's value if it passes `test`, else the first that does."""
    for value, record_id in values:
        if record_id == priority_id and test(value):
            return value
    return next((value for value, _ in values if test(value)), None)


def _unique(items: Iterable[Any], key: Callable[[Any], Any]) -> list[Any]:
    seen: set[Any] = set()
    kept = []
    for item in items:
        k = key(item)
        if k not in seen:
            seen.add(k)
            kept.append(item)
    return kept


def _email_key(email: Any) -> str:
    return str(email).strip().lower()


def _url_key(url: Any) -> str:
    return re.sub(r"^[a-z][a-z0-9+.-]*://", "", str(url).strip().lower()).rstrip("/")


def _digits(number: Any) -> str:
    return re.sub(r"\D", "", str(number))


def merge_emails(values: Sequence[tuple[Any, Any]], priority_id: Any) -> dict[str, Any]:
    winner = _winner(values, priority_id, lambda v: has_value(v.get("primaryEmail")))
    primary = winner.get("primaryEmail") if winner else None
    every = [e for v, _ in values for e in (v.get("primaryEmail"), *(v.get("additionalEmails") or ())) if has_value(e)]
    others = [e for e in _unique(every, _email_key) if primary is None or _email_key(e) != _email_key(primary)]
    return {"primaryEmail": primary, "additionalEmails": others}


def merge_phones(values: Sequence[tuple[Any, Any]], priority_id: Any) -> dict[str, Any]:
    winner = _winner(values, priority_id, lambda v: has_value(v.get("primaryPhoneNumber"))) or {}
    number = winner.get("primaryPhoneNumber")
    every: list[Mapping[str, Any]] = []
    for value, _ in values:
        if has_value(value.get("primaryPhoneNumber")):
            every.append({
                "number": value.get("primaryPhoneNumber"),
                "callingCode": value.get("primaryPhoneCallingCode"),
                "countryCode": value.get("primaryPhoneCountryCode"),
            })
        additional = value.get("additionalPhones") or ()
        every += [p for p in additional if isinstance(p, Mapping) and has_value(p.get("number"))]
    others = [p for p in _unique(every, lambda p: _digits(p.get("number")))
              if number is None or _digits(p.get("number")) != _digits(number)]
    return {
        "primaryPhoneNumber": number,
        "primaryPhoneCountryCode": winner.get("primaryPhoneCountryCode"),
        "primaryPhoneCallingCode": winner.get("primaryPhoneCallingCode"),
        "additionalPhones": others or None,
    }


def merge_links(values: Sequence[tuple[Any, Any]], priority_id: Any) -> dict[str, Any]:
    winner = _winner(values, priority_id, lambda v: has_value(v.get("primaryLinkUrl"))) or {}
    url = winner.get("primaryLinkUrl")
    every: list[Mapping[str, Any]] = []
    for value, _ in values:
        if has_value(value.get("primaryLinkUrl")):
            every.append({"url": value.get("primaryLinkUrl"), "label": value.get("primaryLinkLabel") or ""})
        every += [s for s in value.get("secondaryLinks") or () if isinstance(s, Mapping) and has_value(s.get("url"))]
    others = [s for s in _unique(every, lambda s: _url_key(s.get("url")))
              if url is None or _url_key(s.get("url")) != _url_key(url)]
    return {"primaryLinkUrl": url, "primaryLinkLabel": winner.get("primaryLinkLabel"), "secondaryLinks": others}


def merge_lists(values: Sequence[tuple[Any, Any]], priority_id: Any) -> list[Any]:
    return _unique((item for value, _ in values for item in value), repr)


_BY_TYPE: dict[str, Callable[[Sequence[tuple[Any, Any]], Any], Any]] = {
    "EMAILS": merge_emails, "PHONES": merge_phones, "LINKS": merge_links, "ARRAY": merge_lists,
    "MULTI_SELECT": merge_lists,
}


def merged_values(obj: ObjectMeta, records: Sequence[Doc], priority_id: Any) -> dict[str, Any]:
    """The values the surviving record takes (by stored key), for the fields any record fills."""
    merged: dict[str, Any] = {}
    for field in obj.fields:
        if field.is_system or field.type == "TS_VECTOR" or (field.relation_type and field.relation_type != MANY_TO_ONE):
            continue
        key = field.join_column or field.name
        values = [(record.get(key), record["_id"]) for record in records if has_value(record.get(key))]
        if not values:
            continue
        if len(values) == 1:
            merged[key] = values[0][0]
        elif field.type in _BY_TYPE and not field.join_column:
            merged[key] = _BY_TYPE[field.type](values, priority_id)
        else:
            merged[key] = _winner(values, priority_id)
    return merged
