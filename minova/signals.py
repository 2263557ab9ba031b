"""The signals a minova service process answers, as an operator (and systemd) expects.

* SIGTERM or SIGINT: stop gracefully (``minova.service.start_and_wait``:
  take no new work, finish the work in hand within
  ``graceful_shutdown_timeout``, exit 0).
* The same again while stopping: exit at once, status 1, leaving whatever
  was in hand as it is (as any crash would).
* SIGHUP: re-read the configuration files and apply the mutable options
  (oslo.config's ``mutate_config_files``, what oslo.service does for Nova):
  ``debug`` and ``log_config_append`` (whose file is read again), so the
  log level or the whole logging setup changes without a restart. Other
  changed options are logged as ignored until the next start.
* SIGUSR2: log the message and statement counters (``minova.counters``).

Handlers only set flags (and, for a second stop signal, exit); the main
thread acts on them, outside the handler. A handler runs on the main
thread between two of its bytecodes, so it must not take a lock the main
thread may hold (not even an Event's): flags, and a short sleep loop.
A stop signal that arrives while a service is still starting (waiting for
the conductor) is acted on once it has started; a second one exits.
"""

import logging as std_logging
import os
import signal
import sys
import time
from typing import NoReturn

from oslo_config import cfg
from oslo_log import log as logging

from minova import counters

CONF = cfg.CONF
LOG = logging.getLogger(__name__)

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)
FORCED_EXIT_STATUS = 1


def exit_now(status: int) -> NoReturn:
    """Leave the process at once, with the logs and standard streams flushed.

    ``os._exit`` skips the interpreter's exit, which joins every worker
    thread a library pool ever started (futurist's, oslo.messaging's): a
    thread waiting on a peer that is gone would hold the exit for its whole
    RPC timeout.
    """
    for handler in std_logging.getLogger().handlers:
        try:
            handler.flush()
        except Exception:  # noqa: S110 (exiting: a broken handler must not stop it)
            pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # noqa: S110
            pass
    os._exit(status)


def reload_config() -> None:
    """Apply the mutable options of the configuration files as they are now."""
    LOG.info("Caught SIGHUP, reloading the configuration files")
    try:
        CONF.mutate_config_files()
    except Exception:  # a broken file must not take the service down
        LOG.exception("Could not reload the configuration; keeping the current one")


_installed: "ProcessSignals | None" = None


def stop_requested() -> bool:
    """Whether this process was asked to stop (its handlers are installed and a
    stop signal came): for what runs before the process waits for signals,
    such as a service waiting for the conductor to answer before it starts."""
    return _installed is not None and _installed.stopping


class ProcessSignals:
    """Stop and reload requests of this process, set by its signal handlers."""

    POLL_INTERVAL = 0.1  # seconds: how late the main thread may notice a signal

    def __init__(self) -> None:
        self._reload = False
        self.stop_signal: int | None = None

    def install(self) -> None:
        """Install the handlers (main thread only). A stop signal ignored when
        the process started stays ignored: a conductor worker ignores SIGINT,
        because its parent owns the terminal's Ctrl-C and forwards a SIGTERM."""
        for signum in STOP_SIGNALS:
            if signal.getsignal(signum) is not signal.SIG_IGN:
                signal.signal(signum, self._on_stop)
        signal.signal(signal.SIGHUP, self._on_hup)
        counters.install_signal_handler()
        global _installed
        _installed = self

    @property
    def stopping(self) -> bool:
        return self.stop_signal is not None

    def _on_stop(self, signum, _frame) -> None:
        if self.stop_signal is not None:
            LOG.warning("Caught signal %s again while stopping: exiting now", signum)
            exit_now(FORCED_EXIT_STATUS)
        self.stop_signal = signum

    def _on_hup(self, _signum, _frame) -> None:
        self._reload = True

    def wait_for_stop(self) -> int:
        """Serve reload requests until a stop signal arrives; returns its number."""
        while True:
            if self._reload:
                self._reload = False
                reload_config()
            if self.stop_signal is not None:
                return self.stop_signal
            time.sleep(self.POLL_INTERVAL)
