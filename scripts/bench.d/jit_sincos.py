# Peer of jit_sincos.lua: the same peers as sincos.py.
from sincos import peers

peers("jit_sincos", "prange loop")
