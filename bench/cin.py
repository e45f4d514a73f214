"""CIN census benchmark: `python bench/cin.py [--database FILE | --children N] [--year 2025-26]`.

Times `safeguard export-cin` on a demo borough, split into its three steps (building the
records of the return, Safeguard's own check of the DfE validation rules, writing the XML),
then runs the same file through the DfE's own validator, csc-validator-be-cin, in its own
environment (`.venv-cin`, `make cin-validator`) as the conformance test does
(safeguard/returns/tests/cin_oracle.py). Reports wall time, peak memory, children, the error
rules and queries each side found, whether the two found the same rules on the same children
(errors and queries alike), and how many times faster Safeguard is: its whole export, records
to checked XML, against the DfE validator's process on the file (and its rule check alone).
Unlike the command, the file is written even when Safeguard finds error rules, so that both
sides always see the same records. Exits non-zero when either side finds an error rule, the
file breaks the schema, the two sides disagree on any child, or Safeguard's export is not at
least `--min-ratio` (10) times faster. Pass `--database` to time a borough already generated
(a 50,000-child borough takes many minutes to build); results are in docs/performance.md.
`make bench` runs it on a freshly generated 2,000-child borough.
"""

import argparse
import collections
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _reset_peak() -> bool:
    """Start this process's peak resident memory afresh (Linux: /proc/self/clear_refs)."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _peak_mib() -> float:
    """This process's peak resident memory since _reset_peak (VmHWM), else since it began."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def _by_rule(issues) -> str:
    """ "8670Q x12" per rule, for a list of rule codes (one per failure)."""
    counts = collections.Counter(issues)
    return ", ".join(f"{code} x{n:,}" for code, n in sorted(counts.items())) or "none"


def _children_by_rule(issues: list[dict]) -> dict[str, int]:
    """How many children each DfE rule flagged (its report can have a row per table)."""
    children = collections.defaultdict(set)
    for issue in issues:
        children[issue["rule"]].add(issue["LAchildID"])
    return {code: len(ids) for code, ids in sorted(children.items())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", help="an existing SQLite demo database to time")
    parser.add_argument("--children", type=int, default=2000)
    parser.add_argument("--year", default="2025-26")
    parser.add_argument("--output", help="where to write the XML (default: a temporary folder)")
    parser.add_argument(
        "--report", help="also write what both sides found, rule by rule, to this JSON file"
    )
    parser.add_argument(
        "--min-ratio",
        type=float,
        default=10.0,
        help="fail unless Safeguard's export is at least this many times faster (default 10)",
    )
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="safeguard-bench-cin-"))
    database = Path(args.database) if args.database else folder / "bench.sqlite3"
    output = Path(args.output) if args.output else folder / "cin.xml"
    os.environ.update(
        {
            "DATABASE_URL": f"sqlite:///{database}",
            "SAFEGUARD_VAR_DIR": str(folder),
            "SAFEGUARD_STATIC_ROOT": str(folder / "static"),
            "DJANGO_SETTINGS_MODULE": "safeguard.settings",
        }
    )
    oracle_python = Path(
        os.environ.get("SAFEGUARD_CIN_VALIDATOR_PYTHON", ROOT / ".venv-cin" / "bin" / "python")
    )
    if not oracle_python.exists():
        print(
            f"The CIN validator's environment is missing ({oracle_python}): "
            "run `make cin-validator`.",
            file=sys.stderr,
        )
        return 2
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    import safeguard.returns
    from safeguard.accounts.models import LocalAuthority
    from safeguard.people.models import Person
    from safeguard.returns.builders.cin import build_cin_return
    from safeguard.returns.census import CensusYear
    from safeguard.returns.files import write_atomically
    from safeguard.returns.services import release
    from safeguard.returns.validators.cin import ERROR, validate_cin_return
    from safeguard.returns.writers.cin import render_cin_xml

    call_command("migrate", verbosity=0)
    if not args.database:
        call_command("demo", children=args.children, seed=2009, verbosity=0)
    year = CensusYear.parse(args.year)
    authority = LocalAuthority.objects.get()
    borough = Person.objects.exclude(la_child_id__isnull=True).count()
    before = _peak_mib()
    reset = _reset_peak()

    # (a) Safeguard: the three steps of `safeguard export-cin`, as the command runs them.
    c0 = time.process_time()
    t0 = time.perf_counter()
    census = build_cin_return(authority=authority, year=year)
    t1 = time.perf_counter()
    failures = validate_cin_return(census)
    t2 = time.perf_counter()
    data = render_cin_xml(census, generated_at=timezone.localtime(), release=release())
    write_atomically(output, data)
    t3 = time.perf_counter()
    ours_cpu = time.process_time() - c0
    ours_peak = _peak_mib()
    ours_errors = [f.code for f in failures if f.level == ERROR]
    ours_queries = [f.code for f in failures if f.level != ERROR]
    ours_pairs = {(f.code, f.la_child_id or None) for f in failures}
    children = len(census.children)
    episodes = sum(len(c.episodes) for c in census.children)
    del census, failures, data

    # (b) The DfE's validator on the same file, in its own environment and process.
    schemas = Path(safeguard.returns.__file__).parent / "schemas"
    oracle = Path(safeguard.returns.__file__).parent / "tests" / "cin_oracle.py"
    xsd = schemas / f"CIN_schema_{year.first_year + 1}.xsd"
    t4 = time.perf_counter()
    done = subprocess.run(  # noqa: S603 (our own validator script on our own file)
        [str(oracle_python), str(oracle), str(output), str(xsd)],
        capture_output=True,
        text=True,
        check=False,
    )
    t5 = time.perf_counter()
    if done.returncode != 0:
        print(f"csc-validator-be-cin failed to run:\n{done.stderr[-4000:]}", file=sys.stderr)
        return 1
    result = json.loads(done.stdout)
    # The validator's own high-water mark: getrusage(RUSAGE_CHILDREN) would also count the
    # memory of this process the child was forked from.
    theirs_peak = (result.get("peak_rss_kib") or 0) / 1024
    theirs_errors = [i["rule"] for i in result["issues"] if i["level"] == "error"]
    theirs_queries = [i["rule"] for i in result["issues"] if i["level"] != "error"]
    theirs_children = _children_by_rule(result["issues"])
    theirs_pairs = {(i["rule"], i["LAchildID"]) for i in result["issues"]}
    agree = ours_pairs == theirs_pairs and not result.get("failed_rules")
    ours_total, theirs_total = t3 - t0, t5 - t4
    ratio = theirs_total / ours_total
    check_ratio = result["seconds"]["validator"] / (t2 - t1)
    # CPU time: less at the mercy of a shared machine's load than the wall clock.
    theirs_cpu = result.get("cpu_seconds")
    cpu_ratio = theirs_cpu / ours_cpu if theirs_cpu else None

    print(
        f"CIN census {year} benchmark: demo borough of {borough:,} children (SQLite); "
        f"{children:,} children and {episodes:,} episodes in the return, "
        f"{output.stat().st_size / 2**20:.1f} MiB of XML ({output})"
    )
    print(
        f"  Safeguard export-cin    build {t1 - t0:8.1f} s   validate {t2 - t1:6.1f} s   "
        f"write {t3 - t2:6.1f} s   total {t3 - t0:8.1f} s   "
        f"peak RSS {ours_peak:,.0f} MiB "
        + (f"(during the export; {before:,.0f} MiB before it)" if reset else "(whole process)")
    )
    print(
        f"  csc-validator-be-cin    schema {result['seconds']['xsd']:7.1f} s   "
        f"rules {result['seconds']['validator']:9.1f} s   "
        f"total {t5 - t4:8.1f} s (process wall time)   peak RSS {theirs_peak:,.0f} MiB"
    )
    print(f"  children:      Safeguard {children:,}   DfE validator {result['children']:,}")
    print(
        f"  error rules:   Safeguard {len(ours_errors):,} ({_by_rule(ours_errors)})   "
        f"DfE validator {len(theirs_errors):,} ({_by_rule(theirs_errors)})"
        + (f"   schema errors {len(result['xsd_errors'])}" if result["xsd_errors"] else "")
    )
    print(f"  queries:       Safeguard {len(ours_queries):,} ({_by_rule(ours_queries)})")
    print(f"                 DfE validator {len(theirs_queries):,} ({_by_rule(theirs_queries)})")
    print(
        "  DfE validator rows are report rows; children flagged per rule: "
        + (", ".join(f"{c} {n:,}" for c, n in theirs_children.items()) or "none")
        + "."
    )
    if agree:
        print(
            f"  child for child: the same {len(ours_pairs):,} (rule, child) pairs on both sides "
            "(errors and queries)"
        )
    else:
        only_ours = _by_rule(code for code, _child in ours_pairs - theirs_pairs)
        only_theirs = _by_rule(code for code, _child in theirs_pairs - ours_pairs)
        print(
            f"  child for child: DIFFERENT. Only Safeguard: {only_ours}; "
            f"only the DfE validator: {only_theirs}"
            + (
                f"; rules the DfE validator failed to run: {result['failed_rules']}"
                if result.get("failed_rules")
                else ""
            )
        )
    print(
        f"  speed: Safeguard's export (records to checked XML) {ours_total:.1f} s against the "
        f"DfE validator's {theirs_total:.1f} s: {ratio:.1f} times faster "
        f"({'meets' if ratio >= args.min_ratio else 'MISSES'} the {args.min_ratio:g}x target); "
        f"the rule checks alone {t2 - t1:.1f} s against "
        f"{result['seconds']['validator']:.1f} s, {check_ratio:.0f} times faster"
    )
    if cpu_ratio:
        print(
            f"  CPU time: Safeguard's export {ours_cpu:.1f} s, the DfE validator's process "
            f"{theirs_cpu:.1f} s: {cpu_ratio:.1f} times less"
        )
    if args.report:
        Path(args.report).write_text(
            json.dumps(
                {
                    "safeguard": {
                        "children": children,
                        "seconds": {"build": t1 - t0, "validate": t2 - t1, "write": t3 - t2},
                        "peak_rss_mib": ours_peak,
                        "errors": collections.Counter(ours_errors),
                        "queries": collections.Counter(ours_queries),
                    },
                    "same_rules_on_the_same_children": agree,
                    "times_faster": {"export": ratio, "rule_check": check_ratio},
                    "cpu_seconds": {
                        "safeguard_export": ours_cpu,
                        "csc_validator_be_cin": theirs_cpu,
                    },
                    "csc_validator_be_cin": {
                        "children": result["children"],
                        "seconds": {**result["seconds"], "process": t5 - t4},
                        "peak_rss_mib": theirs_peak,
                        "xsd_errors": result["xsd_errors"],
                        "errors": collections.Counter(theirs_errors),
                        "queries": collections.Counter(theirs_queries),
                        "children_by_rule": theirs_children,
                        "failed_rules": result.get("failed_rules", {}),
                        "descriptions": {i["rule"]: i["description"] for i in result["issues"]},
                    },
                },
                indent=2,
            )
        )
    failed = ours_errors or theirs_errors or result["xsd_errors"] or not agree
    return 1 if failed or ratio < args.min_ratio else 0


if __name__ == "__main__":
    sys.exit(main())
