"""A Better Auth 1.7-compatible auth server: mount `create_auth(config, db).asgi_app` at `/api/auth`."""

from tandem.auth.app import Auth, create_auth
from tandem.auth.config import AuthConfig
from tandem.auth.models import Account, Session, SessionWithUser, User
from tandem.auth.oauth.provider import OAuthProvider, github, google, oidc
from tandem.auth.schema import AuthTableNames, AuthTables, define_auth_tables

__all__ = [
    "Account",
    "Auth",
    "AuthConfig",
    "AuthTableNames",
    "AuthTables",
    "OAuthProvider",
    "Session",
    "SessionWithUser",
    "User",
    "create_auth",
    "define_auth_tables",
    "github",
    "google",
    "oidc",
]
