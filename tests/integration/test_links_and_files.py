"""LINKS URLs are stored as Twenty stores them (scheme and host lower-cased, no trailing
slash), so one site is one value to unique keys, upserts and `connect`; FILES fields are
`[FileObject]` lists of `{fileId, label}` as in Twenty."""

from __future__ import annotations

from tests.conftest import GatewayUnderTest
from tests.integration.helpers import data, error
from tests.rest_shim.core_rest_helpers import ok

LINKS = "domainName { primaryLinkUrl primaryLinkLabel secondaryLinks }"


async def test_urls_are_normalised_on_create_and_update(gateway: GatewayUnderTest) -> None:
    company = data(await gateway.graphql(
        'mutation { createCompany(data: {name: "Norm", domainName: {primaryLinkUrl: "HTTPS://Norm.Example/", '
        f'secondaryLinks: [{{url: "https://Docs.Norm.Example/Guide/", label: "docs"}}]}}}}) {{ id {LINKS} }} }}'
    ))["createCompany"]
    assert company["domainName"]["primaryLinkUrl"] == "https://norm.example"
    assert company["domainName"]["secondaryLinks"] == [{"url": "https://docs.norm.example/Guide", "label": "docs"}]
    kept = data(await gateway.graphql(
        'mutation($i: UUID!) { updateCompany(id: $i, data: {linkedinLink: {primaryLinkUrl: "linkedin.com/in/x/"}}) '
        "{ linkedinLink { primaryLinkUrl } } }", {"i": company["id"]}
    ))["updateCompany"]
    assert kept["linkedinLink"]["primaryLinkUrl"] == "linkedin.com/in/x/"  # no scheme: kept as given, as Twenty


async def test_a_trailing_slash_matches_the_same_company(gateway: GatewayUnderTest) -> None:
    first = data(await gateway.graphql(
        'mutation { createCompany(data: {name: "Test", domainName: {primaryLinkUrl: "https://test.com"}}) { id } }'
    ))["createCompany"]
    twin = error(await gateway.graphql(
        'mutation { createCompany(data: {name: "Twin", domainName: {primaryLinkUrl: "https://TEST.com/"}}) { id } }'
    ))
    assert "domainName" in twin["message"]  # the unique key sees one value
    upserted = data(await gateway.graphql(
        'mutation { createCompany(upsert: true, data: {name: "Test Inc", domainName: {primaryLinkUrl: '
        f'"https://test.com/"}}}}) {{ id name {LINKS} }} }}'
    ))["createCompany"]
    assert upserted["id"] == first["id"] and upserted["name"] == "Test Inc"
    assert upserted["domainName"]["primaryLinkUrl"] == "https://test.com"
    batch = await ok(gateway, "POST", "batch/companies", [{"name": "Test Co", "domainName": {
        "primaryLinkUrl": "https://test.com/"}}], upsert="true")
    assert batch["data"]["createCompanies"][0]["id"] == first["id"]
    person = data(await gateway.graphql(
        'mutation { createPerson(data: {company: {connect: {where: {domainName: {primaryLinkUrl: '
        '"https://Test.com/"}}}}}) { companyId } }'
    ))["createPerson"]
    assert person["companyId"] == first["id"]


async def test_files_are_lists_of_file_objects(gateway: GatewayUnderTest) -> None:
    file_id = "0b7e7f2e-1c11-4d2b-9f3a-2f1e0d9c8b7a"
    person = data(await gateway.graphql(
        "mutation($f: UUID!) { createPerson(data: {avatarFile: [{fileId: $f, label: \"ada.png\"}]}) "
        "{ id avatarFile { fileId label extension url } } }", {"f": file_id}
    ))["createPerson"]
    assert person["avatarFile"] == [{"fileId": file_id, "label": "ada.png", "extension": None, "url": None}]
    missing = error(await gateway.graphql('mutation { createPerson(data: {avatarFile: [{label: "x"}]}) { id } }'))
    assert "fileId" in missing["message"]
    rest = await ok(gateway, "GET", f"people/{person['id']}")
    assert rest["data"]["person"]["avatarFile"][0]["label"] == "ada.png"
