#!/usr/bin/env python3
"""Run a command under a parent that reaps every orphan it inherits.

    tools/subreaper.py [--detach] [--pidfile FILE] [--log FILE] -- COMMAND [ARG...]

The process marks itself a child subreaper (``prctl(PR_SET_CHILD_SUBREAPER)``),
starts COMMAND, and from then on waits for every child it has. Orphans among
COMMAND's descendants (a daemon that forks into the background, the QEMU
processes libvirtd starts) are re-parented to it instead of PID 1, and are
reaped at once. It matters for libvirtd on machines whose PID 1 reaps only
every second or two: ``virDomainDestroy`` polls until QEMU's pid is gone, so
there it takes 1.2-1.8 s instead of 0.2 s.

With ``--detach`` it forks, starts a new session (setsid), points its
standard streams at ``--log`` (default /dev/null) and returns at once, so it
outlives whoever started it and holds none of their pipes open.

It exits when it has no children left: only its own descendants can ever be
re-parented to it, so once it has none there is nothing left to reap.
"""

import argparse
import ctypes
import os
import signal
import sys

PR_SET_CHILD_SUBREAPER = 36


def set_child_subreaper():
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl(PR_SET_CHILD_SUBREAPER): {os.strerror(err)}")


def detach(log_path):
    """Fork into the background in a new session; the caller's process exits."""
    if os.fork() > 0:
        os._exit(0)
    os.setsid()
    os.chdir("/")
    devnull = os.open(os.devnull, os.O_RDONLY)
    log = os.open(log_path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o640)
    os.dup2(devnull, 0)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.closerange(3, os.sysconf("SC_OPEN_MAX"))  # no inherited locks or pipes


def reap_forever(first_child):
    """Wait for every child until none is left; return the first child's status."""
    status = 0
    while True:
        try:
            pid, wait_status = os.waitpid(-1, 0)
        except ChildProcessError:
            return status
        if pid == first_child:
            code = os.waitstatus_to_exitcode(wait_status)
            status = code if code >= 0 else 128 - code


def remove_pidfile(path):
    """Remove the pid file unless it is now another reaper's."""
    try:
        with open(path) as f:
            if f.read().strip() != str(os.getpid()):
                return
        os.unlink(path)
    except FileNotFoundError:
        pass


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--detach", action="store_true",
                        help="fork into the background in a new session")
    parser.add_argument("--pidfile", help="write this process's pid here")
    parser.add_argument("--log", default=os.devnull,
                        help="where the detached process's stdout/stderr go")
    parser.add_argument("command", nargs=argparse.REMAINDER,
                        help="the command to run (after --)")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")

    if args.detach:
        detach(args.log)
    set_child_subreaper()
    if args.pidfile:
        with open(args.pidfile, "w") as f:
            f.write(f"{os.getpid()}\n")
    # A terminated reaper would hand its orphans back to PID 1; the command's
    # own lifetime is what decides when this process goes.
    signal.signal(signal.SIGHUP, signal.SIG_IGN)

    child = os.fork()
    if child == 0:
        try:
            os.execvp(command[0], command)
        except OSError as exc:
            print(f"subreaper: cannot run {command[0]}: {exc}", file=sys.stderr)
        os._exit(127)
    status = reap_forever(child)
    if args.pidfile:
        remove_pidfile(args.pidfile)
    return status


if __name__ == "__main__":
    sys.exit(main())
