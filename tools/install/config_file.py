"""Read and update an ini file (minova.conf) for tools/install.sh, without a shell in between.

The installer's choices come from its command line; written through a shell
(a heredoc, echo, sed) a value with a quote, a dollar or a newline would end
up as something else, so every value goes through argv into configparser.

    config_file.py FILE set [--group G] [--mode 0640] SECTION KEY VALUE [SECTION KEY VALUE ...]
    config_file.py FILE get SECTION KEY      (prints the value; exit 1 when unset)

``set`` merges: keys it is not given keep their values (an operator's edits
survive a second run of the installer); comments are not kept. The file is
replaced atomically, with its mode and group set before it appears.
"""

import argparse
import configparser
import grp
import os
import sys
import tempfile


def load(path: str) -> configparser.ConfigParser:
    """The file as configparser sees it (no interpolation: oslo.config does its own)."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str  # keep keys as written
    if os.path.exists(path):
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    return parser


def get(path: str, section: str, key: str) -> str | None:
    parser = load(path)
    if section == "DEFAULT":
        return parser.defaults().get(key)
    if parser.has_option(section, key):
        return parser.get(section, key)
    return None


def set_values(path: str, triples: list[tuple[str, str, str]], *,
               mode: int = 0o640, group: str | None = None) -> None:
    """Set each (section, key, value) and write the file back atomically."""
    parser = load(path)
    for section, key, value in triples:
        if "\n" in value or "\r" in value:
            raise ValueError(f"a value of {section}/{key} may not span lines")
        if section != "DEFAULT" and not parser.has_section(section):
            parser.add_section(section)
        parser.set(section, key, value)
    directory = os.path.dirname(os.path.abspath(path))
    gid = grp.getgrnam(group).gr_gid if group else -1
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=".minova.conf.")
    try:
        os.fchmod(fd, mode)
        if gid != -1:
            os.fchown(fd, 0, gid)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("# Written by tools/install.sh; values may be edited, comments are\n"
                         "# not kept by its next run. Every option: minova.conf.sample.\n")
            parser.write(handle)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    sub = parser.add_subparsers(dest="action", required=True)
    setter = sub.add_parser("set")
    setter.add_argument("--mode", default="0640")
    setter.add_argument("--group")
    setter.add_argument("triples", nargs="+", metavar="SECTION KEY VALUE")
    getter = sub.add_parser("get")
    getter.add_argument("section")
    getter.add_argument("key")
    args = parser.parse_args(argv)
    if args.action == "get":
        value = get(args.file, args.section, args.key)
        if value is None:
            return 1
        print(value)
        return 0
    if len(args.triples) % 3:
        parser.error("set takes SECTION KEY VALUE triples")
    triples = [tuple(args.triples[i:i + 3]) for i in range(0, len(args.triples), 3)]
    set_values(args.file, triples, mode=int(args.mode, 8), group=args.group)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
