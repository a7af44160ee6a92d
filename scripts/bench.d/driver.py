"""scripts/bench's driver: runs each workload's Lua file with the tessera runner and its Python
peer file with /usr/bin/python3, at each thread count, and prints one table (see
docs/benchmarks.md). Only the standard library is used here, so a broken peer install cannot
stop the run."""
import argparse
import datetime
import glob
import json
import math
import os
import shlex
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
PYTHON = "/usr/bin/python3"
RESULTS = os.path.join(ROOT, "docs", "benchmarks.md")
ORDER = ["add10", "add_new", "add_out", "triad", "unfused", "sincos", "sum", "norm", "dot",
         "mean_axis", "transposed_add", "matrix_add", "astype"]
IMPLS = [("tessera", "Tessera"), ("numpy", "NumPy"), ("numexpr", "numexpr"), ("numba", "Numba")]


def workloads():
    names = [os.path.basename(p)[:-4] for p in glob.glob(os.path.join(HERE, "*.lua"))]
    names = [n for n in names if n != "harness"]
    return sorted(names, key=lambda n: (ORDER.index(n) if n in ORDER else len(ORDER), n))


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="scripts/bench",
        description="Runs benchmark workloads in Tessera and in NumPy, numexpr and Numba, "
                    "and prints a table of medians and ratios (Tessera time / peer time).")
    p.add_argument("names", nargs="*", help="workloads to run (default: all); --list shows them")
    p.add_argument("--threads", default="1,2", help="comma-separated thread counts (default 1,2)")
    p.add_argument("--repeat", type=int, help="timed repetitions after one warm-up "
                                              "(default 7, 3 with --quick)")
    p.add_argument("--quick", action="store_true", help="fewer repetitions, 10x smaller arrays")
    p.add_argument("--write", action="store_true", help="also regenerate docs/benchmarks.md")
    p.add_argument("--list", action="store_true", help="list the workloads and exit")
    p.add_argument("--tessera", default=os.path.join(ROOT, "build", "tessera"),
                   help="the tessera runner to use (default build/tessera)")
    p.add_argument("--timeout", type=float, default=1800, help="seconds per process (default 1800)")
    a = p.parse_args(argv)
    try:
        a.threads = [int(t) for t in a.threads.split(",") if t.strip()]
        assert a.threads and all(t >= 1 for t in a.threads)
    except (ValueError, AssertionError):
        p.error("--threads takes positive integers separated by commas, e.g. 1,2")
    if a.repeat is None:
        a.repeat = 3 if a.quick else 7
    if a.repeat < 1:
        p.error("--repeat must be at least 1")
    known = workloads()
    if a.list:
        print("\n".join(known))
        sys.exit(0)
    unknown = [n for n in a.names if n not in known]
    if unknown:
        p.error("unknown workload(s) %s; known: %s" % (", ".join(unknown), " ".join(known)))
    a.names = a.names or known
    return a


def run_process(cmd, env, timeout):
    """Runs one side; returns (records, problem) where problem is None or a short message."""
    try:
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired as e:
        out = e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or "")
        return parse(out), "timed out after %gs" % timeout
    except OSError as e:
        return [], "%s: %s" % (cmd[0], e)
    problem = None
    if proc.returncode != 0:
        lines = [l.strip() for l in proc.stderr.splitlines() if l.strip()]
        # Lua's message comes first (a traceback follows), Python's last
        msg = (lines[-1] if cmd[0] == PYTHON else lines[0]) if lines else "no message"
        problem = "exit %d: %s" % (proc.returncode, msg)
    return parse(proc.stdout), problem


def parse(out):
    records = []
    for line in out.splitlines():
        if line.startswith("BENCH "):
            try:
                records.append(json.loads(line[6:]))
            except ValueError:
                pass
    return records


def lua_env():
    env = dict(os.environ)
    env["LUA_PATH"] = os.path.join(HERE, "?.lua") + ";;"
    env.pop("TESSERA_NUM_THREADS", None)
    return env


def python_env(threads, max_threads):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env.update(PYTHONNOUSERSITE="1", PYTHONDONTWRITEBYTECODE="1",
               OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads),
               MKL_NUM_THREADS=str(threads), NUMEXPR_NUM_THREADS=str(threads),
               NUMEXPR_MAX_THREADS=str(max(max_threads, os.cpu_count() or 1)),
               NUMBA_NUM_THREADS=str(max(max_threads, os.cpu_count() or 1)))
    # libgomp's default spin-waiting (Numba's OpenMP layer) collapses when the cores are shared:
    # a parallel loop then waits for descheduled spinners (1e6-element adds went from 0.4 ms to
    # 12 ms on the 2-core machine under a compile). Passive waiting unless the caller chose.
    env.setdefault("OMP_WAIT_POLICY", "passive")
    return env


class Row:
    def __init__(self, case, threads):
        self.case, self.threads = case, threads
        self.what = ""
        self.code = {}     # impl -> code
        self.median = {}   # impl -> seconds
        self.status = {}   # impl -> "ok" | "n/a" | "error"
        self.check = {}    # impl -> list
        self.error = {}    # impl -> message


def collect(args):
    rows, order, notes = {}, [], []
    max_threads = max(args.threads)
    for name in args.names:
        for t in args.threads:
            extra = ["--threads", str(t), "--repeat", str(args.repeat)] + (["--quick"] if args.quick else [])
            sides = [("tessera", [args.tessera, os.path.join(HERE, name + ".lua")] + extra, lua_env())]
            py = os.path.join(HERE, name + ".py")
            if os.path.exists(py):
                sides.append(("numpy", [PYTHON, py] + extra, python_env(t, max_threads)))
            lua_cases = []
            for side, cmd, env in sides:
                print("bench: %s, %s, %s" % (name, nthreads(t), "Tessera" if side == "tessera" else "peers"),
                      file=sys.stderr, flush=True)
                records, problem = run_process(cmd, env, args.timeout)
                for r in records:
                    if r["kind"] == "unavailable":  # numpy itself is missing
                        for c in lua_cases:
                            rows[(c, t)].status[r["impl"]] = "n/a"
                            rows[(c, t)].error[r["impl"]] = r.get("error", "")
                        continue
                    key = (r["case"], t)
                    if key not in rows:
                        rows[key] = Row(r["case"], t)
                        order.append(key)
                    row = rows[key]
                    impl = r["impl"]
                    if r.get("what"):
                        row.what = r["what"]
                    if r.get("code"):
                        row.code[impl] = r["code"]
                    if r["kind"] == "result":
                        row.median[impl] = r["median"]
                        row.status[impl] = "ok"
                        if r.get("check") is not None:
                            row.check[impl] = r["check"]
                    else:
                        row.status[impl] = "n/a" if r["kind"] == "na" else "error"
                        row.error[impl] = r.get("error", "")
                    if side == "tessera":
                        lua_cases.append(r["case"])
                if problem:
                    label = "Tessera" if side == "tessera" else "Python peers"
                    notes.append("%s (%s), %s: %s" % (name, nthreads(t), label, problem))
                    if not records and side == "tessera":  # nothing reported: one error row
                        if (name, t) not in rows:
                            rows[(name, t)] = Row(name, t)
                            order.append((name, t))
                    for (c, tt), row in rows.items():  # mark what never reported
                        if tt == t and (c in lua_cases or c == name) and side not in row.status:
                            row.status[side] = "error"
                            row.error[side] = problem
    cases = list(dict.fromkeys(case for case, _ in order))  # first-seen order
    order.sort(key=lambda k: (cases.index(k[0]), k[1]))
    return [rows[k] for k in order], notes


def nthreads(t):
    return "%d thread%s" % (t, "" if t == 1 else "s")


def fmt_time(s):
    if s is None or not math.isfinite(s):
        return "-"
    for unit, scale in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6), ("ns", 1e-9)):
        if s >= scale or unit == "ns":
            v = s / scale
            return ("%.0f" if v >= 100 else "%.1f" if v >= 10 else "%.2f") % v + " " + unit


def check_row(row):
    """'ok', '-' (nothing to compare) or 'MISMATCH <impls>'; plus detail notes."""
    ref = row.check.get("tessera")
    if ref is None:
        return "-", []
    rtol = 1e-5 if "float32" in ref else 1e-9
    bad, details, compared = [], [], 0
    for impl, vals in row.check.items():
        if impl == "tessera":
            continue
        compared += 1
        same = len(vals) == len(ref)
        for x, y in zip(ref, vals):
            if isinstance(x, str) or isinstance(y, str):
                same = same and x == y
            elif not (math.isnan(x) and math.isnan(y)):
                same = same and math.isclose(x, y, rel_tol=rtol, abs_tol=1e-12)
        if not same:
            bad.append(impl)
            details.append("%s (%s): Tessera gives %s, %s gives %s" %
                           (row.case, nthreads(row.threads), ref, impl, vals))
    if bad:
        return "MISMATCH " + ",".join(bad), details
    return ("ok" if compared else "-"), []


def table(rows, notes):
    seen = list(dict.fromkeys(i for r in rows for i in r.status))
    known = dict(IMPLS)
    used = [(i, label) for i, label in IMPLS if i in seen or i == "tessera"]
    used += [(i, i) for i in seen if i not in known]  # a peer this driver does not name
    header = ["workload", "threads"]
    for impl, label in used:
        header.append(label)
        if impl != "tessera":
            header.append("T/" + label)
    header.append("check")
    lines = []
    for r in rows:
        cells = [r.case, str(r.threads)]
        t = r.median.get("tessera")
        for impl, label in used:
            st = r.status.get(impl)
            cells.append(fmt_time(r.median[impl]) if st == "ok" else (st or "-"))
            if impl != "tessera":
                p = r.median.get(impl)
                cells.append("%.2f" % (t / p) if t is not None and p else "-")
        c, details = check_row(r)
        notes.extend(details)
        cells.append(c)
        lines.append(cells)
        for impl, msg in r.error.items():
            if not any(msg in n for n in notes):  # a dead process is reported once
                notes.append("%s (%s), %s %s: %s" % (r.case, nthreads(r.threads), impl, r.status[impl], msg))
    widths = [max(len(h), *(len(l[k]) for l in lines)) if lines else len(h) for k, h in enumerate(header)]
    right = lambda k: 1 <= k < len(header) - 1

    def fmt(cells):
        return "| " + " | ".join(c.rjust(widths[k]) if right(k) else c.ljust(widths[k])
                                 for k, c in enumerate(cells)) + " |"
    sep = "|" + "|".join(("-" * (w + 1) + ":") if right(k) else ("-" * (w + 2))
                         for k, w in enumerate(widths)) + "|"
    return "\n".join([fmt(header), sep] + [fmt(l) for l in lines])


def legend(rows):
    seen = list(dict.fromkeys(i for r in rows for i in list(r.status) + list(r.code)))
    impls = [(i, l) for i, l in IMPLS if i in seen or i == "tessera"]
    impls += [(i, i) for i in seen if i not in dict(IMPLS)]
    esc = lambda s: "`%s`" % s.replace("|", "\\|") if s else "-"
    out = ["| workload | what | " + " | ".join("Tessera (Lua)" if i == "tessera" else l
                                               for i, l in impls) + " |",
           "|---|---|" + "---|" * len(impls)]
    done = set()
    for r in rows:
        if r.case in done:
            continue
        done.add(r.case)
        out.append("| %s | %s | %s |" % (r.case, r.what or "-",
                                         " | ".join(esc(r.code.get(i)) for i, _ in impls)))
    return "\n".join(out)


def sh(cmd, **kw):
    try:
        return subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=120,
                              **kw).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def machine(args):
    info = {}
    lscpu = {}
    for line in sh(["lscpu"]).splitlines():
        k, _, v = line.partition(":")
        lscpu[k.strip()] = v.strip()
    info["cpu"] = lscpu.get("Model name", "unknown")
    info["cores"] = "%s CPUs (%s core(s) per socket, %s thread(s) per core, %s socket(s))" % (
        lscpu.get("CPU(s)", "?"), lscpu.get("Core(s) per socket", "?"),
        lscpu.get("Thread(s) per core", "?"), lscpu.get("Socket(s)", "?"))
    try:
        with open("/proc/meminfo") as f:
            kb = int(f.readline().split()[1])
        info["memory"] = "%.1f GiB" % (kb / 2 ** 20)
    except (OSError, ValueError, IndexError):
        info["memory"] = "unknown"
    info["os"] = sh(["sh", "-c", ". /etc/os-release && echo \"$PRETTY_NAME\""]) or "unknown"
    commit = sh(["git", "rev-parse", "--short", "HEAD"]) or "unknown"
    dirty = sh(["git", "status", "--porcelain", "--untracked-files=no", "--", ".",
                ":!docs/benchmarks.md"])
    info["commit"] = commit + (" (plus uncommitted changes in the working tree)" if dirty else "")
    cfg = sh([args.tessera, "-e",
              "local c = ts.config(); local k = {} for n in pairs(c) do k[#k+1] = n end "
              "table.sort(k) for _, n in ipairs(k) do print(n .. ' = ' .. tostring(c[n])) end"])
    info["config"] = cfg or "unavailable"
    vers = sh([PYTHON, "-c",
               "import sys\nprint('python', sys.version.split()[0])\n"
               "for m in ('numpy', 'numexpr', 'numba'):\n"
               "    try:\n        print(m, __import__(m).__version__)\n"
               "    except Exception as e:\n        print(m, 'unavailable (%s)' % e)\n"],
              env=python_env(1, 1))
    info["peers"] = vers
    blas = [os.path.realpath(p) for p in glob.glob("/usr/lib/*/libblas.so.3")]
    info["blas"] = ", ".join(blas) or "unknown"
    return info


def write_results(args, text, legend_text, notes, info, load):
    cmd = "scripts/bench" + ("" if not sys.argv[1:] else " " + shlex.join(sys.argv[1:]))
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    cfg = "\n".join("    " + l for l in info["config"].splitlines())
    peers = "\n".join("    " + l for l in info["peers"].splitlines())
    md = f"""# Benchmarks

Generated by `scripts/bench --write`; regenerate it when performance changes. Each row is
the median of {args.repeat} timed repetitions after one warm-up, every implementation timing
only the operation itself (no process start-up, no data creation). The ratio columns are
Tessera's time divided by the peer's: below 1 means Tessera is faster. `threads` caps
Tessera (`ts.threads(n)`), numexpr (`set_num_threads`) and Numba (`set_num_threads`); NumPy
is single-threaded for these operations (its BLAS, used by `dot`, gets
`OPENBLAS_NUM_THREADS`/`OMP_NUM_THREADS` = threads), so its column is the same code measured
again. Numba's OpenMP threads wait passively (`OMP_WAIT_POLICY=passive` unless set), since
spinning waiters collapse on a shared machine. `check` compares a few result values and the
result dtype of every peer with Tessera's. Times are per operation (`us` = microseconds).
Timings on a shared machine are noisy: compare ratios within one run only.

- command: `{cmd}`{" (10x smaller arrays)" if args.quick else ""}
- date: {date}
- commit: {info['commit']}
- machine: {info['cpu']}, {info['cores']}, {info['memory']}, {info['os']}
- load average (1 min) at start / end: {load[0]:.2f} / {load[1]:.2f}
- NumPy's BLAS: {info['blas']}
- `ts.config()`:

{cfg}

- peers (`{PYTHON}`):

{peers}

## Results

{text}
"""
    if notes:
        md += "\nNotes:\n\n" + "\n".join("- " + n for n in notes) + "\n"
    md += f"""
## What each row measures

{legend_text}

Workloads live in `scripts/bench.d/` (one `.lua` file and its `.py` peer per workload,
sharing `harness.lua` / `harness.py`); `scripts/bench --list` names them and
`scripts/bench --help` shows the options.
"""
    with open(RESULTS, "w") as f:
        f.write(md)
    print("bench: wrote %s" % os.path.relpath(RESULTS, ROOT), file=sys.stderr)


def main():
    args = parse_args(sys.argv[1:])
    if not os.access(args.tessera, os.X_OK):
        sys.exit("bench: %s is not an executable; run scripts/bootstrap first" % args.tessera)
    load0 = os.getloadavg()[0]
    info = machine(args) if args.write else None
    rows, notes = collect(args)
    text = table(rows, notes)
    print(text)
    if notes:
        print("\nNotes:")
        for n in notes:
            print("- " + n)
    if args.write:
        write_results(args, text, legend(rows), notes, info, (load0, os.getloadavg()[0]))


if __name__ == "__main__":
    main()
