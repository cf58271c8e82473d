"""Run the benchmarks in order, each in a fresh process, printing one line per figure.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/homes_bench DEBUG=true \\
        .venv/bin/python bench/run_all.py [name ...]

With names (``sla``, ``dashboard``, ``sweep``, ``repairs``) only those run. The order matters:
the dashboard reads the database as seed_bulk left it; the sweep marks breaches (it removes the
deadlines it adds, but the breaches and emails it made stay); the repairs benchmark needs
``seed_bulk_repairs`` and leaves the repairs it reports. A benchmark that fails is reported and
the others still run; the exit code says whether any failed.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = {
    "sla": ["sla_bench.py"],
    "dashboard": ["dashboard_bench.py", "--live-only"],
    "sweep": ["sweep_bench.py"],
    "repairs": ["repairs_bench.py"],
}


def main(names: list[str]) -> int:
    unknown = sorted(set(names) - set(BENCHMARKS))
    if unknown:
        print(
            f"bench: no benchmark named {', '.join(unknown)}; choose from {', '.join(BENCHMARKS)}"
        )
        return 2
    print(f"bench: started {time.strftime('%Y-%m-%d %H:%M:%S %Z')}", flush=True)
    failed = []
    for name, (script, *arguments) in BENCHMARKS.items():
        if names and name not in names:
            continue
        if not (HERE / script).exists():
            print(f"bench: {name}: {script} is missing", flush=True)
            failed.append(name)
            continue
        # Our own scripts, run by this same interpreter.
        command = [sys.executable, str(HERE / script), *arguments]
        result = subprocess.run(command, check=False)  # noqa: S603
        if result.returncode:
            print(f"bench: {name} failed with exit code {result.returncode}", flush=True)
            failed.append(name)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
