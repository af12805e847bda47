"""Serve a held-out web by hand: `python -m tests.heldout_web --seed 3 --sites 40`.

Prints the registry CSV path and the truth table, then serves until Ctrl-C.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from . import build_web, serve


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m tests.heldout_web", description=__doc__)
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--sites", type=int, default=40)
    ap.add_argument("--slow-scale", type=float, default=1.0)
    ap.add_argument("--registry", type=Path, default=None, help="where to write the registry CSV")
    ap.add_argument("--once", action="store_true", help="print and exit instead of serving")
    args = ap.parse_args(argv)
    web = build_web(args.seed, args.sites)
    with serve(web, slow_scale=args.slow_scale) as running:
        path = args.registry or Path(tempfile.gettempdir()) / f"heldout_registry_seed{args.seed}.csv"
        running.registry_csv(path)
        print(f"registry: {path}")
        print(f"{'nr':4} {'c':2} {'lang':4} {'cms':10} {'status':27} {'via':11} {'depth':5} plan_url")
        for t in running.truth.values():
            print(
                f"{t.kommunenummer:4} {t.country:2} {t.language:4} {t.cms:10} {t.status:27} "
                f"{t.found_via or '-':11} {t.click_depth if t.click_depth is not None else '-':5} "
                f"{t.plan_url or '-'}"
            )
            print(f"{'':5}{' '.join(t.scenarios)}")
        if args.once:
            return 0
        print("serving; Ctrl-C to stop")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
