from tests.conformance.role_factories import *
from tests.conftest import GatewayUnderTest


async def test_smoke(gateway: GatewayUnderTest) -> None:
    r = await gateway.graphql('mutation { createCompany(data: {name: "Acme"}) { id } }')
    cid = r["data"]["createCompany"]["id"]
    r = await gateway.graphql(f'mutation {{ createPerson(data: {{jobTitle: "Paris", companyId: "{cid}"}}) {{ id }} }}')
    print(r)
    ids = await create_custom_role_with_object_permissions(gateway, "PersonOnly", can_read_person=True, can_read_company=False)
    token = await api_key_with_role(gateway, ids["roleId"])
    r = await gateway.graphql("{ people { edges { node { id jobTitle company { id name } } } } }", token=token)
    print(r)
    r = await gateway.graphql("{ people { edges { node { id jobTitle } } } }", token=token)
    print(r)
    r = await gateway.graphql('mutation { createPerson(data: {jobTitle: "x"}) { id } }', token=token)
    print(r)
    resp = await gateway.client.get("/rest/people?depth=1", headers={"Authorization": f"Bearer {token}"})
    print(resp.status_code, resp.text[:600])
    resp = await gateway.client.post("/rest/people", json={"jobTitle": "y"}, headers={"Authorization": f"Bearer {token}"})
    print(resp.status_code, resp.text[:600])
    resp = await gateway.client.post("/metadata", json={"query": "{ getRoles { id label } }"}, headers={"Authorization": f"Bearer {token}"})
    print(resp.status_code, resp.text[:600])
