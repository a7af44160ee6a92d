"""Python side of the benchmark harness (scripts/bench runs it; see docs/benchmarks.md).

A peer file calls case(...) once per case and implementation. Each case runs once as a
warm-up (which also compiles Numba functions), then --repeat times; only the call is timed,
with time.perf_counter(). One JSON line per case goes to stdout ("BENCH {...}") for
scripts/bench.d/driver.py. A peer module that fails to import is reported as unavailable.
    /usr/bin/python3 scripts/bench.d/add_new.py [--threads N] [--repeat N] [--quick]
"""
import argparse
import gc
import json
import statistics
import sys
import time

_p = argparse.ArgumentParser()
_p.add_argument("--threads", type=int, default=1)
_p.add_argument("--repeat", type=int, default=7)
_p.add_argument("--quick", action="store_true")
ARGS = _p.parse_args()
THREADS = ARGS.threads
QUICK = ARGS.quick

_missing = {}  # implementation name -> import error


def _emit(obj):
    sys.stdout.write("BENCH " + json.dumps(obj) + "\n")
    sys.stdout.flush()


def optional(name):
    """Imports a peer module and sets its thread count; None (and reported n/a) when missing."""
    try:
        mod = __import__(name)
        if name == "numexpr":
            mod.set_num_threads(THREADS)
        elif name == "numba":
            mod.set_num_threads(THREADS)
        return mod
    except Exception as e:  # ImportError, or a broken install
        _missing[name] = "%s: %s" % (type(e).__name__, e)
        return None


np = optional("numpy")
if np is None:  # nothing to compare with: every case of this file is n/a
    _emit({"kind": "unavailable", "impl": "numpy", "threads": THREADS, "error": _missing["numpy"]})
    sys.exit(0)


def size(full, quick):
    return quick if QUICK else full


def fmt_n(n):
    s = "%.0e" % n
    if n >= 1000 and float(s) == n:
        return s.replace("e+0", "e").replace("e+", "e")
    return str(n)


def _value(v):
    if isinstance(v, str):
        return v
    return float(v)


def case(name, impl, code, run, check=None, inner=1):
    """Times run() (inner operations per call) for implementation impl ('numpy', 'numexpr',
    'numba'); check(result) returns a few values (dtype strings, numbers) to compare with
    Tessera's."""
    base = {"case": name, "impl": impl, "code": code, "threads": THREADS}
    if impl in _missing:
        _emit(dict(base, kind="na", error=_missing[impl]))
        return
    try:
        r = run()  # warm-up (and JIT compilation)
        samples = []
        for _ in range(ARGS.repeat):
            r = None
            t0 = time.perf_counter()
            r = run()
            samples.append((time.perf_counter() - t0) / inner)
        chk = [_value(v) for v in check(r)] if check else None
        _emit(dict(base, kind="result", median=statistics.median(samples), samples=samples,
                   check=chk))
    except Exception as e:
        _emit(dict(base, kind="error", error="%s: %s" % (type(e).__name__, e)))
    r = None
    gc.collect()


def add_loop_cases(name, a, b, c, k, check, new_code):
    """name: k adds a + b into new arrays (NumPy code new_code); name_out: k np.add(a, b, out=c)."""

    def new():
        for _ in range(k):
            r = a + b
        return r

    def out():
        for _ in range(k):
            np.add(a, b, out=c)
        return c

    case(name, "numpy", new_code, new, check, inner=k)
    case(name + "_out", "numpy", "np.add(a, b, out=c)", out, check, inner=k)
