"""Contract: Northflank's official `@northflank/js-client` runs the deploy flow against the fake.

The client builds the URLs and reads the envelopes the real API uses, so this proves the fake answers where
and how Northflank does; the other tests then prove `tandem infra` against that fake. The bodies are the
ones `tandem infra deploy` sends.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tandem.infra.northflank.config import NorthflankConfig
from tandem.infra.northflank.payloads import (
    build_request,
    provisioning_requests,
    secret_group_request,
)

from .fake_northflank import TOKEN, FakeNorthflank
from .npm import npm_package

CONFIG = NorthflankConfig(
    project_name="tandem", repo_url="https://github.com/acme/tandem", auth_secret="b" * 64
)

DRIVER = """
import { readFileSync } from 'node:fs'
const [moduleDir, host, planFile] = process.argv.slice(1)
const { ApiClient, ApiClientInMemoryContextProvider } = await import(
  moduleDir + '/node_modules/@northflank/js-client/dist/esm/api-client.js')
const plan = JSON.parse(readFileSync(planFile, 'utf8'))
const context = new ApiClientInMemoryContextProvider()
await context.addContext({ name: 'test', token: plan.token, host })
const api = new ApiClient(context, { throwErrorOnHttpErrorCode: true })
const projectId = plan.projectId, serviceId = plan.serviceId
const out = {}
out.vcs = (await api.list.vcs({})).data
out.project = (await api.put.project({ data: plan.project })).data
out.addon = (await api.put.addon({ parameters: { projectId }, data: plan.addon })).data
out.service = (await api.put.service.combined({ parameters: { projectId }, data: plan.service })).data
out.serviceView = (await api.get.service({ parameters: { projectId, serviceId } })).data
out.secret = (await api.put.secret({ parameters: { projectId }, data: plan.secret })).data
out.build = (await api.start.service.build({ parameters: { projectId, serviceId }, data: plan.build })).data
const buildId = out.build.id
out.buildView = (await api.get.service.build({ parameters: { projectId, serviceId, buildId } })).data
try {
  await api.create.project({ data: plan.project })
} catch (error) {
  out.conflict = { status: error.status, message: error.message }
}
console.log(JSON.stringify(out))
"""


def test_official_client_runs_the_flow_against_the_fake(
    fake: FakeNorthflank, api_url: str, tmp_path: Path
) -> None:
    module_dir = npm_package("@northflank/js-client@0.9.5")
    project, addon, service = provisioning_requests(CONFIG)
    plan = {
        "token": TOKEN,
        "projectId": CONFIG.project_id,
        "serviceId": CONFIG.service_id,
        "project": project.body,
        "addon": addon.body,
        "service": service.body,
        "secret": secret_group_request(CONFIG, "https://p01--tandem--x7k2q9.code.run").body,
        "build": build_request(CONFIG, "262ed9817b3cad5142fbceabe0c9e371e390d616").body,
    }
    plan_file = tmp_path / "plan.json"
    plan_file.write_text(json.dumps(plan))
    node = shutil.which("node")
    assert node

    result = subprocess.run(
        [node, "--input-type=module", "-e", DRIVER, str(module_dir), api_url, str(plan_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["vcs"]["vcsAccountLinks"][0]["vcsService"] == "github"
    assert out["project"]["id"] == "tandem"
    assert out["addon"]["id"] == "tandem-db"
    assert out["service"]["id"] == "tandem" and out["service"]["serviceType"] == "combined"
    assert out["serviceView"]["ports"][0]["dns"] == "p01--tandem--x7k2q9.code.run"
    assert out["secret"]["id"] == "tandem-secrets"
    assert out["build"]["status"] == "PENDING"
    assert out["buildView"]["id"] == out["build"]["id"]
    assert out["conflict"]["status"] == 409
    assert "already a project" in out["conflict"]["message"]
    # The client sent exactly the bodies tandem sends: the fake stored them unchanged.
    assert fake.services[("tandem", "tandem")]["spec"] == service.body
    assert [call.method + " " + call.path for call in fake.calls][:3] == [
        "GET /v1/integrations/vcs",
        "PUT /v1/projects",
        "PUT /v1/projects/tandem/addons",
    ]
