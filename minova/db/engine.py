"""The conductor's database engine, configured from ``[database]``.

SQLite (the all-in-one default) gets WAL and ``BEGIN IMMEDIATE`` so that
concurrent writers queue on the lock instead of failing with "database is
locked" half-way through a transaction.
"""

import contextlib
import os
import threading

import sqlalchemy as sa
from oslo_config import cfg
from sqlalchemy.engine import make_url

from minova import counters

CONF = cfg.CONF

_ENGINE: sa.Engine | None = None
_LOCK = threading.Lock()


def _configure_sqlite(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy, not pysqlite, decide when transactions begin.
        dbapi_conn.isolation_level = None
        cursor = dbapi_conn.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def _count_statements(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "before_cursor_execute")
    def _on_execute(_conn, _cursor, statement, _params, _context, _many):
        verb = statement.lstrip()[:6].upper()
        if verb != "BEGIN ":  # SQLite's BEGIN IMMEDIATE; elsewhere not a statement
            counters.count_sql(verb)


def create_engine(url: str, *, pool_size: int = 10, max_overflow: int = 20,
                  echo: bool = False) -> sa.Engine:
    """An engine for ``url``; creates the SQLite file's directory when needed."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            os.makedirs(os.path.dirname(os.path.abspath(parsed.database)), exist_ok=True)
        engine = sa.create_engine(url, echo=echo,
                                  connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
    else:
        engine = sa.create_engine(url, echo=echo, pool_size=pool_size,
                                  max_overflow=max_overflow, pool_pre_ping=True,
                                  pool_recycle=3600)
    _count_statements(engine)
    return engine


def get_engine() -> sa.Engine:
    """This process's engine, created on first use from CONF."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is None:
            _ENGINE = create_engine(CONF.database.connection,
                                    pool_size=CONF.database.max_pool_size,
                                    max_overflow=CONF.database.max_overflow,
                                    echo=CONF.database.connection_debug)
        return _ENGINE


def set_engine(engine: sa.Engine | None) -> None:
    """Point this process at another engine (tests, minova-manage)."""
    global _ENGINE
    with _LOCK:
        if _ENGINE is not None and _ENGINE is not engine:
            _ENGINE.dispose()
        _ENGINE = engine


def transaction():
    """``with transaction() as conn:`` — one transaction on this process's engine."""
    return get_engine().begin()


@contextlib.contextmanager
def joined(conn=None):
    """Run in the caller's transaction when given one, else in a new one.

    Lets one step of a build write the instance, its event and its action
    in a single transaction (one round trip to commit, all or nothing).
    """
    if conn is not None:
        yield conn
    else:
        with get_engine().begin() as new:
            yield new
