"""Service-level periods in descriptions, read from the settings the schema is built with.

Descriptions name a period by a token (``VERIFY_DAYS`` is ``{sla.verify_days}``);
:func:`fill_periods` replaces each token in every description with the
configured number of working days, so "within 3 working days" says what this
hub enforces (``HUB_SLA_*``), never a number written in code. The snapshot in
docs/schema.graphql is built with the default settings.
"""

from __future__ import annotations

from graphql import GraphQLEnumType, GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema

from hub.domain.sla import ServiceLevels

VERIFY_DAYS = "{sla.verify_days}"
FOLLOW_UP_DAYS = "{sla.first_follow_up_days}"
RESOLVE_DAYS = "{sla.resolve_days}"
ANSWER_DAYS = "{sla.reporter_answer_days}"


def _filled(text: str | None, periods: dict[str, str]) -> str | None:
    if not text or "{sla." not in text:
        return text
    for token, value in periods.items():
        text = text.replace(token, value)
    return text


def fill_periods(schema: GraphQLSchema, levels: ServiceLevels) -> None:
    """Put ``levels``' periods into every description of ``schema`` that names one."""
    periods = {VERIFY_DAYS: str(levels.verify_days), FOLLOW_UP_DAYS: str(levels.first_follow_up_days),
               RESOLVE_DAYS: str(levels.resolve_days), ANSWER_DAYS: str(levels.reporter_answer_days)}
    for kind in schema.type_map.values():
        kind.description = _filled(kind.description, periods)
        if isinstance(kind, (GraphQLObjectType, GraphQLInterfaceType, GraphQLInputObjectType)):
            for field in kind.fields.values():
                field.description = _filled(field.description, periods)
                for arg in getattr(field, "args", {}).values():
                    arg.description = _filled(arg.description, periods)
        elif isinstance(kind, GraphQLEnumType):
            for value in kind.values.values():
                value.description = _filled(value.description, periods)
