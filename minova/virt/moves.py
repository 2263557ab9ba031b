"""The virt driver's part of a cold migration or resize (Nova's
``migrate_disk_and_power_off``, ``finish_migration``, ``confirm_migration``,
``finish_revert_migration``), mixed into ``ComputeDriver``. A driver that
cannot move guests keeps these defaults: the move fails with
NotImplementedError and the server stays on its source.

``same_host``: source and destination are this host (a resize with
``[DEFAULT] allow_resize_to_same_host``), so one guest is both the old
and the new one.
"""


class MoveDriver:
    def migrate_disk_and_power_off(self, context, instance: dict, dest_host: str,
                                   flavor: dict, same_host: bool = False) -> None:
        """Source: power the guest off and make its disk available to
        ``dest_host``; the guest itself stays here until the confirm."""
        raise NotImplementedError()

    def finish_migration(self, context, instance: dict, flavor: dict, power_on: bool = True,
                         same_host: bool = False) -> None:
        """Destination: make the guest with ``flavor`` from the disk handed
        over, started if ``power_on``."""
        raise NotImplementedError()

    def confirm_migration(self, context, instance: dict, same_host: bool = False) -> None:
        """Source, on confirm: remove the old guest (on the same host: only
        what was kept for a revert)."""
        raise NotImplementedError()

    def finish_revert_migration(self, context, instance: dict, power_on: bool = True,
                                same_host: bool = False) -> None:
        """Source, on revert (or a move that failed before it left): the old
        guest as it was, started if ``power_on``."""
        raise NotImplementedError()
