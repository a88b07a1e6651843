"""Resolvers of `search`, `<singular>Duplicates` and `merge<Plural>`, bound by name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ariadne import MutationType, QueryType
from graphql import GraphQLResolveInfo

from schema_builder.execute import duplicates, merge, search
from schema_builder.metadata.model import WorkspaceModel
from schema_builder.search.duplicate_keys import duplicate_criteria
from schema_builder.synthesis.core_schema import NODE, selected, transaction
from schema_builder.synthesis.search_types import duplicates_field_name, merge_field_name


def bind_search_resolvers(model: WorkspaceModel, query: QueryType, mutation: MutationType) -> None:
    async def resolve_search(_: Any, info: GraphQLResolveInfo, **args: Any) -> Any:
        return await search.search(info.context, model, args)

    query.set_field("search", resolve_search)
    for obj in model.objects:
        if not duplicate_criteria(obj):
            continue

        def find(obj: Any = obj) -> Callable[..., Any]:
            async def resolve(_: Any, info: GraphQLResolveInfo, ids: Any = None, data: Any = None) -> Any:
                names = selected(info, NODE)
                return await duplicates.find_duplicates(info.context, model, obj, ids, data, names)

            return resolve

        def merge_many(obj: Any = obj) -> Callable[..., Any]:
            async def resolve(
                _: Any, info: GraphQLResolveInfo, ids: Any, conflictPriorityIndex: int, dryRun: bool | None = False
            ) -> Any:
                return await transaction(info.context, merge.merge_many, model, obj, ids, conflictPriorityIndex, dryRun)

            return resolve

        query.set_field(duplicates_field_name(obj), find())
        mutation.set_field(merge_field_name(obj), merge_many())
