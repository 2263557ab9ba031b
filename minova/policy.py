"""Policy enforcement: may this request context perform this action?

One process-wide oslo.policy Enforcer, loaded lazily with the defaults of
``minova.policies`` and whatever ``[oslo_policy] policy_file`` overrides.
The REST layer calls ``authorize`` before acting; a refusal is
``PolicyNotAuthorized``, which the fault wrapper answers with 403.
"""

from oslo_config import cfg
from oslo_policy import policy

from minova import exception, policies
from minova.context import RequestContext

CONF = cfg.CONF

_ENFORCER: policy.Enforcer | None = None


def init() -> policy.Enforcer:
    """Create the enforcer once and register minova's defaults on it."""
    global _ENFORCER
    if _ENFORCER is None:
        _ENFORCER = policy.Enforcer(CONF)
        _ENFORCER.register_defaults(policies.list_rules())
        _ENFORCER.load_rules()
    return _ENFORCER


def reset() -> None:
    """Forget the enforcer (tests, or after changing the policy options)."""
    global _ENFORCER
    if _ENFORCER is not None:
        _ENFORCER.clear()
    _ENFORCER = None


def get_enforcer() -> policy.Enforcer:
    """Entry point for the oslopolicy-* command line tools (a fresh process)."""
    CONF([], project="minova")
    return init()


def _credentials(ctxt: RequestContext) -> dict:
    """oslo.context's policy values plus ``is_admin``, which rules test directly."""
    creds = dict(ctxt.to_policy_values())
    creds["is_admin"] = bool(ctxt.is_admin)
    return creds


def authorize(ctxt: RequestContext, rule: str, target: dict | None = None,
              fatal: bool = True) -> bool:
    """Check ``rule`` for ``ctxt`` against ``target``.

    Raises ``PolicyNotAuthorized`` when refused, unless ``fatal`` is False,
    in which case the answer is returned (for optional fields of a view).
    A rule that was never registered raises ``PolicyNotRegistered``: a typo
    in a rule name must fail loudly, not silently fall back to a default.
    """
    enforcer = init()
    if target is None:
        target = {"project_id": ctxt.project_id, "user_id": ctxt.user_id}
    return enforcer.authorize(
        rule, target, _credentials(ctxt), do_raise=fatal,
        exc=exception.PolicyNotAuthorized, action=rule,
    )
