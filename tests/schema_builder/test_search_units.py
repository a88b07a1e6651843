"""The pure parts of search, duplicates and merge: tokens, vectors, Postgres' ranks, label
classes, duplicate keys, merged values."""

from __future__ import annotations

import pytest

from schema_builder.compile.ordering import build_sort_plan
from schema_builder.execute.merge_values import merged_values
from schema_builder.metadata.model import FieldMeta, ObjectMeta, WorkspaceModel
from schema_builder.search.duplicate_keys import normalized, record_keys
from schema_builder.search.ranking import label_class, real, ts_rank, ts_rank_cd
from schema_builder.search.text import index_tokens, normalize, query_terms, successor, term_matches, tokens
from schema_builder.search.vectors import format_vector, parse_vector, record_positions, search_values

PERSON = ObjectMeta(
    id="p", name_singular="person", name_plural="people", label_identifier_id="f-name",
    fields=(
        FieldMeta("f-name", "name", "FULL_NAME"), FieldMeta("f-emails", "emails", "EMAILS"),
        FieldMeta("f-phones", "phones", "PHONES"), FieldMeta("f-job", "jobTitle", "TEXT"),
        FieldMeta("f-link", "linkedinLink", "LINKS"), FieldMeta("f-tags", "tags", "ARRAY"),
        FieldMeta("f-sv", "searchVector", "TS_VECTOR", is_system=True,
                  settings={"searchFields": ["name", "emails", "phones", "jobTitle"]}),
        FieldMeta("f-created", "createdAt", "DATE_TIME", is_system=True),
    ),
)


@pytest.mark.parametrize(("text", "expected"), [
    ("Jöhn Müller-Lüdenscheidt", ["john", "muller-ludenscheidt", "muller", "ludenscheidt"]),
    ("josé@CAFÉ.com", ["jose@cafe.com"]),
    ("https://Links.Example.com/", ["links.example.com"]),
    ("+442071234567 +44", ["+442071234567", "+44"]),
    ("O'Brien foo_bar", ["o", "brien", "foo", "bar"]),
    ("Straße Ærø", ["strasse", "aero"]),
    ("$where .* {'$gt': ''}", ["where", "gt"]),
])
def test_tokens_are_postgres_like(text: str, expected: list[str]) -> None:
    assert list(tokens(text)) == expected


def test_unspaced_text_is_found_by_any_part() -> None:
    index = index_tokens(tokens("示例商业线索"))
    assert "商业" in index and term_matches("商业", index) and term_matches("商业线", index)
    assert not term_matches("线示", index)
    assert normalize("ÀÉÎ") == "aei" and successor("jo") == "jp"
    assert query_terms("  Jean-Pierre  !! ") == ["jean-pierre"]


def test_the_vector_follows_twenty_s_expression() -> None:
    doc = {"name": {"firstName": "Ada", "lastName": "Lovelace"},
           "emails": {"primaryEmail": "ada@example.com", "additionalEmails": ["a.l@analytical.org"]},
           "phones": {"primaryPhoneNumber": "2071234567", "primaryPhoneCallingCode": "+44",
                      "additionalPhones": [{"number": "1112223333", "callingCode": "+1", "countryCode": "US"}]},
           "jobTitle": "Countess", "tags": ["not", "searched"]}
    positions = record_positions(PERSON, doc)
    assert list(positions) == [
        "ada", "lovelace", "ada@example.com", "example.com", "a.l@analytical.org", "a.l", "analytical.org",
        "2071234567", "+44", "+442071234567", "442071234567", "02071234567", "1112223333", "+1", "us", "countess",
    ]
    values = search_values(PERSON, doc)
    assert parse_vector(values["searchVector"]) == positions == parse_vector(format_vector(positions))
    assert values["_searchTokens"] == sorted(positions)


def test_postgres_ranks() -> None:
    one = {"searchinput1": [1], "2071234567": [2]}
    assert (ts_rank(one, ["searchinput1"]), ts_rank_cd(one, ["searchinput1"])) == (0.06079271, 0.1)
    two = {"jose": [1], "garcia": [2], "jose@cafe.com": [5]}
    assert (ts_rank(two, ["jose"]), ts_rank_cd(two, ["jose"])) == (0.12158542, 0.2)
    assert ts_rank_cd(two, ["jose", "garcia"]) > 0 and ts_rank_cd(two, ["jose", "nobody"]) == 0
    assert ts_rank(two, ["jose", "nobody"]) == real(0.12158542 / 2)  # an OR of two terms: the mean
    assert ts_rank({}, ["a"]) == ts_rank_cd({"a": [1]}, []) == 0


def test_label_classes() -> None:
    assert [label_class(label, "jo", ["jo"]) for label in ("Jo", "John Smith", "Mary Jones", "Mary Smith")] == [
        0, 1, 2, 3]
    assert label_class("Jöhn", "JOHN", ["john"]) == 0 and label_class("x", "", []) == 3


def test_duplicate_keys_are_normalised() -> None:
    assert normalized("EMAIL", " Ada@Example.COM ") == "ada@example.com"
    assert normalized("URL", "https://www.Acme.com/") == normalized("URL", "acme.com") == "acme.com"
    assert normalized("PHONE", "+33 (0)6 12-34") == "33061234"
    assert normalized("TEXT", "  José  ") == "jose" and normalized("TEXT", "Al") is None
    keys = record_keys(PERSON, {"name": {"firstName": "ADA", "lastName": "lovelace"},
                                "emails": {"primaryEmail": "x@y.io"}, "linkedinLink": {"primaryLinkUrl": None}})
    assert keys == ["emailsPrimaryEmail=x@y.io", "nameFirstName+nameLastName=ada\x1flovelace"]


def test_merged_values() -> None:
    records = [
        {"_id": "a", "jobTitle": None, "emails": {"primaryEmail": None, "additionalEmails": ["X@a.io"]},
         "tags": ["t1"], "createdAt": 1},
        {"_id": "b", "jobTitle": "CTO", "emails": {"primaryEmail": "b@b.io", "additionalEmails": ["x@a.io"]},
         "tags": ["t1", "t2"], "createdAt": 2},
    ]
    merged = merged_values(PERSON, records, "a")
    assert merged == {"jobTitle": "CTO", "emails": {"primaryEmail": "b@b.io", "additionalEmails": ["X@a.io"]},
                      "tags": ["t1", "t2"]}  # system fields stay the survivor's


def test_a_set_of_ids_is_looked_up_not_walked() -> None:
    plan = build_sort_plan(WorkspaceModel("w", 0, (PERSON,)), PERSON, None)
    assert plan.id_index_hint({"_id": {"$gt": "x"}, "deletedAt": None}) == [("_id", 1)]  # a cursor: walk
    assert plan.id_index_hint({"_id": {"$in": ["a", "b"]}, "deletedAt": None}) is None  # search filter ids
