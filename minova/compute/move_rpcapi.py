"""The compute RPC client's cold migration and resize casts (1.9), mixed into
``minova.compute.rpcapi.ComputeAPI``. Which host each goes to is in "The
life of a cold migration" (docs/architecture.md)."""

from minova.context import RequestContext

_V = "1.9"


class MoveRPCAPI:
    def can_move(self) -> bool:
        """Whether computes may be sent the move casts ([upgrade_levels] compute)."""
        return self.client.can_send_version(_V)

    def _move_cast(self, ctxt: RequestContext, host: str, method: str, **kwargs) -> None:
        self.client.prepare(server=host, version=_V).cast(ctxt, method, **kwargs)

    def prep_resize(self, ctxt: RequestContext, host: str, instance: dict, migration: dict,
                    flavor: dict) -> None:
        """To the destination, its claim taken: get ready, tell the source."""
        self._move_cast(ctxt, host, "prep_resize", instance=instance, migration=migration,
                        flavor=flavor)

    def resize_instance(self, ctxt: RequestContext, host: str, instance: dict,
                        migration: dict, flavor: dict) -> None:
        """To the source: power the guest off and hand it over."""
        self._move_cast(ctxt, host, "resize_instance", instance=instance,
                        migration=migration, flavor=flavor)

    def finish_resize(self, ctxt: RequestContext, host: str, instance: dict,
                      migration: dict, flavor: dict) -> None:
        """To the destination: start the guest with the new flavor."""
        self._move_cast(ctxt, host, "finish_resize", instance=instance,
                        migration=migration, flavor=flavor)

    def confirm_resize(self, ctxt: RequestContext, host: str, instance: dict,
                       migration: dict) -> None:
        """To the source: remove the old guest."""
        self._move_cast(ctxt, host, "confirm_resize", instance=instance,
                        migration=migration)

    def revert_resize(self, ctxt: RequestContext, host: str, instance: dict,
                      migration: dict) -> None:
        """To the destination: remove the new guest, tell the source."""
        self._move_cast(ctxt, host, "revert_resize", instance=instance, migration=migration)

    def finish_revert_resize(self, ctxt: RequestContext, host: str, instance: dict,
                             migration: dict) -> None:
        """To the source: start the old guest again."""
        self._move_cast(ctxt, host, "finish_revert_resize", instance=instance,
                        migration=migration)
