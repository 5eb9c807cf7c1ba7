"""A Better Auth 1.7-compatible auth server: mount `create_auth(config, db).asgi_app` at `/api/auth`.

The tables (for migrations) are in `tandem.auth.schema`, which needs SQLAlchemy; serving does not.
"""

from tandem.auth.app import Auth, create_auth
from tandem.auth.config import AuthConfig
from tandem.auth.models import Account, Session, SessionWithUser, User
from tandem.auth.names import AuthTableNames
from tandem.auth.oauth.provider import OAuthProvider, github, google, oidc

__all__ = [
    "Account",
    "Auth",
    "AuthConfig",
    "AuthTableNames",
    "OAuthProvider",
    "Session",
    "SessionWithUser",
    "User",
    "create_auth",
    "github",
    "google",
    "oidc",
]
