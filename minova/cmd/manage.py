"""minova-manage: database migrations and operator tasks.

    minova-manage [--config-file F] db sync       apply the alembic migrations
    minova-manage [--config-file F] db version    print the schema revision
    minova-manage [--config-file F] bootstrap     seed flavors and the stand-in image
"""

import sys

from oslo_config import cfg

from minova import config

CONF = cfg.CONF


def _db_sync() -> int:
    from minova.db import engine, migration

    migration.db_sync(engine.get_engine())
    print(f"Database at revision {migration.db_version(engine.get_engine())}")
    return 0


def _db_version() -> int:
    from minova.db import engine, migration

    current = migration.db_version(engine.get_engine())
    head = migration.head_revision()
    print(current or "None (run 'minova-manage db sync')")
    return 0 if current == head else 1


def _bootstrap() -> int:
    from minova.db import engine, flavors, migration

    if migration.db_version(engine.get_engine()) != migration.head_revision():
        print("The database is not at the latest revision: run 'minova-manage db sync' first",
              file=sys.stderr)
        return 2
    created = flavors.bootstrap()
    print("Flavors created: " + (", ".join(created["flavors"]) or "none (already there)"))
    print("Images created: " + (", ".join(created["images"]) or "none (already there)"))
    return 0


def _add_commands(subparsers) -> None:
    db = subparsers.add_parser("db", help="database schema")
    db_sub = db.add_subparsers(dest="db_action")
    db_sub.required = True
    db_sub.add_parser("sync", help="apply all migrations").set_defaults(func=_db_sync)
    db_sub.add_parser("version", help="print the current revision").set_defaults(
        func=_db_version)
    subparsers.add_parser("bootstrap", help="seed standard flavors and the stand-in image"
                          ).set_defaults(func=_bootstrap)


_category = cfg.SubCommandOpt("category", title="Commands", handler=_add_commands)


def main(argv: list[str] | None = None) -> int:
    CONF.register_cli_opt(_category)
    config.parse_args(argv if argv is not None else sys.argv)
    return CONF.category.func()


if __name__ == "__main__":
    sys.exit(main())
