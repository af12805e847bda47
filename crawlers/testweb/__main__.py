"""`python -m crawlers.testweb [--registry PATH] [--seed N]`: serve the demo web in the foreground.

For people poking at the test web by hand: writes the registry CSV and prints each kommune's URL and what the
crawler should find there. Ctrl-C stops it.
"""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

from crawlers.testweb.scenarios import build_demo_web


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawlers.testweb", description=__doc__)
    parser.add_argument("--registry", type=Path, default=Path("var/demo-registry.csv"), help="registry CSV to write")
    parser.add_argument("--seed", type=int, default=0, help="seed for the ordinary pages")
    parser.add_argument("--port", type=int, default=0, help="port shared by all hosts (0: any free port)")
    args = parser.parse_args(argv)

    web = build_demo_web(seed=args.seed, port=args.port)
    with web:
        registry = web.write_registry(args.registry)
        print(f"Planvakt demo web: {len(web.kommuner)} kommuner, registry written to {registry}")
        for k in web.kommuner:
            e = k.expected
            print(f"  {k.kommunenummer} {k.name:<12} {k.scenario:<14} {k.website:<28} {e.status} {e.plan_path}")
        print("Ctrl-C to stop.")
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            print("stopping")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
