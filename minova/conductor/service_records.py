"""The conductor records its own service row directly in the database."""

import threading

from minova.db import services as db_services


class DatabaseServiceRecorder:
    def register(self, host: str, binary: str, topic: str, stopping: threading.Event) -> dict:
        return db_services.service_register(host, binary, topic)

    def heartbeat(self, service: dict) -> None:
        db_services.service_heartbeat(service["id"])
