"""The UUID scalar: canonical ids pass as they are, other spellings come back canonical."""

from __future__ import annotations

import uuid

import pytest
from graphql import GraphQLError

from schema_builder.synthesis.scalars import parse_uuid

ID = "019b780b-d531-7031-bcc6-704907f194f9"


@pytest.mark.parametrize("spelling", [ID, ID.upper(), "{" + ID + "}", ID.replace("-", ""), f"urn:uuid:{ID}"])
def test_every_spelling_uuid_accepts_comes_back_canonical(spelling: str) -> None:
    assert parse_uuid(spelling) == ID == str(uuid.UUID(spelling))


@pytest.mark.parametrize("bad", ["", "not-a-uuid", ID[:-1], ID + "0", ID.replace("-", "_"), " " + ID])
def test_anything_else_is_refused_in_twentys_words(bad: str) -> None:
    with pytest.raises(GraphQLError, match="Invalid UUID"):
        parse_uuid(bad)


def test_a_non_string_is_refused() -> None:
    with pytest.raises(GraphQLError, match="UUID must be a string"):
        parse_uuid(123)
