"""Railway infrastructure as code for tandem: `railway config plan`, then `railway config apply`.

The service builds the repository's Dockerfile (Railway uses it whenever one exists at the root) and
listens on the PORT Railway injects. Docs: docs/deploy.md#railway
"""

from railway_sdk import define_railway, github, postgres, preserve, project, service


@define_railway
def main(ctx=None):
    db = postgres("postgres")
    app = service(
        "tandem",
        source=github("acme/tandem", branch="main"),
        healthcheck="/api/health",
        healthcheckTimeout=120,
        env={
            "DATABASE_URL": db.env.DATABASE_URL,
            "BETTER_AUTH_SECRET": preserve(),
            "NODE_ENV": "production",
        },
    )
    return project("tandem", resources=[db, app])
