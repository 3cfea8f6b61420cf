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

from hub.domain.escalation import EscalationPolicy
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
    # Escalation of a breached deadline nobody met (hub.domain.escalation, docs/notifications.md)
    escalation_working_days: int = Field(default=2, ge=1)  # further working days before each climb
    escalation_ombudsman_webhook_id: int | None = None  # a subscription told of every escalation to NATIONAL

    # Telling people (see docs/notifications.md); a channel without its settings is off
    public_url: str = "http://127.0.0.1:8000"  # where reporters follow complaints and files are downloaded
    tracking_path: str = "/lacak/{tracking_id}"
    smtp_host: str | None = None
    smtp_port: int = Field(default=587, ge=1, le=65535)
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "LAPOR! <noreply@lapor.go.id>"
    smtp_timeout_seconds: float = Field(default=30, gt=0)
    sms_gateway: str = "http"  # an entry point of group lapor_hub.sms_gateways
    sms_url: str | None = None
    sms_body_template: str = '{"to": "{to}", "text": "{text}", "ref": "{id}"}'
    sms_body_format: Literal["json", "form"] = "json"
    sms_auth_header: str | None = "Authorization"
    sms_auth_value: SecretStr | None = None
    sms_timeout_seconds: float = Field(default=10, gt=0)
    webhook_timeout_seconds: float = Field(default=10, gt=0)

    # Attachments (lampiran)
    attachment_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024)
    attachment_max_files: int = Field(default=5, ge=1, le=50)
    attachment_url_seconds: int = Field(default=900, ge=30)  # a download link shown to a caller
    attachment_push_url_days: int = Field(default=30, ge=1)  # a link pushed to a region, fetched later
    storage: Literal["local", "s3"] = "local"
    storage_dir: str = "./attachments"
    s3_endpoint: str | None = None
    s3_bucket: str | None = None
    s3_region: str = "us-east-1"
    s3_access_key: str | None = None
    s3_secret_key: SecretStr | None = None

    @model_validator(mode="after")
    def _production_needs_secret(self) -> Settings:
        if self.env == "production" and not (self.jwt_secret and self.jwt_secret.get_secret_value()):
            raise ValueError("HUB_JWT_SECRET must be set when HUB_ENV=production")
        return self

    @model_validator(mode="after")
    def _channels_complete(self) -> Settings:
        if self.storage == "s3":
            missing = [name for name in ("s3_endpoint", "s3_bucket", "s3_access_key", "s3_secret_key")
                       if not getattr(self, name)]
            if missing:
                raise ValueError(f"HUB_STORAGE=s3 needs {', '.join('HUB_' + m.upper() for m in missing)}")
        if self.sms_url and self.sms_body_format == "json":
            import json

            try:
                json.loads(self.sms_body_template.replace("{to}", "").replace("{text}", "").replace("{id}", ""))
            except ValueError as exc:
                raise ValueError(f"HUB_SMS_BODY_TEMPLATE is not JSON ({exc})") from None
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

    @property
    def escalation_policy(self) -> EscalationPolicy:
        return EscalationPolicy(working_days=self.escalation_working_days)


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
