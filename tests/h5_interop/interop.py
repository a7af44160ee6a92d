"""Tessera <-> h5py interoperability, run by ctest:
    interop.py TESSERA [lzf|nolzf]
Tessera writes a file that h5py checks; h5py writes one that Tessera reads.
With nolzf, Tessera runs with HDF5_PLUGIN_PATH at an empty directory, so the
lzf filter is missing and reading the lzf dataset must fail clearly. Every
Tessera run must leave stderr empty."""
import os
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.abspath(__file__))
tessera = sys.argv[1]
mode = sys.argv[2] if len(sys.argv) > 2 else "lzf"


def run(cmd, env=None):
    p = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if p.returncode != 0 or p.stderr:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stdout}\n{p.stderr}")
    print(p.stdout.strip())


with tempfile.TemporaryDirectory() as tmp:
    env = dict(os.environ)
    if mode == "nolzf":
        empty = os.path.join(tmp, "no-plugins")
        os.mkdir(empty)
        env["HDF5_PLUGIN_PATH"] = empty
    elif not os.path.exists("/usr/lib/x86_64-linux-gnu/hdf5/serial/plugins/liblzf_filter.so"):
        sys.exit("hdf5-plugin-lzf is not installed (scripts/bootstrap installs it)")
    ours = os.path.join(tmp, "tessera.h5")
    theirs = os.path.join(tmp, "h5py.h5")
    run([tessera, os.path.join(here, "write.lua"), ours], env)
    run([sys.executable, os.path.join(here, "check_tessera.py"), ours])
    run([sys.executable, os.path.join(here, "write_h5py.py"), theirs])
    run([tessera, os.path.join(here, "read.lua"), theirs, mode], env)
print("interop ok")
