"""Settings from the environment (``HUB_`` prefix) with working defaults.

``HUB_ENV=dev`` (the default) is for a newcomer's machine: a shared default
JWT secret lets ``hub token`` and the server agree out of the box, GraphiQL is
on and the embedded SQLite database migrates itself. ``HUB_ENV=production``
refuses to start without ``HUB_JWT_SECRET``, with the development secret or
with a secret shorter than 32 bytes; it masks internal errors and turns
GraphiQL off.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from hub.domain.escalation import EscalationPolicy
from hub.domain.sla import ServiceLevels

if TYPE_CHECKING:
    from hub.tokens import Keys

DEV_JWT_SECRET = "lapor-hub-dev-secret-not-for-production"
MIN_SECRET_BYTES = 32  # an HS256 key shorter than its hash is guessable offline from one token


class ConfigError(RuntimeError):
    """A setting is missing or wrong; the message says which and what to do."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="HUB_", extra="ignore")

    env: Literal["dev", "production"] = "dev"
    database_url: str = "sqlite+aiosqlite:///./lapor_hub.db"
    # Tokens (hub.tokens.Keys): HMAC secrets, comma-separated: the first signs, all are accepted (rotation)
    jwt_secret: SecretStr | None = None
    jwt_algorithm: Literal["HS256", "HS384", "HS512"] = "HS256"
    jwt_issuer: str = "lapor-hub"
    jwt_audience: str | None = None  # when set, every token must carry it in `aud`
    # A national single sign-on: its RS256/ES256 tokens are checked with the keys its JWKS publishes
    jwks_url: str | None = None
    jwks_issuer: str | None = None  # the `iss` of its tokens (default HUB_JWT_ISSUER)
    jwks_algorithms: str = "RS256,ES256"
    jwks_cache_seconds: int = Field(default=300, ge=1)
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    regions_file: str | None = None

    # Process roles (docs/deploy.md): "all" serves the API and runs the schedule in one
    # process (dev, demo, a small hub); "api" serves the API only; "worker" runs the
    # pull schedule, the outbox dispatcher and the periodic jobs, with /healthz only.
    role: Literal["all", "api", "worker"] = "all"
    sync_concurrency: int = Field(default=16, ge=1)  # pull runs at once in one process
    # PostgreSQL connections kept per process: as many as requests it serves at once, since a
    # connection past the pool is opened for one checkout and closed after (docs/deploy.md)
    db_pool_size: int = Field(default=20, ge=1)
    db_max_overflow: int = Field(default=10, ge=0)  # extra connections allowed at peaks

    # GraphQL limits
    max_page_size: int = Field(default=100, ge=1)
    max_query_depth: int = Field(default=12, ge=2)
    max_aliases: int = Field(default=30, ge=1)
    max_tokens: int = Field(default=2000, ge=100)
    # Largest request body, attachments apart (a multipart upload may add theirs); larger is refused with 413
    max_body_bytes: int = Field(default=1024 * 1024, ge=1024)
    # Query cost budgets by role (hub.schema.cost, docs/access.md): PUBLIC and REPORTER; staff; NATIONAL_ADMIN
    query_budget_public: int = Field(default=10_000, ge=100)
    query_budget_staff: int = Field(default=20_000, ge=100)
    query_budget_national: int = Field(default=25_000, ge=100)
    execution_timeout_seconds: float = Field(default=10, gt=0)  # one operation's execution, then it is stopped
    stats_max_months: int = Field(default=120, ge=1)  # the most months `stats(groupBy: MONTH)` may list
    # Production switches (hub.schema.switches): on | staff | off; unset: `on` in dev, `staff` in production
    introspection: Literal["on", "staff", "off"] | None = None
    field_suggestions: Literal["on", "staff", "off"] | None = None
    trusted_documents: str | None = None  # a manifest of the only operations to run (hub.schema.trusted_documents)
    metrics_operations: str = ""  # comma-separated operation names that may be metric labels, besides trusted ones
    # Build list pages from a plan of their selection (hub.resolvers.read_plan); off: field by field
    planned_reads: bool = True

    # Rate limits per client (hub.schema.rate_limits): "N per minute", several separated by ";"
    rate_limits: bool = True
    rate_limit_submit: str = "20/minute;1000/day"  # submitComplaint (many citizens share one address behind CGNAT)
    rate_limit_mutations: str = "120/minute"  # any other mutation
    rate_limit_expensive: str = "60/minute"  # stats, ranking, connectorsOverview, complaintsExport
    rate_limit_storage: str = "memory://"  # or redis://host:6379 so that every process shares the counters
    rate_limit_prefix: str = "lapor-hub"

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

    # Privacy (see docs/access.md)
    access_log_retention_days: int = Field(default=730, ge=1)  # older readings are pruned every hour
    sync_run_retention_days: int = Field(default=90, ge=1)  # older finished sync runs are pruned every hour
    reporter_token_minutes: int = Field(default=60, ge=1, le=24 * 60)  # a token opened with a secret code
    code_max_attempts: int = Field(default=10, ge=1)  # wrong codes per tracking id within the window
    code_attempt_window_seconds: int = Field(default=3600, ge=1)

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
        if self.env != "production":
            return self
        if not (self.jwt_secret and self.jwt_secret.get_secret_value().strip(", ")):
            raise ValueError("HUB_JWT_SECRET must be set when HUB_ENV=production")
        for secret in self.secrets:
            if secret == DEV_JWT_SECRET:
                raise ValueError("HUB_JWT_SECRET is the published development secret; set a secret of your own")
            if len(secret.encode()) < MIN_SECRET_BYTES:
                raise ValueError(f"HUB_JWT_SECRET must be at least {MIN_SECRET_BYTES} bytes in production "
                                 f"(one is {len(secret.encode())}); e.g. `openssl rand -base64 48`")
        return self

    @field_validator("rate_limit_submit", "rate_limit_mutations", "rate_limit_expensive")
    @classmethod
    def _rates_readable(cls, value: str) -> str:
        from limits import parse_many

        try:
            parse_many(value)
        except ValueError:
            raise ValueError(f"{value!r} is not a rate such as 10/minute or 10/minute;100/day") from None
        return value

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
    def db_pool(self) -> dict[str, int]:
        """Pool limits for :func:`hub.store.database.create_engine`. A pull run holds two
        connections (its region's advisory lock and its writes), so the pool always has room
        for ``sync_concurrency`` runs plus a few for the other jobs: fewer would let the runs
        that hold lock connections wait forever for write connections."""
        needed = 2 * self.sync_concurrency + 4 if self.schedules else 0
        return {"pool_size": self.db_pool_size,
                "max_overflow": max(self.db_max_overflow, needed - self.db_pool_size)}

    @property
    def schedules(self) -> bool:
        """Whether this process runs the pull schedule and the periodic jobs."""
        return self.role != "api"

    @property
    def is_dev(self) -> bool:
        return self.env == "dev"

    @property
    def secrets(self) -> tuple[str, ...]:
        """Every accepted HMAC secret, the signing one first."""
        given = self.jwt_secret.get_secret_value() if self.jwt_secret else ""
        return tuple(part.strip() for part in given.split(",") if part.strip()) or (DEV_JWT_SECRET,)

    @property
    def introspection_switch(self) -> Literal["on", "staff", "off"]:
        return self.introspection or ("on" if self.is_dev else "staff")

    @property
    def suggestions_switch(self) -> Literal["on", "staff", "off"]:
        return self.field_suggestions or ("on" if self.is_dev else "staff")

    @property
    def metric_operation_names(self) -> frozenset[str]:
        return frozenset(name.strip() for name in self.metrics_operations.split(",") if name.strip())

    @property
    def secret(self) -> str:
        """The secret that signs tokens and download links."""
        return self.secrets[0]

    @property
    def token_keys(self) -> Keys:
        from hub.tokens import Keys

        return Keys(secrets=self.secrets, algorithm=self.jwt_algorithm, issuer=self.jwt_issuer,
                    audience=self.jwt_audience, jwks_url=self.jwks_url, jwks_issuer=self.jwks_issuer,
                    jwks_algorithms=tuple(a.strip() for a in self.jwks_algorithms.split(",") if a.strip()),
                    jwks_cache_seconds=self.jwks_cache_seconds)

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


def load_settings(**overrides: Any) -> Settings:
    """Settings from the environment, with a readable error for a bad value."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)
    except ValidationError as exc:
        problems = "; ".join(
            f"HUB_{'_'.join(str(p) for p in err['loc']).upper() or 'SETTINGS'}: {err['msg']}"
            for err in exc.errors()
        )
        raise ConfigError(f"invalid settings: {problems}") from None


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()
