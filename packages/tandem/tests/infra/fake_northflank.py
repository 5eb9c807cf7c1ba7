"""A faithful fake of the parts of Northflank's REST API that `tandem infra` uses.

It answers like the real API (`200 {"data": …}`, `{"error": {status, message, details}}`, 409 on a POST
of an existing resource, PUT as create-or-update), validates every request body against the JSON
Schemas generated from the official `@northflank/js-client` types plus the documented field constraints
the types do not carry, walks builds and deployments through their states, and records every call.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import jsonschema.exceptions
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route

TOKEN = "test-token"
SCHEMAS = Path(__file__).parent / "schemas"

# Field constraints from Northflank's API reference that the TypeScript types cannot express.
_NAME = re.compile(r"^[a-zA-Z]((-|\s)?[a-zA-Z0-9]+((-|\s)[a-zA-Z0-9]+)*)?$")
_PLAN = re.compile(r"^[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*$")
_PORT_NAME = re.compile(r"^[a-zA-Z](-?[a-zA-Z0-9]+(-[a-zA-Z0-9]+)*)?$")
_PROJECT_URL = re.compile(
    r"^(https:\/\/)?((www(\.[a-zA-Z0-9\-]{2,})+\.)?[a-zA-Z0-9\-]{2,})(\.([a-zA-Z0-9\-]{2,}))+(\/([a-zA-Z0-9\-._]{2,}))+?$"
)
# JSON Schema patterns are unanchored: the documented `[a-zA-Z]+` only asks for one letter.
_KEY_NAME = re.compile(r"[a-zA-Z]+")
_ALIAS = re.compile(r"^[a-zA-Z0-9_./-]*$")
_VARIABLE = re.compile(r"^[a-zA-Z0-9_./-]+$")


def slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def load_validator(name: str) -> jsonschema.Draft7Validator:
    return jsonschema.Draft7Validator(json.loads((SCHEMAS / f"{name}.json").read_text()))


def schema_errors(schema: str, body: Any) -> list[str]:
    """Messages of every way `body` breaks the js-client type `schema` and the documented limits."""
    errors = list(load_validator(schema).iter_errors(body))
    if not errors:
        return constraint_errors(schema, body)
    return [f"{error.json_path}: {error.message}" for error in map(_closest, errors)]


def _closest(error: jsonschema.exceptions.ValidationError) -> jsonschema.exceptions.ValidationError:
    """For a union (anyOf), the failure inside the alternative that came closest to matching."""
    if not error.context:
        return error
    branches: dict[Any, list[jsonschema.exceptions.ValidationError]] = {}
    for inner in error.context:
        branches.setdefault(inner.relative_schema_path[0], []).append(inner)
    # The alternative whose failure lies deepest got furthest; ties go to the one with fewer failures.
    nearest = max(
        branches.values(),
        key=lambda group: (max(len(inner.absolute_path) for inner in group), -len(group)),
    )
    return _closest(max(nearest, key=lambda inner: len(inner.absolute_path)))


def constraint_errors(schema: str, body: dict[str, Any]) -> list[str]:
    errors: list[str] = []

    def check(ok: bool, message: str) -> None:
        if not ok:
            errors.append(message)

    name = str(body.get("name", ""))
    if schema.endswith("ProjectData"):
        check(3 <= len(name) <= 39 and bool(_NAME.match(name)), f"invalid project name {name!r}")
    if schema.endswith("ServiceCombinedData"):
        check(3 <= len(name) <= 54 and bool(_NAME.match(name)), f"invalid service name {name!r}")
        for port in body.get("ports", []):
            port_name = port.get("name", "")
            check(
                1 <= len(port_name) <= 8 and bool(_PORT_NAME.match(port_name)),
                f"invalid port name {port_name!r}",
            )
            check(
                not port.get("public") or port.get("protocol") in ("HTTP", "HTTP/2"),
                "only HTTP ports can be public",
            )
        url = body.get("vcsData", {}).get("projectUrl", "")
        check(bool(_PROJECT_URL.match(url)), f"invalid vcsData.projectUrl {url!r}")
        types = [check_["type"] for check_ in body.get("healthChecks", [])]
        check(len(types) == len(set(types)), "at most one health check of each type")
    if "billing" in body:
        plan = str(body["billing"].get("deploymentPlan", ""))
        check(bool(_PLAN.match(plan)), f"invalid deploymentPlan {plan!r}")
    for dependency in body.get("addonDependencies", []):
        for key in dependency.get("keys", []):
            check(bool(_KEY_NAME.search(key["keyName"])), f"invalid keyName {key['keyName']!r}")
            for alias in key.get("aliases", []):
                check(bool(_ALIAS.match(alias)), f"invalid alias {alias!r}")
    for variable in body.get("secrets", {}).get("variables", {}):
        check(bool(_VARIABLE.match(variable)), f"invalid secret key {variable!r}")
    return errors


@dataclass
class Call:
    method: str
    path: str
    query: dict[str, str]
    body: Any
    status: int


@dataclass
class Fault:
    method: str
    path: re.Pattern[str]
    status: int
    message: str
    headers: dict[str, str]
    times: int


@dataclass
class FakeNorthflank:
    """The fake's state; `app` is the ASGI app to serve."""

    calls: list[Call] = field(default_factory=list)
    changes: list[tuple[str, str, str]] = field(default_factory=list)
    """(kind, id, "created" | "updated") for every write that changed something."""
    projects: dict[str, dict[str, Any]] = field(default_factory=dict)
    addons: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    secrets: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    services: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)
    builds: dict[str, dict[str, Any]] = field(default_factory=dict)
    vcs_links: list[dict[str, Any]] = field(
        default_factory=lambda: [{"vcsService": "github", "login": "acme", "email": "ci@acme.test"}]
    )
    repos: list[str] = field(default_factory=lambda: ["acme/tandem"])
    build_states: tuple[str, ...] = ("PENDING", "BUILDING", "SUCCESS")
    deployment_outcome: str = "COMPLETED"
    faults: list[Fault] = field(default_factory=list)

    def reset(self) -> None:
        self.__init__()  # type: ignore[misc]

    def fail(
        self,
        method: str,
        path: str,
        status: int,
        *,
        message: str = "injected failure",
        headers: dict[str, str] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` requests matching `method` and the `path` regex with `status`."""
        self.faults.append(Fault(method, re.compile(path), status, message, headers or {}, times))

    def calls_summary(self) -> list[str]:
        return [f"{call.method} {call.path}" for call in self.calls]

    @property
    def app(self) -> Starlette:
        return Starlette(
            routes=[
                Route(
                    "/{path:path}", self._handle, methods=["GET", "POST", "PUT", "PATCH", "DELETE"]
                )
            ]
        )

    async def _handle(self, request: Request) -> JSONResponse:
        raw = await request.body()
        body = json.loads(raw) if raw else None
        response = self._respond(request, body)
        self.calls.append(
            Call(
                request.method,
                request.url.path,
                dict(request.query_params),
                body,
                response.status_code,
            )
        )
        return response

    def _respond(self, request: Request, body: Any) -> JSONResponse:
        if request.headers.get("authorization") != f"Bearer {TOKEN}":
            return error(401, "Unauthorized")
        if raw_body_needs_json(request, body):
            return error(400, "Content-Type must be application/json")
        for fault in self.faults:
            if (
                fault.times
                and fault.method == request.method
                and fault.path.search(request.url.path)
            ):
                fault.times -= 1
                return error(fault.status, fault.message, headers=fault.headers)
        path, method = request.url.path, request.method
        for pattern, allowed, handler in self._routes():
            match = re.fullmatch(pattern, path)
            if match and method in allowed:
                result = handler(method, body, request, *match.groups())
                return result if isinstance(result, JSONResponse) else ok(result)
        return error(404, f"No endpoint {method} {path}")

    def _routes(self) -> list[tuple[str, set[str], Any]]:
        return [
            (r"/v1/integrations/vcs", {"GET"}, self._vcs),
            (r"/v1/integrations/vcs/repos", {"GET"}, self._repos),
            (r"/v1/projects", {"POST", "PUT"}, self._project),
            (r"/v1/projects/([^/]+)/addons", {"POST", "PUT"}, self._addon),
            (r"/v1/projects/([^/]+)/secrets", {"POST", "PUT"}, self._secret),
            (r"/v1/projects/([^/]+)/services/combined", {"POST", "PUT"}, self._service),
            (r"/v1/projects/([^/]+)/services/([^/]+)", {"GET"}, self._get_service),
            (r"/v1/projects/([^/]+)/services/([^/]+)/build", {"POST"}, self._start_build),
            (r"/v1/projects/([^/]+)/services/([^/]+)/build/([^/]+)", {"GET"}, self._get_build),
        ]

    # --- handlers -------------------------------------------------------------------------------

    def _vcs(self, method: str, body: Any, request: Request) -> Any:
        return {"vcsAccountLinks": self.vcs_links}

    def _repos(self, method: str, body: Any, request: Request) -> Any:
        per_page = min(int(request.query_params.get("per_page", "50")), 100)
        start = int(request.query_params.get("cursor", "0"))
        page = self.repos[start : start + per_page]
        more = start + per_page < len(self.repos)
        repos = [
            {
                "vcsService": "github",
                "id": str(index),
                "name": full.split("/")[1],
                "full_name": full,
                "url": f"https://github.com/{full}",
                "owner": {"login": full.split("/")[0]},
                "accountLogin": "acme",
            }
            for index, full in enumerate(page, start)
        ]
        pagination = {"hasNextPage": more, "cursor": str(start + per_page), "count": len(page)}
        return JSONResponse({"data": {"repos": repos}, "pagination": pagination})

    def _upsert(
        self,
        kind: str,
        store: dict[Any, dict[str, Any]],
        key: Any,
        method: str,
        spec: dict[str, Any],
    ) -> dict[str, Any] | JSONResponse:
        existing = store.get(key)
        if existing is not None and method == "POST":
            return error(
                409,
                f"Conflict: There is already a {kind} with the same derived identifier",
            )
        if existing is None:
            store[key] = {"spec": spec, "createdAt": "2026-11-24T20:00:00.000Z"}
            self.changes.append((kind, str(key), "created"))
        elif existing["spec"] != spec:
            existing["spec"] = spec
            self.changes.append((kind, str(key), "updated"))
        return store[key]

    def _validate(self, schema: str, body: Any) -> JSONResponse | None:
        errors = (
            schema_errors(schema, body) if isinstance(body, dict) else ["body must be an object"]
        )
        return error(400, "Validation error", details=errors) if errors else None

    def _project(self, method: str, body: Any, request: Request) -> Any:
        invalid = self._validate("PutProjectData" if method == "PUT" else "CreateProjectData", body)
        if invalid:
            return invalid
        project_id = slug(body["name"])
        stored = self._upsert("project", self.projects, project_id, method, body)
        if isinstance(stored, JSONResponse):
            return stored
        return {"id": project_id, **body, "createdAt": stored["createdAt"]}

    def _project_missing(self, project_id: str) -> JSONResponse | None:
        return (
            None if project_id in self.projects else error(404, f"Project {project_id} not found")
        )

    def _addon(self, method: str, body: Any, request: Request, project_id: str) -> Any:
        invalid = self._validate("PutAddonData" if method == "PUT" else "CreateAddonData", body)
        missing = self._project_missing(project_id)
        if invalid or missing:
            return invalid or missing
        key = (project_id, slug(body["name"]))
        existing = self.addons.get(key)
        if existing and body["billing"]["storage"] < existing["spec"]["billing"]["storage"]:
            return error(400, "Storage size cannot be decreased")
        stored = self._upsert("addon", self.addons, key, method, body)
        if isinstance(stored, JSONResponse):
            return stored
        return {"id": key[1], **body, "status": "running"}

    def _secret(self, method: str, body: Any, request: Request, project_id: str) -> Any:
        invalid = self._validate("PutSecretData" if method == "PUT" else "CreateSecretData", body)
        missing = self._project_missing(project_id)
        if invalid or missing:
            return invalid or missing
        for dependency in body.get("addonDependencies", []):
            if (project_id, dependency["addonId"]) not in self.addons:
                return error(404, f"Addon {dependency['addonId']} not found")
        key = (project_id, slug(body["name"]))
        stored = self._upsert("secret", self.secrets, key, method, body)
        if isinstance(stored, JSONResponse):
            return stored
        return {"id": key[1], **body}

    def _service(self, method: str, body: Any, request: Request, project_id: str) -> Any:
        schema = "PutServiceCombinedData" if method == "PUT" else "CreateServiceCombinedData"
        invalid = self._validate(schema, body)
        missing = self._project_missing(project_id)
        if invalid or missing:
            return invalid or missing
        key = (project_id, slug(body["name"]))
        stored = self._upsert("service", self.services, key, method, body)
        if isinstance(stored, JSONResponse):
            return stored
        stored.setdefault("deployment", {"status": "PENDING"})
        stored.setdefault("deployed_sha", None)
        stored.setdefault("rollout", [])
        return {"id": key[1], "appId": f"/{project_id}/{key[1]}", "serviceType": "combined", **body}

    def _service_view(self, project_id: str, service_id: str) -> dict[str, Any]:
        stored = self.services[(project_id, service_id)]
        spec = stored["spec"]
        builds = [b for b in self.builds.values() if b["service"] == (project_id, service_id)]
        status: dict[str, Any] = {"deployment": dict(stored["deployment"])}
        if builds:
            status["build"] = {"status": builds[-1]["status"]}
        internal = {
            "nfObjectId": service_id,
            "nfObjectType": "service",
            "repository": spec["vcsData"]["projectUrl"],
            "branch": spec["vcsData"]["projectBranch"],
            "buildSHA": builds[-1]["sha"] if builds else "latest",
        }
        if stored["deployed_sha"]:
            internal["deployedSHA"] = stored["deployed_sha"]
        ports = [
            {
                "id": f"port-{port['name']}",
                "name": port["name"],
                "internalPort": port["internalPort"],
                "protocol": port["protocol"],
                "public": port.get("public", False),
                "domains": [],
                **(
                    {"dns": f"{port['name']}--{service_id}--x7k2q9.code.run"}
                    if port.get("public")
                    else {}
                ),
            }
            for port in spec.get("ports", [])
        ]
        return {
            "id": service_id,
            "name": spec["name"],
            "serviceType": "combined",
            "billing": spec["billing"],
            "status": status,
            "deployment": {"instances": spec["deployment"]["instances"], "internal": internal},
            "ports": ports,
        }

    def _get_service(
        self, method: str, body: Any, request: Request, project_id: str, service_id: str
    ) -> Any:
        key = (project_id, service_id)
        if key not in self.services:
            return error(404, f"Service {service_id} not found")
        stored = self.services[key]
        view = self._service_view(project_id, service_id)
        # After a successful build the previous deployment still shows once, then the rollout.
        if stored["rollout"]:
            stored["deployment"], stored["deployed_sha"] = stored["rollout"].pop(0)
        return view

    def _start_build(
        self, method: str, body: Any, request: Request, project_id: str, service_id: str
    ) -> Any:
        invalid = self._validate("StartServiceBuildData", body)
        if invalid:
            return invalid
        key = (project_id, service_id)
        if key not in self.services:
            return error(404, f"Service {service_id} not found")
        build_id = f"build-{len(self.builds) + 1}"
        self.builds[build_id] = {
            "service": key,
            "sha": body.get("sha") or "0" * 40,
            "states": list(self.build_states),
            "status": self.build_states[0],
        }
        return {
            "id": build_id,
            "sha": self.builds[build_id]["sha"],
            "branch": self.services[key]["spec"]["vcsData"]["projectBranch"],
            "status": "PENDING",
            "concluded": False,
            "createdAt": "2026-11-24T20:00:00.000Z",
        }

    def _get_build(
        self,
        method: str,
        body: Any,
        request: Request,
        project_id: str,
        service_id: str,
        build_id: str,
    ) -> Any:
        build = self.builds.get(build_id)
        if build is None or build["service"] != (project_id, service_id):
            return error(404, f"Build {build_id} not found")
        status = build["states"].pop(0) if len(build["states"]) > 1 else build["states"][0]
        build["status"] = status
        concluded = status in ("SUCCESS", "FAILURE", "ABORTED", "CRASHED")
        if status == "SUCCESS" and not build.get("rolled_out"):
            build["rolled_out"] = True
            service = self.services[build["service"]]
            previous = service["deployed_sha"]
            outcome_sha = build["sha"] if self.deployment_outcome == "COMPLETED" else previous
            service["rollout"] = [
                ({"status": "IN_PROGRESS", "reason": "DEPLOYING"}, previous),
                ({"status": self.deployment_outcome}, outcome_sha),
            ]
        return {
            "id": build_id,
            "sha": build["sha"],
            "status": status,
            "concluded": concluded,
            "success": status == "SUCCESS",
            "message": "Dockerfile step 7/12 failed" if status == "FAILURE" else None,
        }


def raw_body_needs_json(request: Request, body: Any) -> bool:
    return body is not None and request.headers.get("content-type") != "application/json"


def ok(data: Any) -> JSONResponse:
    return JSONResponse({"data": data})


def error(
    status: int, message: str, *, details: Any = None, headers: dict[str, str] | None = None
) -> JSONResponse:
    payload: dict[str, Any] = {"status": status, "message": message, "id": "req-fake"}
    if details is not None:
        payload["details"] = details
    return JSONResponse({"error": payload}, status_code=status, headers=headers)
