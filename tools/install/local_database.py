"""The MariaDB database of a minova controller, for tools/install.sh --create-local-database.

    local_database.py create --config FILE [--name minova] [--user minova] [--group G]
    local_database.py drop [--name minova] [--user minova]

``create`` makes the database and a user that has every privilege on it and
on nothing else (``GRANT ALL ON minova.*``), then writes its URL into the
config's ``[database] connection``. The password is made here
(``secrets``) and goes only to MariaDB, as a bound query parameter, and to
the config file: never through a shell. A second run reuses the password
the config already holds, so it changes nothing. It refuses to take over a
MariaDB user that exists but whose password the config does not have.

Connects as MariaDB's root over its unix socket (Debian's root is
authenticated by the socket's peer: the installer runs as root).
"""

import argparse
import re
import secrets
import sys

import config_file  # tools/install/, beside this file
import pymysql
from sqlalchemy.engine import URL, make_url

SOCKET = "/run/mysqld/mysqld.sock"
USER_HOST = "localhost"  # the URL below connects over the socket
_DB_NAME = re.compile(r"^[A-Za-z0-9_]{1,64}$")
_USER_NAME = re.compile(r"^[A-Za-z0-9_.-]{1,80}$")


def _connect(socket: str) -> pymysql.connections.Connection:
    return pymysql.connect(unix_socket=socket, user="root", autocommit=True)


def _user_exists(cursor, user: str) -> bool:
    cursor.execute("SELECT 1 FROM mysql.user WHERE User = %s AND Host = %s", (user, USER_HOST))
    return cursor.fetchone() is not None


def _known_password(config: str, name: str, user: str) -> str | None:
    """The password of ``user`` in the config's URL, when that URL is for this database."""
    current = config_file.get(config, "database", "connection")
    if not current:
        return None
    url = make_url(current)
    if url.username == user and url.database == name and url.password:
        return url.password
    return None


def create(config: str, name: str, user: str, socket: str, group: str | None) -> None:
    password = _known_password(config, name, user)
    with _connect(socket) as conn, conn.cursor() as cursor:
        exists = _user_exists(cursor, user)
        if exists and password is None:
            raise SystemExit(
                f"MariaDB user '{user}'@'{USER_HOST}' already exists and {config} has no "
                "password for it: drop that user, choose another with --db-user, or give "
                "--database-url")
        if password is None:
            password = secrets.token_urlsafe(24)
        # The database name cannot be a bound parameter: it is checked, then quoted.
        cursor.execute(f"CREATE DATABASE IF NOT EXISTS `{name}` CHARACTER SET utf8mb4")
        if not exists:
            cursor.execute("CREATE USER %s@%s IDENTIFIED BY %s", (user, USER_HOST, password))
        cursor.execute(f"GRANT ALL PRIVILEGES ON `{name}`.* TO %s@%s", (user, USER_HOST))
    url = URL.create("mysql+pymysql", username=user, password=password, host="localhost",
                     database=name, query={"unix_socket": socket})
    config_file.set_values(config, [("database", "connection",
                                     url.render_as_string(hide_password=False))],
                           group=group)
    print(f"database {name} and its user '{user}'@'{USER_HOST}' are ready "
          f"(privileges on {name}.* only)")


def drop(name: str, user: str, socket: str) -> None:
    with _connect(socket) as conn, conn.cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS `{name}`")
        cursor.execute("DROP USER IF EXISTS %s@%s", (user, USER_HOST))
    print(f"dropped database {name} and user '{user}'@'{USER_HOST}'")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("action", choices=["create", "drop"])
    parser.add_argument("--config")
    parser.add_argument("--name", default="minova")
    parser.add_argument("--user", default="minova")
    parser.add_argument("--group", help="group the config file belongs to")
    parser.add_argument("--socket", default=SOCKET)
    args = parser.parse_args(argv)
    if not _DB_NAME.match(args.name):
        parser.error("--name: letters, digits and _ only (at most 64)")
    if not _USER_NAME.match(args.user):
        parser.error("--user: letters, digits, _ . - only")
    if args.action == "create":
        if not args.config:
            parser.error("create needs --config")
        create(args.config, args.name, args.user, args.socket, args.group)
    else:
        drop(args.name, args.user, args.socket)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
