"""graphql-core execution that passes planned values through.

A resolver that built its field's whole value from a plan
(:mod:`hub.resolvers.read_plan`) returns it wrapped in
:class:`~hub.resolvers.read_plan.Completed`; completing it is then taking it
as it is, instead of resolving and completing each field below.
"""

from __future__ import annotations

from typing import Any

from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext

from hub.resolvers.read_plan import Completed


class PlannedExecutionContext(StrawberryGraphQLCoreExecutionContext):
    def complete_value(self, return_type: Any, field_details_list: Any, info: Any, path: Any, result: Any,
                       position_context: Any) -> Any:
        if type(result) is Completed:
            return result.data
        return super().complete_value(return_type, field_details_list, info, path, result, position_context)
