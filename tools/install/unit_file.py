"""Write one of etc/systemd/'s units for tools/install.sh, for the places it installed into.

    unit_file.py SHIPPED DEST --prefix DIR --config FILE --user NAME
                 --state-dir DIR --log-dir DIR

The shipped units name the default install (/opt/minova, /etc/minova/minova.conf,
user minova, /var/lib/minova, /var/log/minova); with the defaults the unit is
copied unchanged. Otherwise ExecStart, User and Group are rewritten, and
StateDirectory= / LogsDirectory= (which can only name directories under
/var/lib and /var/log) follow the state and log directories there, or are
left out when those lie elsewhere: the installer makes them itself.
Exits 1, naming the line, when a shipped unit does not have the lines this
expects, rather than writing a unit that would still point at the defaults.
"""

import argparse
import os
import sys
import tempfile

DEFAULT_PREFIX = "/opt/minova"
DEFAULT_CONFIG = "/etc/minova/minova.conf"


def _under(path: str, base: str) -> str | None:
    """``path`` relative to ``base`` when it lies strictly under it."""
    path = os.path.normpath(path)
    if path.startswith(base + "/"):
        return path[len(base) + 1:]
    return None


def render(text: str, *, prefix: str, config: str, user: str,
           state_dir: str, log_dir: str) -> str:
    lines = []
    seen = set()
    for line in text.splitlines():
        key, sep, value = line.partition("=")
        if not sep or line.startswith("#"):
            lines.append(line)
            continue
        if key == "ExecStart":
            binary, _, args = value.partition(" ")
            if not binary.startswith(DEFAULT_PREFIX + "/bin/") or DEFAULT_CONFIG not in args:
                raise SystemExit(f"unexpected ExecStart= in the shipped unit: {line}")
            binary = prefix.rstrip("/") + binary[len(DEFAULT_PREFIX):]
            line = f"ExecStart={binary} {args.replace(DEFAULT_CONFIG, config)}"
        elif key in ("User", "Group"):
            line = f"{key}={user}"
        elif key == "StateDirectory":
            name = _under(state_dir, "/var/lib")
            if name is None:
                continue
            line = f"StateDirectory={name}"
        elif key == "LogsDirectory":
            name = _under(log_dir, "/var/log")
            if name is None:
                continue
            line = f"LogsDirectory={name}"
        seen.add(key)
        lines.append(line)
    for key in ("ExecStart", "User", "Group"):
        if key not in seen:
            raise SystemExit(f"the shipped unit has no {key}= line")
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("shipped")
    parser.add_argument("dest")
    parser.add_argument("--prefix", default=DEFAULT_PREFIX)
    parser.add_argument("--config", default=DEFAULT_CONFIG)
    parser.add_argument("--user", default="minova")
    parser.add_argument("--state-dir", default="/var/lib/minova")
    parser.add_argument("--log-dir", default="/var/log/minova")
    args = parser.parse_args(argv)
    with open(args.shipped, encoding="utf-8") as handle:
        text = render(handle.read(), prefix=args.prefix, config=args.config, user=args.user,
                      state_dir=args.state_dir, log_dir=args.log_dir)
    directory = os.path.dirname(os.path.abspath(args.dest))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".minova-unit.")
    try:
        os.fchmod(fd, 0o644)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, args.dest)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
