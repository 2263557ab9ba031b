"""minova.policy and minova.policies: defaults in code, overridable by a file."""

import os
import subprocess
import sys

import pytest
import yaml
from oslo_config import cfg
from oslo_policy import generator
from oslo_policy import policy as oslo_policy

from minova import exception, policies, policy
from minova.context import RequestContext

from . import fakes

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__)))))
SAMPLE = os.path.join(ROOT, "etc/minova/policy.yaml.sample")
GENERATOR_CONF = os.path.join(ROOT, "etc/minova/minova-policy-generator.conf")

ADMIN = RequestContext(user_id="admin", project_id="admin", is_admin=True,
                       roles=["admin", "member", "reader"])
MEMBER = RequestContext(user_id="alice", project_id="demo", roles=["member", "reader"])


def test_rules_are_documented_and_unique():
    rules = policies.list_rules()
    names = [rule.name for rule in rules]
    assert len(names) == len(set(names))
    for name in ("context_is_admin", "project_member_api", "project_reader_api",
                 "project_member_or_admin", "project_reader_or_admin",
                 "os_compute_api:servers:create", "os_compute_api:servers:index",
                 "os_compute_api:servers:detail:get_all_tenants",
                 "os_compute_api:os-flavor-manage:create",
                 "os_compute_api:os-flavor-manage:delete",
                 "os_compute_api:os-hypervisors:list", "os_compute_api:os-services:list",
                 "os_compute_api:os-extended-server-attributes",
                 "os_compute_api:os-instance-actions:events",
                 "os_compute_api:os-instance-actions:events:details"):
        assert name in names
    for rule in rules:
        if rule.name.startswith("os_compute_api:"):
            assert isinstance(rule, oslo_policy.DocumentedRuleDefault)


def test_base_rules_are_novas_default_roles():
    checks = {rule.name: rule.check_str for rule in policies.list_rules()}
    assert checks["context_is_admin"] == "role:admin"
    assert checks["project_member_api"] == "role:member and project_id:%(project_id)s"
    assert checks["project_reader_api"] == "role:reader and project_id:%(project_id)s"
    assert checks["project_member_or_admin"] == (
        "rule:project_member_api or rule:context_is_admin")
    assert checks["project_reader_or_admin"] == (
        "rule:project_reader_api or rule:context_is_admin")


def test_legacy_rules_are_registered_but_deprecated_and_unused():
    rules = policies.list_rules()
    legacy = {rule.name: rule for rule in rules if rule.name in ("admin_api", "admin_or_owner")}
    assert legacy["admin_api"].check_str == "is_admin:True"
    assert legacy["admin_or_owner"].check_str == "is_admin:True or project_id:%(project_id)s"
    assert all(rule.deprecated_for_removal for rule in legacy.values())
    for rule in rules:
        assert "rule:admin_api" not in rule.check_str, rule.name
        assert "rule:admin_or_owner" not in rule.check_str, rule.name


def test_admin_only_rule_refuses_a_member_with_403():
    assert policy.authorize(ADMIN, "os_compute_api:os-services:list", {})
    with pytest.raises(exception.PolicyNotAuthorized) as info:
        policy.authorize(MEMBER, "os_compute_api:os-services:list", {})
    assert info.value.code == 403
    assert info.value.format_message() == (
        "Policy doesn't allow os_compute_api:os-services:list to be performed.")


def test_project_rule_is_checked_against_the_target_project():
    rule = "os_compute_api:servers:show"
    assert policy.authorize(MEMBER, rule, {"project_id": "demo"})
    assert not policy.authorize(MEMBER, rule, {"project_id": "other"}, fatal=False)
    assert policy.authorize(ADMIN, rule, {"project_id": "other"})


def test_default_target_is_the_callers_project():
    assert policy.authorize(MEMBER, "os_compute_api:servers:create")


def test_unregistered_rule_fails_loudly():
    with pytest.raises(oslo_policy.PolicyNotRegistered):
        policy.authorize(ADMIN, "os_compute_api:no-such-rule", {})


def test_policy_file_overrides_a_default(tmp_path):
    policy_file = tmp_path / "policy.yaml"
    policy_file.write_text('"os_compute_api:os-services:list": "@"\n')
    policy.init()  # registers the [oslo_policy] options
    cfg.CONF.set_override("policy_file", str(policy_file), group="oslo_policy")
    policy.reset()
    assert policy.authorize(MEMBER, "os_compute_api:os-services:list", {})


def test_policy_yaml_next_to_the_config_file_is_found(tmp_path):
    """An operator's policy.yaml in the config directory changes a rule, no code."""
    (tmp_path / "minova.conf").write_text("[DEFAULT]\n")
    (tmp_path / "policy.yaml").write_text(
        '"os_compute_api:os-hypervisors:list": "role:reader"\n')
    client = fakes.Client()
    before = client.get("/v2.1/os-hypervisors", token=fakes.USER_TOKEN)
    assert before.status_int == 403

    cfg.CONF(["--config-file", str(tmp_path / "minova.conf")], project="minova",
             default_config_files=[])
    policy.reset()
    after = client.get("/v2.1/os-hypervisors", token=fakes.USER_TOKEN)
    assert after.status_int == 200, after.body
    # the override is the only change: details stay admin-only
    assert client.get("/v2.1/os-hypervisors/detail",
                      token=fakes.USER_TOKEN).status_int == 403


def test_get_enforcer_for_the_cli_tools():
    enforcer = policy.get_enforcer()
    assert "os_compute_api:servers:create" in enforcer.registered_rules


def _generate_sample(path) -> str:
    generator.generate_sample(["--config-file", GENERATOR_CONF, "--output-file", str(path)],
                              conf=cfg.ConfigOpts())
    return path.read_text()


def test_sample_generator_documents_the_defaults(tmp_path):
    """``oslopolicy-sample-generator --namespace minova``, run in-process."""
    sample = _generate_sample(tmp_path / "policy.yaml.sample")
    assert '#"context_is_admin": "role:admin"' in sample
    assert ('#"project_member_or_admin": "rule:project_member_api or rule:context_is_admin"'
            in sample)
    assert '#"os_compute_api:servers:create": "rule:project_member_or_admin"' in sample
    assert '#"os_compute_api:servers:show": "rule:project_reader_or_admin"' in sample
    assert '#"os_compute_api:os-hypervisors:list": "rule:context_is_admin"' in sample
    assert "# GET  /os-hypervisors\n" in sample
    # uncommented, the sample is a policy file restating every default
    restated = yaml.safe_load("\n".join(
        line[1:] for line in sample.splitlines() if line.startswith('#"')))
    assert restated == {rule.name: rule.check_str for rule in policies.list_rules()}


def test_committed_sample_is_current(tmp_path):
    generated = _generate_sample(tmp_path / "policy.yaml.sample")
    with open(SAMPLE) as committed:
        assert generated == committed.read(), (
            "etc/minova/policy.yaml.sample is stale: run 'oslopolicy-sample-generator "
            "--config-file etc/minova/minova-policy-generator.conf'")


def test_policy_generator_merges_the_operators_file(tmp_path):
    """``oslopolicy-policy-generator --namespace minova``: the effective policy.

    Run as the operator would, in a fresh process whose home holds
    ``.minova/policy.yaml`` (one of the places oslo.config looks).
    """
    (tmp_path / ".minova").mkdir()
    (tmp_path / ".minova" / "policy.yaml").write_text(
        '"os_compute_api:os-hypervisors:list": "role:reader"\n')
    tool = os.path.join(os.path.dirname(sys.executable), "oslopolicy-policy-generator")
    result = subprocess.run([tool, "--namespace", "minova"], check=True, capture_output=True,
                            text=True, cwd=tmp_path, env=dict(os.environ, HOME=str(tmp_path)))
    effective = yaml.safe_load(result.stdout)
    assert effective["os_compute_api:os-hypervisors:list"] == "role:reader"
    assert effective["os_compute_api:os-hypervisors:show"] == "rule:context_is_admin"
    assert effective["os_compute_api:servers:create"] == "rule:project_member_or_admin"
