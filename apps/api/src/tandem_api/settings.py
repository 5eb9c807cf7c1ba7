"""The example app's settings: the framework's, plus what this app adds."""

from __future__ import annotations

from tandem.settings import TandemSettings


class Settings(TandemSettings):
    tandem_conformance: bool = False
    """Mount the `conformance` router used by the protocol test kit."""
    github_client_id: str | None = None
    github_client_secret: str | None = None
    google_client_id: str | None = None
    google_client_secret: str | None = None
    oidc_issuer: str | None = None
    oidc_client_id: str | None = None
    oidc_client_secret: str | None = None
