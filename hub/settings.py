"""Settings from the environment (``HUB_`` prefix) with working defaults.

``HUB_ENV=dev`` (the default) is for a newcomer's machine: a shared default
JWT secret lets ``hub token`` and the server agree out of the box, GraphiQL is
on and the embedded SQLite database migrates itself. ``HUB_ENV=production``
refuses to start without ``HUB_JWT_SECRET``, masks internal errors and turns
GraphiQL off.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hub.domain.sla import ServiceLevels

DEV_JWT_SECRET = "lapor-hub-dev-secret-not-for-production"


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and what to do."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_", extra="ignore")

    env: Literal["dev", "production"] = "dev"
    database_url: str = "sqlite+aiosqlite:///./lapor_hub.db"
    jwt_secret: SecretStr | None = None
    jwt_algorithm: str = "HS256"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    regions_file: str | None = None

    # GraphQL limits
    max_page_size: int = Field(default=100, ge=1)
    max_query_depth: int = Field(default=12, ge=2)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=2000, ge=100)
    # Build list pages from a plan of their selection (hub.resolvers.read_plan); off: field by field
    planned_reads: bool = True

    # Service levels, in working days (see hub.domain.sla)
    sla_verify_days: int = Field(default=3, ge=1)
    sla_first_follow_up_days: int = Field(default=5, ge=1)
    sla_resolve_days: int = Field(default=60, ge=1)
    sla_reporter_answer_days: int = Field(default=10, ge=1)

    @model_validator(mode="after")
    def _production_needs_secret(self) -> Settings:
        if self.env == "production" and not (self.jwt_secret and self.jwt_secret.get_secret_value()):
            raise ValueError("HUB_JWT_SECRET must be set when HUB_ENV=production")
        return self

    @property
    def is_dev(self) -> bool:
        return self.env == "dev"

    @property
    def secret(self) -> str:
        return self.jwt_secret.get_secret_value() if self.jwt_secret else DEV_JWT_SECRET

    @property
    def service_levels(self) -> ServiceLevels:
        return ServiceLevels(
            verify_days=self.sla_verify_days,
            first_follow_up_days=self.sla_first_follow_up_days,
            resolve_days=self.sla_resolve_days,
            reporter_answer_days=self.sla_reporter_answer_days,
        )


def load_settings(**overrides: object) -> Settings:
    """Settings from the environment, with a readable error for a bad value."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        problems = "; ".join(
            f"HUB_{'_'.join(str(p) for p in err['loc']).upper() or 'SETTINGS'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
