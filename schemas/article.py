"""An input article: one JSON Lines record, or one .txt file."""
from __future__ import annotations

from datetime import datetime, timezone

from pydantic import BaseModel, ConfigDict, Field, field_validator

# Fixed bounds rather than "now": a run must not depend on the wall clock.
EARLIEST = datetime(1900, 1, 1, tzinfo=timezone.utc)
LATEST = datetime(2100, 1, 1, tzinfo=timezone.utc)


class Article(BaseModel):
    # strict: an `id` of 42 or a `text` of ["..."] is a wrong type, not something to coerce.
    model_config = ConfigDict(strict=True, extra="ignore", frozen=True)

    id: str = Field(min_length=1, max_length=512)
    text: str = Field(min_length=1)
    published_at: datetime
    title: str | None = None
    url: str | None = None
    source: str | None = None
    # ISO 639-1; when given, it overrides detection
    language: str | None = Field(default=None, pattern=r"^[A-Za-z]{2,3}$")

    @field_validator("language")
    @classmethod
    def _lower(cls, v: str | None) -> str | None:
        return v.lower() if v else v

    @field_validator("id", "text")
    @classmethod
    def _not_blank(cls, v: str) -> str:
        if not v.strip():
            raise ValueError("must not be blank")
        return v

    @field_validator("published_at")
    @classmethod
    def _utc_and_plausible(cls, v: datetime) -> datetime:
        if v.tzinfo is None:
            raise ValueError("must carry a time zone (RFC 3339, e.g. 2019-02-23T00:00:00Z)")
        v = v.astimezone(timezone.utc)
        if not EARLIEST <= v < LATEST:
            raise ValueError(f"{v.isoformat()} is outside {EARLIEST.year}-{LATEST.year - 1}")
        return v
