"""Port of
`packages/twenty-server/test/integration/graphql/suites/object-generated/note-targets.integration-spec.ts`
at 41d242555963991041c474c5267df7d174c6a972.
"""

from __future__ import annotations

import pytest

from tests.conformance.object_generated import find_many_test

FIELDS = """
    id createdAt updatedAt deletedAt noteId targetPersonId targetCompanyId targetOpportunityId
    targetPetId targetSurveyResultId
"""


test_should_find_many_note_targets = pytest.mark.xfail(
    strict=True,
    reason=(
        "targetPetId and targetSurveyResultId: morph-relation targets to Twenty's seed custom objects pet "
        "and surveyResult; custom objects cannot be morph targets of noteTarget in docgate's metadata yet"
    ),
)(
    find_many_test("noteTarget", "noteTargets", FIELDS, {})
)
