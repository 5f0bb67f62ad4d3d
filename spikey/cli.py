"""The ``spikey`` command. Each subcommand lives in the module that owns it.

A subcommand module exports ``add_arguments(parser)`` and ``main(args) -> int``. A user's
mistake (an unknown name, a malformed value, a missing extra) ends in one line on stderr
and exit code 2, never a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence
from typing import NoReturn

from spikey.extras import MissingExtra
from spikey.module import ConfigError

SUBCOMMANDS = {
    "list": ("spikey.experiments.cli_list", "list the registered experiments"),
    "run": ("spikey.runner.cli_run", "run an experiment over seeds"),
    "replicate": ("spikey.replicate", "replicate a paper: every experiment, a report with figures"),
    "sweep": ("spikey.runner.sweep", "sweep an experiment's parameters (Ray Tune or Optuna)"),
    "bench": ("spikey.bench", "benchmark the Izhikevich engine on a preset"),
}


class OneLineParser(argparse.ArgumentParser):
    """argparse, with a usage mistake reported as one line (and where to find help)."""

    def error(self, message: str) -> NoReturn:
        """Print ``prog: error: MESSAGE (see prog --help)`` and exit with status 2."""
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    """The ``spikey`` parser with one subcommand per entry of ``SUBCOMMANDS``.

    A subcommand whose module cannot be imported (a missing optional part) stays listed
    and reports itself as not available when run.
    """
    parser = OneLineParser(prog="spikey", description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)
    for name, (module, help_text) in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as err:
            if err.name != module:
                raise
            p.set_defaults(_missing=module)
            continue
        mod.add_arguments(p)
        p.set_defaults(_main=mod.main)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``spikey ARGV``; return the exit code (2: a configuration mistake). A usage
    mistake (argparse) prints one line and raises ``SystemExit(2)``, as argparse does."""
    args = build_parser().parse_args(argv)  # a usage mistake: one line, SystemExit(2)
    if getattr(args, "_missing", None):
        print(
            f"spikey {args.command}: not available in this build ({args._missing} missing)",
            file=sys.stderr,
        )
        return 2
    try:
        return int(args._main(args) or 0)
    except (ConfigError, MissingExtra) as err:
        print(f"spikey {args.command}: error: {err}", file=sys.stderr)
        return 2
    except (KeyError, ValueError, OSError) as err:  # the user's to fix: one line, exit 2
        if os.environ.get("SPIKEY_DEBUG"):
            raise
        msg = err.args[0] if isinstance(err, KeyError) and err.args else err
        print(
            f"spikey {args.command}: error: {msg} (SPIKEY_DEBUG=1 shows the traceback)",
            file=sys.stderr,
        )
        return 2
    except KeyboardInterrupt:
        print(f"spikey {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
