"""Values typed JSON in GraphQL: the list shapes of composite sub-fields, and what MongoDB can store.

Every refusal is a BAD_USER_INPUT naming the field and what was expected, on create,
update, update-many and upsert alike, and nothing is written.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import create_field, create_object, data, error
from tests.rest_shim.core_rest_helpers import fails, ok

CREATE_PERSON = "mutation($d: PersonCreateInput!) { createPerson(data: $d) { id emails { additionalEmails }" \
                " linkedinLink { secondaryLinks } phones { additionalPhones { number countryCode callingCode } } } }"
CREATE_ITEM = "mutation($d: GadgetCreateInput!, $u: Boolean) { createGadget(data: $d, upsert: $u) { id payload } }"


@pytest.fixture(scope="module")
async def gadgets(gateway: GatewayUnderTest) -> GatewayUnderTest:
    """A custom object with a free JSON field and a FILES field."""
    object_id = await create_object(gateway, "gadget", "gadgets")
    await create_field(gateway, object_id, name="payload", type="RAW_JSON")
    await create_field(gateway, object_id, name="attachments", type="FILES")
    await create_field(gateway, object_id, name="title", type="TEXT")
    return gateway


async def count(gateway: GatewayUnderTest, plural: str) -> int:
    return int(data(await gateway.graphql(f"{{ {plural} {{ totalCount }} }}"))[plural]["totalCount"])


def refused(body: dict[str, Any], *parts: str) -> str:
    """The message of a BAD_USER_INPUT answer, which must hold every one of `parts`."""
    first = error(body)
    assert first["extensions"]["code"] == "BAD_USER_INPUT", first
    message: str = first["message"]
    for part in parts:
        assert part in message, message
    return message


@pytest.mark.parametrize(
    ("value", "parts"),
    [
        ({"emails": {"additionalEmails": {"a": 1}}}, ["emails.additionalEmails", "a list of strings", "an object"]),
        ({"emails": {"additionalEmails": ["ok@example.com", 3]}}, ["emails.additionalEmails", "item 1 is a number"]),
        ({"emails": {"additionalEmails": "a@example.com"}}, ["emails.additionalEmails", "got a string"]),
        ({"linkedinLink": {"secondaryLinks": [{"url": "https://a.example", "k\u0000": []}]}},
         ["linkedinLink.secondaryLinks", "{url, label}", "unknown key 'k\\x00'"]),
        ({"linkedinLink": {"secondaryLinks": ["https://a.example"]}}, ["linkedinLink.secondaryLinks", "a string"]),
        ({"linkedinLink": {"secondaryLinks": [{"url": 1}]}}, ["'url' of item 0 is a number"]),
    ],
)
async def test_list_sub_fields_must_have_their_shape(
    gateway: GatewayUnderTest, value: dict[str, Any], parts: list[str]
) -> None:
    before = await count(gateway, "people")
    refused(await gateway.graphql(CREATE_PERSON, {"d": value}), "of 'person'", *parts)
    status, message = await fails(gateway, "POST", "people", value)
    assert status == 400 and all(p in message for p in parts), message
    assert await count(gateway, "people") == before


async def test_additional_phones_are_typed_as_twenty_types_them(gateway: GatewayUnderTest) -> None:
    """`[AdditionalPhoneInput!]` in, `[AdditionalPhone!]` out: GraphQL itself refuses other keys."""
    before = await count(gateway, "people")
    bad = {"phones": {"additionalPhones": [{"number": "612", "extension": "1"}]}}
    # graphql-js's quotes, as Twenty words it
    refused(await gateway.graphql(CREATE_PERSON, {"d": bad}), "AdditionalPhoneInput", '"extension"')
    status, message = await fails(gateway, "POST", "people", bad)
    assert status == 400 and "AdditionalPhoneInput" in message and "extension" in message, message
    assert await count(gateway, "people") == before


async def test_list_sub_fields_of_the_right_shape_are_stored(gateway: GatewayUnderTest) -> None:
    value = {
        "emails": {"primaryEmail": "shape@example.com", "additionalEmails": ["b@example.com"]},
        "linkedinLink": {"secondaryLinks": [{"url": "https://b.example", "label": "b"}, {"url": "https://c.example"}]},
        "phones": {"additionalPhones": [{"number": "612", "countryCode": "FR", "callingCode": "+33"}]},
    }
    person = data(await gateway.graphql(CREATE_PERSON, {"d": value}))["createPerson"]
    assert person["emails"]["additionalEmails"] == ["b@example.com"]
    assert person["linkedinLink"]["secondaryLinks"] == value["linkedinLink"]["secondaryLinks"]
    assert person["phones"]["additionalPhones"] == value["phones"]["additionalPhones"]
    cleared = await gateway.graphql(
        "mutation($id: UUID!) { updatePerson(id: $id, data: {emails: {additionalEmails: null}}) "
        "{ emails { primaryEmail additionalEmails } } }", {"id": person["id"]}
    )
    assert data(cleared)["updatePerson"]["emails"] == {"primaryEmail": "shape@example.com", "additionalEmails": None}


async def test_updates_check_the_shape_too(gateway: GatewayUnderTest) -> None:
    person = data(await gateway.graphql(CREATE_PERSON, {"d": {"jobTitle": "shaped"}}))["createPerson"]
    bad = {"linkedinLink": {"secondaryLinks": {"url": "https://x.example"}}}
    update_one = "mutation($id: UUID!, $d: PersonUpdateInput!) { updatePerson(id: $id, data: $d) { id } }"
    refused(await gateway.graphql(update_one, {"id": person["id"], "d": bad}), "linkedinLink.secondaryLinks")
    update_many = 'mutation($d: PersonUpdateInput!) { updatePeople(filter: {jobTitle: {eq: "shaped"}}, data: $d) ' \
                  "{ id } }"
    refused(await gateway.graphql(update_many, {"d": bad}), "linkedinLink.secondaryLinks")
    status, message = await fails(gateway, "PATCH", f"people/{person['id']}", bad)
    assert status == 400 and "linkedinLink.secondaryLinks" in message
    read = await gateway.graphql("query($id: UUID!) { person(filter: {id: {eq: $id}}) { linkedinLink "
                                 "{ secondaryLinks } } }", {"id": person["id"]})
    assert data(read)["person"]["linkedinLink"]["secondaryLinks"] is None


@pytest.mark.parametrize(
    ("payload", "parts"),
    [
        ({"a": {"b\u0000": 1}}, ["'payload'", "'b\\x00'", "payload.a", "NUL"]),
        ({"$set": 1}, ["'payload'", "'$set'", "must not begin with '$'"]),
        ({"list": [{"x.y": 1}]}, ["'payload'", "'x.y'", "payload.list[0]", "must not contain '.'"]),
        ({"n": 2**63}, ["'payload'", "payload.n", "64 bits", str(2**63 - 1)]),
    ],
)
async def test_free_json_refuses_what_mongodb_cannot_store(
    gadgets: GatewayUnderTest, payload: Any, parts: list[str]
) -> None:
    before = await count(gadgets, "gadgets")
    refused(await gadgets.graphql(CREATE_ITEM, {"d": {"payload": payload}}), "of 'gadget'", *parts)
    status, message = await fails(gadgets, "POST", "batch/gadgets", [{"title": "fine"}, {"payload": payload}])
    assert status == 400 and all(p in message for p in parts), message
    assert await count(gadgets, "gadgets") == before
    files = await gadgets.graphql("mutation($d: GadgetCreateInput!) { createGadget(data: $d) { id } }",
                                  {"d": {"attachments": [payload]}})
    refused(files, ".attachments[0]", "FileItemInput")  # FILES are `[FileItemInput]`, as in Twenty


async def test_free_json_nested_too_deep_is_refused(gadgets: GatewayUnderTest) -> None:
    deep: Any = "leaf"
    for _ in range(40):
        deep = {"d": deep}
    refused(await gadgets.graphql(CREATE_ITEM, {"d": {"payload": deep}}), "'payload'", "nested too deeply", "32")


async def test_free_json_checks_apply_to_updates_and_upserts(gadgets: GatewayUnderTest) -> None:
    gadget = data(await gadgets.graphql(CREATE_ITEM, {"d": {"title": "json", "payload": {"ok": [1, "two", None]}}}))
    gadget_id = gadget["createGadget"]["id"]
    assert gadget["createGadget"]["payload"] == {"ok": [1, "two", None]}
    bad = {"payload": {"k\u0000": True}}
    update_one = "mutation($id: UUID!, $d: GadgetUpdateInput!) { updateGadget(id: $id, data: $d) { id } }"
    refused(await gadgets.graphql(update_one, {"id": gadget_id, "d": bad}), "'payload'", "NUL")
    update_many = "mutation($d: GadgetUpdateInput!) { updateGadgets(filter: {title: {eq: \"json\"}}, data: $d) { id } }"
    refused(await gadgets.graphql(update_many, {"d": bad}), "'payload'", "NUL")
    refused(await gadgets.graphql(CREATE_ITEM, {"d": {"id": gadget_id, **bad}, "u": True}), "'payload'", "NUL")
    status, message = await fails(gadgets, "PATCH", f"gadgets/{gadget_id}", bad)
    assert status == 400 and "NUL" in message
    read = await gadgets.graphql("query($id: UUID!) { gadget(filter: {id: {eq: $id}}) { payload } }", {"id": gadget_id})
    assert data(read)["gadget"]["payload"] == {"ok": [1, "two", None]}


async def test_filters_with_nul_characters_and_odd_keys_answer_normally(gadgets: GatewayUnderTest) -> None:
    for filter in (
        {"title": {"eq": "a\u0000b"}},
        {"title": {"like": "%\u0000%"}},
        {"payload": {"like": "%$set%"}},
        {"title": {"in": ["x.y", "$where", "\u0000"]}},
    ):
        query = "query($f: GadgetFilterInput) { gadgets(filter: $f) { totalCount } }"
        body = await gadgets.graphql(query, {"f": filter})
        assert data(body)["gadgets"]["totalCount"] == 0, filter
    answer = await ok(gadgets, "GET", "gadgets", filter='title[eq]:"a\u0000b"')
    assert answer["totalCount"] == 0


async def test_free_json_literal_integer_beyond_64_bits_is_refused(gadgets: GatewayUnderTest) -> None:
    body = await gadgets.graphql(
        "mutation { createGadget(data: {payload: {n: [123456789012345678901234567890]}}) { id } }"
    )
    refused(body, "'payload'", "payload.n[0]", "64 bits")
