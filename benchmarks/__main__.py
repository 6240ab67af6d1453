"""Run every benchmark row and print a table of ratios: `python -m benchmarks [-k TEXT]`.

Each module benchmarks/bench_*.py has ROWS, a list of callables that take nothing and
return {"name", "subject_seconds", "baseline_seconds", "baseline", "note"}, and "unit"
when the row counts something other than seconds (the keys row counts keys). These
machines are shared and noisy, so a row is a ratio against a baseline timed in the same
run, never an absolute target.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
import traceback
from pathlib import Path
from typing import Any


def _modules() -> list[str]:
    here = Path(__file__).resolve().parent
    return sorted(f"benchmarks.{p.stem}" for p in here.glob("bench_*.py"))


def _fmt_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.1f} us"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def _fmt(value: float, result: dict[str, Any]) -> str:
    # A row may count something other than time, such as keys.
    unit = result.get("unit")
    return f"{value:g} {unit}" if unit else _fmt_seconds(value)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("-k", metavar="TEXT", help="only rows whose module or name has TEXT")
    parser.add_argument("--json", metavar="PATH", help="also write the rows as JSON to PATH")
    args = parser.parse_args(argv)
    rows: list[dict[str, Any]] = []
    failed = 0
    for name in _modules():
        module = importlib.import_module(name)
        for row in getattr(module, "ROWS", []):
            label = f"{name}.{getattr(row, '__name__', 'row')}"
            if args.k and args.k not in label:
                continue
            print(f"running {label} ...", file=sys.stderr, flush=True)
            try:
                result = dict(row())
            except Exception:
                failed += 1
                traceback.print_exc()
                result = {"name": label, "error": "failed (see above)"}
            rows.append(result)
    print()
    header = f"{'benchmark':<58} {'subject':>10} {'baseline':>10} {'ratio':>8}  baseline is"
    print(header)
    print("-" * len(header))
    for result in rows:
        if "error" in result:
            print(f"{result['name']:<58} {'':>10} {'':>10} {'':>8}  {result['error']}")
            continue
        subject, baseline = result["subject_seconds"], result["baseline_seconds"]
        result["ratio"] = subject / baseline if baseline > 0 else float("inf")
        print(
            f"{result['name']:<58} {_fmt(subject, result):>10} {_fmt(baseline, result):>10} "
            f"{result['ratio']:>7.2f}x  {result['baseline']}"
        )
        if result.get("note"):
            print(f"{'':<58} {result['note']}")
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=2), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
