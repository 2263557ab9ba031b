"""minova-manage: database migrations and operator tasks.

It reads its configuration where every minova service does: the files
given with ``--config-file``/``--config-dir``, else oslo.config's default
search for ``minova.conf`` (~/.minova/, ~/, /etc/minova/, /etc/), and says
on standard error which files and which database that meant.

    minova-manage [--config-file F] db sync       apply the alembic migrations
    minova-manage [--config-file F] db version    print the schema revision
    minova-manage [--config-file F] bootstrap     seed flavors and the stand-in image
    minova-manage [--config-file F] scheduler explain SERVER
                                                  how the server's host was chosen
    minova-manage [--config-file F] image import --name NAME FILE
        [--kernel KFILE --ramdisk RFILE] [--disk-format F] [--container-format C]
        [--visibility V] [--owner PROJECT] [--property KEY=VALUE ...]
                                                  store an image on this (api) host
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


def _import_one(db_images, store, path: str, values: dict) -> dict:
    """Bytes to the store first, then the record (already active): no half image shows."""
    import uuid

    from minova.api.image import store as image_store

    image_id = str(uuid.uuid4())
    with open(path, "rb") as handle:
        size, md5_hex, sha512_hex = store.add(
            image_id, iter(lambda: handle.read(image_store.CHUNK_SIZE), b""))
    try:
        return db_images.image_create(dict(
            values, id=image_id, status="active", size=size, checksum=md5_hex,
            os_hash_algo=image_store.HASH_ALGO, os_hash_value=sha512_hex))
    except BaseException:
        store.delete(image_id)
        raise


def _guess_disk_format(path: str) -> str:
    with open(path, "rb") as handle:
        return "qcow2" if handle.read(4) == b"QFI\xfb" else "raw"


def _image_import() -> int:
    """``image import``: files of this host into [image] store_path and the database.

    With ``--kernel``/``--ramdisk`` those are imported first (aki/ari) and
    the main image becomes an ami image whose ``kernel_id``/``ramdisk_id``
    point at them, booted with ``os_command_line`` (default
    ``console=ttyS0``). Prints one line per image: role, id, name.
    """
    import os

    from minova.api.image import store as image_store
    from minova.db import engine, migration
    from minova.db import images as db_images

    args = CONF.category
    if migration.db_version(engine.get_engine()) != migration.head_revision():
        print("The database is not at the latest revision: run 'minova-manage db sync' first",
              file=sys.stderr)
        return 2
    properties = {}
    for item in args.image_properties or []:
        key, sep, value = item.partition("=")
        if not sep or not key:
            print(f"--property takes KEY=VALUE, not {item!r}", file=sys.stderr)
            return 2
        properties[key] = value
    files = [args.image_file] + [f for f in (args.image_kernel, args.image_ramdisk) if f]
    for path in files:
        if not os.path.isfile(path):
            print(f"No such file: {path}", file=sys.stderr)
            return 2
    store = image_store.FilesystemStore()
    common = {"visibility": args.image_visibility, "owner": args.image_owner,
              "min_disk": 0, "min_ram": 0, "protected": False}
    imported = []
    for role, path, fmt in (("kernel", args.image_kernel, "aki"),
                            ("ramdisk", args.image_ramdisk, "ari")):
        if path:
            image = _import_one(db_images, store, path, dict(
                common, name=f"{args.image_name}-{role}", disk_format=fmt,
                container_format=fmt, properties={}))
            properties.setdefault(f"{role}_id", image["id"])
            imported.append((role, image))
    if args.image_kernel:
        properties.setdefault("os_command_line", "console=ttyS0")
        disk_format = args.image_disk_format or "ami"
        container_format = args.image_container_format or "ami"
    else:
        disk_format = args.image_disk_format or _guess_disk_format(args.image_file)
        container_format = args.image_container_format or "bare"
    image = _import_one(db_images, store, args.image_file, dict(
        common, name=args.image_name, disk_format=disk_format,
        container_format=container_format, properties=properties))
    imported.append(("image", image))
    for role, record in imported:
        print(f"{role:8} {record['id']}  {record['name']}  ({record['size']} bytes, "
              f"{record['disk_format']}/{record['container_format']})")
    return 0


def _add_image_commands(subparsers) -> None:
    image = subparsers.add_parser("image", help="image records and bytes")
    image_sub = image.add_subparsers(dest="image_action")
    image_sub.required = True
    imp = image_sub.add_parser("import", help="import image files of this host")
    imp.add_argument("--name", dest="image_name", required=True, help="image name")
    imp.add_argument("image_file", metavar="FILE", help="the image (disk or ami) file")
    imp.add_argument("--kernel", dest="image_kernel", metavar="KFILE",
                     help="a kernel to import as an aki image and set as kernel_id")
    imp.add_argument("--ramdisk", dest="image_ramdisk", metavar="RFILE",
                     help="an initramfs to import as an ari image and set as ramdisk_id")
    imp.add_argument("--disk-format", dest="image_disk_format",
                     help="disk format (default: ami with --kernel, else qcow2 or raw "
                          "from the file's contents)")
    imp.add_argument("--container-format", dest="image_container_format",
                     help="container format (default: ami with --kernel, else bare)")
    imp.add_argument("--visibility", dest="image_visibility", default="public",
                     choices=["public", "community", "shared", "private"])
    imp.add_argument("--owner", dest="image_owner", default=None,
                     help="owning project (default: none, only admins may change it)")
    imp.add_argument("--property", dest="image_properties", action="append",
                     metavar="KEY=VALUE", help="a custom property; repeatable")
    imp.set_defaults(func=_image_import)


def _database_shown(url: str) -> str:
    """The database URL with its password masked."""
    import sqlalchemy as sa

    try:
        return sa.engine.make_url(url).render_as_string(hide_password=True)
    except sa.exc.ArgumentError:
        return "an unparsable [database] connection (check its syntax)"


def _where() -> str:
    """One line: the config files read and the database they name."""
    files = list(CONF.config_file or [])
    if CONF.config_dir:
        files.append(f"{CONF.config_dir}/*.conf")
    read = ", ".join(files) if files else (
        "none (no --config-file, and no minova.conf in ~/.minova, ~, /etc/minova or /etc)")
    return f"Config files: {read}; database: {_database_shown(CONF.database.connection)}"


def _scheduler_explain() -> int:
    import json

    from minova import context, exception
    from minova.db import actions as db_actions
    from minova.db import instances as db_instances
    from minova.objects import actions
    from minova.scheduler import explain

    server = CONF.category.server
    try:
        db_instances.get(context.get_admin_context(), server, read_deleted=True)
    except exception.InstanceNotFound:
        print(f"No server {server}", file=sys.stderr)
        return 1
    creates = [a for a in db_actions.actions_get(server) if a["action"] == actions.CREATE]
    if not creates:
        print(f"Server {server} has no create action recorded", file=sys.stderr)
        return 1
    # The create's decisions, then each cold migration's or resize's.
    scheduled = [creates[-1]] + [a for a in reversed(db_actions.actions_get(server))
                                 if a["action"] in (actions.MIGRATE, actions.RESIZE)]
    events = [event for chosen in scheduled for event in db_actions.action_get_by_request_id(
        server, chosen["request_id"])["events"]]
    no_valid_host = exception.NoValidHost.msg_fmt.split("%")[0]
    decided, other_errors = 0, []
    for event in events:
        if (event["event"] not in (actions.EVENT_SCHEDULE, actions.EVENT_MIGRATE_SERVER)
                or not event.get("details")):
            continue
        try:
            decision = json.loads(event["details"])
        except ValueError:
            if event["details"].startswith(no_valid_host):
                # The scheduler's verdict: no host, and which filter removed which.
                print(f"{event['result']}: {event['details']}")
                decided += 1
            else:  # the build failed before any decision (quota, a timeout...)
                other_errors.append(f"{event['result']}: {event['details']}")
        else:
            print(explain.render(decision))
            decided += 1
    if not decided:
        print(f"No scheduling decision recorded for {server}", file=sys.stderr)
        for line in other_errors:
            print(f"  its schedule step ended in {line}", file=sys.stderr)
        return 1
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
    _add_image_commands(subparsers)
    scheduler = subparsers.add_parser("scheduler", help="scheduling decisions")
    scheduler_sub = scheduler.add_subparsers(dest="scheduler_action")
    scheduler_sub.required = True
    explain = scheduler_sub.add_parser("explain",
                                       help="print how a server's host was chosen")
    explain.add_argument("server", help="the server's id")
    explain.set_defaults(func=_scheduler_explain)


_category = cfg.SubCommandOpt("category", title="Commands", handler=_add_commands)


def main(argv: list[str] | None = None) -> int:
    CONF.register_cli_opt(_category)
    config.parse_args(argv if argv is not None else sys.argv)
    # Every command opens the database: say which, so that a missing
    # --config-file does not pass for the real one unnoticed.
    print(_where(), file=sys.stderr)
    return CONF.category.func()


if __name__ == "__main__":
    sys.exit(main())
