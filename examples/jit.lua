-- Fused element-wise programs: ts.jit and ts.eval. Run: scripts/run examples/jit.lua
local ts = require "tessera"
local n = 1000000
local a, b, c = ts.linspace(0, 1, n), ts.linspace(1, 2, n), ts.linspace(-1, 1, n)

-- Traced once for these dtypes, then one pass over memory with no temporaries.
local f = ts.jit(function(x, y, z) return 2*x + 3*y*z end)
local r = f(a, b, c)
print(r:get(n), (2*a + 3*b*c):get(n))            -- the same value, bit for bit

-- Several results and a final reduction in one pass; into existing arrays with out.
local stats = ts.jit(function(x, y) return x - y, (x*y):sum() end)
local diff = ts.empty(n)
local _, dot = stats(a, b, {out = diff})
print(dot == (a*b):sum(), diff:get(1))

-- Number arguments are read at every call; number upvalues are fixed when tracing.
local D = 1.0
local update = ts.jit(function(o, dt, g) return o*D*dt + g end)
local grid, out = ts.zeros(4, 4) + 1, ts.ones(4, 4)
for _ = 1, 3 do update(out, 0.1, grid, {out = out}) end
print(out:get(1, 1))

-- numexpr-style strings, cached by text; names come from the table or the caller's locals.
print(ts.eval("a*b - 4.1*a > 2.5*b - 3"):sum(), ts.eval("sum(sin(a)**2 + cos(a)**2)"))

-- What cannot be traced is reported with its line.
print(pcall(ts.jit(function(x) if x > 0 then return x end end), a))
print(ts.jit_info(f).programs[1])
