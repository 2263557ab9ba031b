"""The fake driver's moves: the guest entry goes from the source's dict to
the destination's, as a disk would.

The source powers its entry off and keeps it until the confirm (its
``resize_source`` mark says a move holds it); the destination makes its own
entry with the new flavor; a revert drops the destination's and starts the
source's again. On one host (a resize to the same host) the one entry
keeps a copy of its old flavor for a revert.
"""

from minova.objects import states


class FakeMoves:
    """Mixed into ``FakeDriver`` (its ``_lock``, ``_guests``, ``_guest``, ``_save``)."""

    def migrate_disk_and_power_off(self, context, instance: dict, dest_host: str,
                                   flavor: dict, same_host: bool = False) -> None:
        self._fail_if_told(instance, "moving")
        with self._lock:
            guest = self._guest(instance)
            guest["state"] = states.SHUTDOWN
            guest["resize_source"] = True
            guest["old_flavor"] = instance.get("flavor")
            guest["console"].append(f"powered off to move to {dest_host}")
            self._save()

    def finish_migration(self, context, instance: dict, flavor: dict, power_on: bool = True,
                         same_host: bool = False) -> None:
        with self._lock:
            guest = self._guests.get(instance["uuid"]) if same_host else None
            if guest is None:
                guest = {"image": instance.get("image_ref"), "console": []}
                self._guests[instance["uuid"]] = guest
            guest.pop("resize_source", None) if not same_host else None
            guest["state"] = states.RUNNING if power_on else states.SHUTDOWN
            guest["flavor"] = flavor.get("flavorid")
            guest["console"].append(f"moved here with flavor {flavor.get('flavorid')}")
            self._save()

    def confirm_migration(self, context, instance: dict, same_host: bool = False) -> None:
        with self._lock:
            if same_host:
                guest = self._guests.get(instance["uuid"])
                if guest is not None:
                    guest.pop("resize_source", None)
                    guest.pop("old_flavor", None)
            else:
                self._guests.pop(instance["uuid"], None)
            self._save()

    def finish_revert_migration(self, context, instance: dict, power_on: bool = True,
                                same_host: bool = False) -> None:
        with self._lock:
            guest = self._guest(instance)
            guest.pop("resize_source", None)
            if "old_flavor" in guest:
                old = guest.pop("old_flavor") or {}
                guest["flavor"] = old.get("flavorid")
            guest["state"] = states.RUNNING if power_on else states.SHUTDOWN
            guest["console"].append("move reverted")
            self._save()
