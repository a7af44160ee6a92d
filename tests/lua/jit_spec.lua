-- ts.jit and ts.eval: fused results equal the unfused core operations bit for
-- bit, on random inputs across dtypes, shapes (0-d, 0-size, 1-size,
-- broadcast, strided, transposed, reversed), sizes past the block and chunk
-- lengths, and thread counts; trace errors; the trace cache; several results,
-- out, final reductions; number arguments; ts.eval's syntax.
local ts = require "tessera"
local h = require "helpers"

local errors = h.errors

local dtypes = { "bool", "uint8", "int32", "int64", "float32", "float64" }

-- Exact representation of every element (floats by their bits).
local function bits(a)
  local out = {}
  for i, v in ipairs(h.values(a)) do
    out[i] = math.type(v) == "float" and string.pack("<d", v) or v
  end
  return out
end

-- Asserts x and y are the same value: arrays of one dtype and shape with
-- identical bits, or equal Lua values (floats by their bits).
local function same(x, y, label)
  label = label or ""
  if type(x) ~= "userdata" or type(y) ~= "userdata" then
    assert.are.equal(type(x), type(y), label .. ": kinds")
    if math.type(x) == "float" then
      assert(math.type(y) == "float" and string.pack("<d", x) == string.pack("<d", y),
        ("%s: expected %s, got %s"):format(label, tostring(x), tostring(y)))
    else
      assert(x == y and math.type(x) == math.type(y),
        ("%s: expected %s, got %s"):format(label, tostring(x), tostring(y)))
    end
    return
  end
  assert.are.equal(x.dtype, y.dtype, label .. ": dtype")
  assert.are.same(x.shape, y.shape, label .. ": shape")
  if x.size > 20000 then -- large: vectorized (NaN equals NaN; the sign of zero is not compared)
    local xn, yn = ts.isnan(x), ts.isnan(y)
    assert(xn:eq(yn):all(), label .. ": NaN positions")
    local xz = ts.where(xn, 0, x)
    local yz = ts.where(yn, 0, y)
    assert(xz:eq(yz):all(), label .. ": values")
    return
  end
  local bx, by = bits(x), bits(y)
  for i = 1, #bx do
    if bx[i] ~= by[i] then
      error(("%s: element %d differs: expected %s, got %s"):format(label, i,
        tostring(h.values(x)[i]), tostring(h.values(y)[i])), 2)
    end
  end
end

local rnd = h.lcg(20261121)

local function product(shape)
  local n = 1
  for _, d in ipairs(shape) do n = n * d end
  return n
end

-- Random values of a dtype: small integers (0 included), floats with a few
-- zeros of both signs, infinities and NaNs.
local function random_array(dtype, shape)
  local n, t = product(shape), {}
  for i = 1, n do
    if dtype == "bool" then
      t[i] = rnd(2) == 1
    elseif dtype == "uint8" then
      t[i] = rnd(256) - 1
    elseif dtype == "int32" or dtype == "int64" then
      t[i] = rnd(41) - 21
    else
      local k = rnd(40)
      if k == 1 then t[i] = 0.0
      elseif k == 2 then t[i] = -0.0
      elseif k == 3 then t[i] = math.huge
      elseif k == 4 then t[i] = 0 / 0
      else t[i] = (rnd(2000001) - 1000001) / 100000 end
    end
  end
  if #shape == 0 then return ts.array(t[1], dtype) end
  local a = ts.array(t, dtype)
  return a:reshape(shape)
end

-- Compares f (unfused, the reference) with ts.jit(f) on the arguments:
-- the same results, or errors with the same message.
local function check(f, label, jitted, ...)
  jitted = jitted or ts.jit(f)
  local expected = table.pack(pcall(f, ...))
  local got = table.pack(pcall(jitted, ...))
  if not expected[1] then
    assert(not got[1], label .. ": expected an error like " .. tostring(expected[2]))
    local message = tostring(expected[2]):match("^[^:]*:%d+: [%w_]+: (.*)$") or tostring(expected[2])
    assert(tostring(got[2]):find(message, 1, true),
      ("%s: error '%s' does not contain '%s'"):format(label, tostring(got[2]), message))
    return false
  end
  assert(got[1], label .. ": unexpected error " .. tostring(got[2]))
  assert.are.equal(expected.n, got.n, label .. ": number of results")
  for k = 2, expected.n do same(expected[k], got[k], label .. " result " .. (k - 1)) end
  return true
end

local expressions = {
  { "2*a + 3*b*c", function(a, b, c) return 2 * a + 3 * b * c end },
  { "a - b / 3", function(a, b) return a - b / 3 end },
  { "a // b + a % b", function(a, b) return a // b + a % b end },
  { "powers", function(a, b, c) return a ^ 2 + b ^ 0.5 - c ^ -1 + a ^ 1 end },
  { "a ^ b", function(a, b) return a ^ b end },
  { "comparisons", function(a, b, c) return (a:lt(b) & b:ge(c)) | ~a:eq(c) end },
  { "ne le gt", function(a, b) return ts.ne(a, b) | ts.le(a, 1) | ts.gt(2, b) end },
  { "where", function(a, b, c) return ts.where(a:gt(b), a, c * 2) end },
  { "where numbers", function(a) return ts.where(a:gt(0), 1.5, -1) end },
  { "transcendentals", function(a, b)
      return ts.sin(a) ^ 2 + ts.cos(b) ^ 2 + ts.exp(-ts.abs(a)) + ts.log(a * a + 1) + ts.tanh(b)
    end },
  { "more functions", function(a, b)
      return ts.sqrt(ts.abs(a)) + ts.arctan(b) + ts.log2(ts.abs(b) + 1) + ts.log10(a * a + 2)
        + ts.cosh(b / 10) + ts.sinh(a / 10) + ts.tan(b / 4) + ts.arcsin(a / 1e5) + ts.arccos(b / 1e5)
    end },
  { "min max arctan2 clip", function(a, b)
      return ts.minimum(a, b) + ts.maximum(a, 3) + ts.arctan2(a, b) + a:clip(-1, 1)
    end },
  { "bitwise", function(a, b) return ((a & b) ~ (a | 7)) + (a << 2) - (a >> 1) end },
  { "bitwise functions", function(a, b)
      return ts.bitwise_xor(a, b) | ts.left_shift(a, 1) | ts.right_shift(b, 2)
    end },
  { "astype", function(a, b) return a:astype("float32") * b + a:astype("int32") end },
  { "unary", function(a) return -a + ts.sign(a) * ts.floor(a) + ts.round(a / 3) + ts.ceil(a) end },
  { "nan inf", function(a) return ts.where(ts.isnan(a) | ts.isinf(a), 0, a), ts.isfinite(a) end },
  { "methods", function(a, b)
      return a:add(b):mul(2):sub(a:div(3)):pow(2):minimum(b):maximum(a:idiv(3)):mod(5)
    end },
  { "invert", function(a) return ~a end },
  { "common subexpressions", function(a, b) return (a * b + 1) * (a * b + 1) - (a * b) end },
}

describe("ts.jit against the unfused operations", function()
  it("every expression, dtype and layout gives the same bits", function()
    local layouts = {
      { "0-d", function(t) return random_array(t, {}) end },
      { "0-size", function(t) return random_array(t, { 0 }) end },
      { "1-size", function(t) return random_array(t, { 1 }) end },
      { "vector", function(t) return random_array(t, { 37 }) end },
      { "matrix", function(t) return random_array(t, { 3, 5 }) end },
      { "transposed", function(t) return random_array(t, { 5, 3 }):T() end },
      { "strided", function(t) return random_array(t, { 3, 10 })[{ {}, { 1, -1, 2 } }] end },
      { "reversed", function(t) return random_array(t, { 15 })[{ { -1, 1, -1 } }]:reshape(3, 5) end },
    }
    local count = 0
    for _, e in ipairs(expressions) do
      local jitted = ts.jit(e[2])
      for _, t in ipairs(dtypes) do
        for _, l in ipairs(layouts) do
          local a, b, c = l[2](t), l[2](t), l[2](t)
          check(e[2], ("%s, %s, %s"):format(e[1], t, l[1]), jitted, a, b, c)
          count = count + 1
        end
      end
    end
    assert(count == #expressions * #dtypes * #layouts)
  end)

  it("mixed dtypes promote as the core does", function()
    for _, e in ipairs(expressions) do
      local jitted = ts.jit(e[2])
      for i = 1, #dtypes do
        for j = 1, #dtypes do
          local a = random_array(dtypes[i], { 4, 3 })
          local b = random_array(dtypes[j], { 3 })
          local c = random_array(dtypes[(i + j) % #dtypes + 1], { 4, 1 })
          check(e[2], ("%s, %s, %s"):format(e[1], dtypes[i], dtypes[j]), jitted, a, b, c)
        end
      end
    end
  end)

  it("broadcasts like the core, and fails where the core fails", function()
    local f = function(a, b, c) return a * b + c end
    for _, t in ipairs({ "int32", "float64" }) do
      check(f, "3x1 1x4 4", nil, random_array(t, { 3, 1 }), random_array(t, { 1, 4 }),
        random_array(t, { 4 }))
      check(f, "0-d", nil, random_array(t, {}), random_array(t, { 2, 3 }), random_array(t, { 3 }))
      check(f, "2x1x3 4x1", nil, random_array(t, { 2, 1, 3 }), random_array(t, { 4, 1 }),
        random_array(t, { 1 }))
      check(f, "mismatch", nil, random_array(t, { 3 }), random_array(t, { 4 }), random_array(t, { 1 }))
      check(f, "0 with 1", nil, random_array(t, { 0, 1 }), random_array(t, { 1, 5 }), random_array(t, { 5 }))
    end
    errors(function() ts.jit(f)(ts.zeros(3), ts.zeros(4), ts.zeros(1)) end,
      "cannot broadcast shapes (3) and (4)")
  end)

  it("large arrays past block and task sizes, at 1 and 2 threads", function()
    local threads = ts.threads()
    local n = 100003
    local a, b, c = ts.linspace(-3, 3, n), ts.linspace(1, 2, n), ts.linspace(-1, 1, n)
    local m = random_array("float64", { 300, 701 })
    local mt = random_array("float64", { 701, 300 }):T()
    local col = random_array("float32", { 300, 1 })
    local f = function(x, y, z) return ts.sin(x) ^ 2 + 3 * y * z - x / (y + 1) end
    local g = function(x, y, z) return ts.where(x:gt(y), x * z, y - z) end
    for _, t in ipairs({ 1, 2 }) do
      ts.threads(t)
      check(f, "1e5 contiguous, threads " .. t, nil, a, b, c)
      check(f, "1e5 strided, threads " .. t, nil, a[{ { 1, -1, 3 } }], b[{ { 2, -1, 3 } }], c[{ { 1, -3, 3 } }])
      check(g, "matrix with transposed, threads " .. t, nil, m, mt, col)
      check(g, "transposed with broadcast, threads " .. t, nil, mt, col, m[1])
    end
    ts.threads(threads)
  end)
end)

describe("final reductions", function()
  it("equal the unfused reduction bit for bit, whatever the threads", function()
    local threads = ts.threads()
    local n = 200003 -- more than three chunks of 65536
    local a = random_array("float64", { n })
    local b = random_array("float64", { n })
    a = ts.where(ts.isfinite(a), a, 1)
    b = ts.where(ts.isfinite(b), b, 2)
    local cases = {
      { "sum", function(x, y) return (x * y):sum() end },
      { "mean", function(x, y) return (x - y):mean() end },
      { "min max", function(x, y) return (x + y):min(), (x + y):max() end },
      { "any all", function(x, y) return x:gt(y):any(), x:gt(-1e9):all() end },
      { "prod", function(x) return (x * 0 + 1.0000001):prod() end },
      { "ts.sum", function(x, y) return ts.sum(ts.sin(x) * y) end },
    }
    local results = {}
    for _, t in ipairs({ 1, 2 }) do
      ts.threads(t)
      for _, e in ipairs(cases) do
        check(e[2], e[1] .. " threads " .. t, nil, a, b)
        check(e[2], e[1] .. " strided, threads " .. t, nil, a[{ { 1, -1, 2 } }], b[{ { 2, -1, 2 } }])
        local r = ts.jit(e[2])(a, b)
        if results[e[1]] then same(results[e[1]], r, e[1] .. " 1 vs 2 threads") end
        results[e[1]] = r
      end
    end
    ts.threads(threads)
  end)

  it("over every dtype and shape, with results alongside", function()
    local f = function(x, y) return (x * y):sum(), x + y, (x - y):max() end
    for _, t in ipairs(dtypes) do
      check(f, t, nil, random_array(t, { 7, 9 }), random_array(t, { 9 }))
      check(f, t .. " transposed", nil, random_array(t, { 9, 7 }):T(), random_array(t, { 9, 1 }):T())
      check(f, t .. " 0-d", nil, random_array(t, {}), random_array(t, {}))
    end
    local g = function(x) return x:sum(), x:prod(), x:mean(), x:any(), x:all() end
    check(g, "empty", nil, ts.zeros(0))
    errors(function() ts.jit(function(x) return x:min() end)(ts.zeros(0)) end,
      "zero-size array has no minimum")
    check(function(x) return (x * 2):sum() end, "int32 sums in int64", nil, ts.full(70000, 40000, "int32"))
  end)

  it("a reduction's result cannot feed more operations", function()
    errors(function() ts.jit(function(x) return x:sum() + 1 end)(ts.ones(3)) end,
      "the result of sum() can only be returned")
    errors(function() ts.jit(function(x) return x:sum(1) end)(ts.ones(3)) end,
      "sum with an axis or options cannot be traced")
  end)
end)

describe("several results and out", function()
  local a, b = random_array("float64", { 4, 6 }), random_array("float64", { 6 })

  it("computes several results in one pass", function()
    local f = function(x, y) return x + y, x * y, ts.sqrt(ts.abs(x)), x end
    check(f, "four results", nil, a, b)
    local r1, r2, r3, r4 = ts.jit(f)(a, b)
    assert(r4 ~= a, "a result is a new array even when it is an argument")
    same(a, r4)
    assert(r1 and r2 and r3)
  end)

  it("writes into out arrays and returns them", function()
    local f = ts.jit(function(x, y) return 2 * x + y, x - y end)
    local o1, o2 = ts.zeros(4, 6), ts.zeros(4, 6)
    local r1, r2 = f(a, b, { out = { o1, o2 } })
    assert(rawequal(r1, o1) and rawequal(r2, o2))
    same(2 * a + b, o1)
    same(a - b, o2)
    local o3 = ts.zeros(4, 6)
    local r3, r4 = f(a, b, { out = o3 })
    assert(rawequal(r3, o3))
    same(2 * a + b, o3)
    same(a - b, r4)
    local o5 = ts.zeros(4, 6)
    local _, r6 = f(a, b, { out = { false, o5 } })
    assert(rawequal(r6, o5))
    same(a - b, o5)
  end)

  it("casts into out as the core does, and rejects what the core rejects", function()
    local f = ts.jit(function(x, y) return x + y end)
    local o32 = ts.zeros({ 4, 6 }, "float32")
    f(a, b, { out = o32 })
    same(ts.add(a, b, ts.zeros({ 4, 6 }, "float32")), o32)
    local ot = ts.zeros(6, 4):T()
    f(a, b, { out = ot })
    same(a + b, ot)
    errors(function() f(a, b, { out = ts.zeros(3) }) end, "out has shape (3), expected (4,6)")
    errors(function() f(a, b, { out = ts.zeros({ 4, 6 }, "int32") }) end, "cannot cast float64 result")
    errors(function() f(a, b, { out = { ts.zeros(4, 6), ts.zeros(4, 6) } }) end,
      "out lists 2 arrays but the function returns 1 results")
    errors(function() f(a, b, { into = 1 }) end, "unknown option 'into'")
    errors(function() ts.jit(function(x) return x:sum() end)(a, { out = ts.zeros(1) }) end,
      "which is a number, not an array")
  end)

  it("updates in place, and copies inputs that overlap out in another layout", function()
    local f = ts.jit(function(x, y) return x * 0.5 + y end)
    local x = random_array("float64", { 50 })
    local expected = x * 0.5 + 1
    f(x, 1, { out = x })
    same(expected, x)
    -- shifted views of one array, as in a stencil update
    local g = ts.jit(function(l, r) return l + r end)
    local y = ts.arange(1, 12):astype("float64")
    local y2 = y:copy()
    g(y[{ { 1, -2 } }], y[{ { 2, -1 } }], { out = y[{ { 2, -1 } }] })
    ts.add(y2[{ { 1, -2 } }], y2[{ { 2, -1 } }], y2[{ { 2, -1 } }])
    same(y2, y)
    -- results of different shapes cannot share one pass
    errors(function() ts.jit(function(p, q) return p + 1, q + 1 end)(ts.ones(3), ts.ones(2, 3)) end,
      "have different shapes (3) and (2,3)")
  end)
end)

describe("numbers", function()
  it("number arguments are read at every call, with one trace", function()
    local traces = 0
    local f = ts.jit(function(x, s, t)
      traces = traces + 1
      return x * s + t // s - s * s + ts.sqrt(s) * x
    end)
    local x = random_array("float64", { 10 })
    for _, s in ipairs({ 2.5, 3.0, -1.5 }) do
      same(x * s + 7 // s - s * s + ts.sqrt(s) * x, f(x, s, 7), "s = " .. s)
    end
    for _, s in ipairs({ 2, 5 }) do
      same(x * s + 7 // s - s * s + ts.sqrt(s) * x, f(x, s, 7), "integer s = " .. s)
    end
    assert.are.equal(1, traces)
    assert.are.equal(1, ts.jit_info(f).traces)
    assert.are.equal(2, #ts.jit_info(f).programs) -- float and integer s
    errors(function() f(x, 0, 7) end, "attempt to divide by zero")
  end)

  it("weak scalars keep the array's dtype; out-of-range integers fail per call", function()
    local f = ts.jit(function(x, s) return x + s, x:lt(s) end)
    local u = random_array("uint8", { 9 })
    for _, s in ipairs({ 3, 255, 300, -1, 2.5 }) do
      check(function(x) return x + s, x:lt(s) end, "uint8 and " .. s, f, u, s)
    end
    check(function(x, s) return x + s end, "int32 and 2^40", nil, random_array("int32", { 3 }), 1 << 40)
  end)

  it("powers by a number argument take the core's fast paths by value", function()
    local f = ts.jit(function(x, e) return x ^ e end)
    for _, t in ipairs({ "float32", "float64", "int32" }) do
      local x = random_array(t, { 11 })
      for _, e in ipairs({ 2, 2.0, 0.5, -1, 1, 3, 1.5, 0 }) do
        check(function(y) return y ^ e end, t .. " ^ " .. e, f, x, e)
      end
    end
    errors(function() f(ts.array({ true }), 2) end, "a bool array to the power of a number argument")
  end)

  it("number upvalues are captured when tracing", function()
    local k = 2
    local f = ts.jit(function(x) return x * k end)
    local x = ts.arange(4)
    same(x * 2, f(x))
    k = 3
    same(x * 2, f(x))
    assert.are.equal(1, ts.jit_info(f).traces)
  end)

  it("boolean arguments and results that are numbers", function()
    local f = ts.jit(function(x, flag) return ts.where(x:gt(0), flag, false), 2 * 3, flag end)
    local r, six, flag = f(ts.array({ -1, 1 }), true)
    same(ts.array({ false, true }), r)
    assert.are.equal(6, six)
    assert.are.equal(true, flag)
    errors(function() ts.jit(function(x, s) return x + -s end)(ts.ones(2), true) end,
      "attempt to perform arithmetic on a boolean value")
  end)
end)

describe("tracing", function()
  local x = ts.linspace(0, 1, 5)

  local function line_error(f, needle, line)
    local err = errors(function() ts.jit(f)(x) end, needle)
    assert(err:find(":" .. line .. ":", 1, true), "expected line " .. line .. " in: " .. err)
  end

  it("names the construct and the line of what cannot be traced", function()
    local base = debug.getinfo(1, "l").currentline
    line_error(function(a) if a > 0 then return a end return -a end, "comparison with < on a traced value", base + 1)
    line_error(function(a) return a[1] end, "indexing a traced array", base + 2)
    line_error(function(a) return a.shape end, "a.shape cannot be read", base + 3)
    line_error(function(a) return #a end, "the length of a traced array", base + 4)
    line_error(function(a) local s = a .. "x"; return s end, "concatenating a traced value", base + 5)
    line_error(function(a) return a:reshape(5) end, "a:reshape() cannot be traced", base + 6)
    line_error(function(a) return ts.cumsum(a) end, "ts.cumsum cannot be traced", base + 7)
    line_error(function(a) return a + x end, "an array from outside the traced function", base + 8)
    line_error(function(a) return x * a end, "an array from outside the traced function", base + 9)
    line_error(function(a) a:add_(1); return a end, "a:add_() cannot be traced", base + 10)
    line_error(function(a) if a == a + 1 then return a end end, "comparison with == on a traced value", base + 11)
    line_error(function(a) return a:astype("float16") end, "astype: expected a dtype name", base + 12)
    line_error(function(a) return ts.sqrt(a, a) end, "an out argument cannot be traced", base + 13)
    line_error(function(a)
      local s = a:sum()
      return s * 2
    end, "the result of sum() can only be returned", base + 16)
    line_error(function(a)
      return -(a:astype("bool"))
    end, "negative at", base + 19) -- a compile error: not supported for bool arrays
  end)

  it("reports the function when it returns nothing usable", function()
    errors(function() ts.jit(function() end)(x) end, "returned nothing")
    errors(function() ts.jit(function() return "s" end)(x) end, "result 1 of the function defined at")
    errors(function() ts.jit(function() return {} end)(x) end, "is a table")
  end)

  it("hints at aliases made before tracing", function()
    local sin = ts.sin
    errors(function() ts.jit(function(a) return sin(a) end)(x) end, "not through a local alias")
  end)

  it("checks its own arguments", function()
    errors(function() ts.jit(1) end, "jit: expected a function")
    errors(function() ts.jit(function() end, { fast = true }) end, "unknown option 'fast'")
    errors(function() ts.jit(function(a) return a end)("s") end, "argument 1 is a string")
    errors(function() ts.jit(function(a) return a end)(h.closed()) end, "array has been closed")
  end)

  it("traces a jitted function called inside another trace inline", function()
    local g = ts.jit(function(a) return a * 2 end)
    local f = ts.jit(function(a, b) return g(a) + b end)
    same(x * 2 + 1, f(x, 1))
    assert.are.equal(1, select(2, ts.jit_info(f).programs[1]:gsub("multiply", "")))
    errors(function() ts.jit(function(a) return g(a, { out = a }) end)(x) end,
      "options (out) cannot be passed to a jitted function called while tracing")
    errors(function() g(x, setmetatable({}, {})) end, "argument 2 is a table")
  end)

  it("restores the ts functions and operators after a trace, even a failing one", function()
    local sin, add = ts.sin, getmetatable(x).__add
    pcall(ts.jit(function(a) return a[1] end), x)
    ts.jit(function(a) return ts.sin(a) + 1 end)(x)
    assert(rawequal(sin, ts.sin))
    assert(rawequal(add, getmetatable(x).__add))
  end)
end)

describe("the cache", function()
  it("traces once per argument pattern and compiles once per signature", function()
    local calls = 0
    local f = ts.jit(function(a, b)
      calls = calls + 1
      return a * b + 1
    end)
    local x64, y64 = ts.ones(5), ts.ones(5)
    local x32 = ts.ones({ 5 }, "float32")
    for _ = 1, 3 do f(x64, y64) end
    f(ts.ones(2, 3), ts.ones(3)) -- another shape: the same program
    assert.are.equal(1, calls)
    assert.are.equal(1, #ts.jit_info(f).programs)
    f(x32, x32)
    assert.are.equal(1, calls)
    assert.are.equal(2, #ts.jit_info(f).programs)
    f(x64, 2)
    assert.are.equal(2, calls)
    assert.are.equal(2, ts.jit_info(f).traces)
    assert.are.equal(3, #ts.jit_info(f).programs)
  end)

  it("keeps one program per function", function()
    local f = ts.jit(function(a) return a + 1 end)
    local g = ts.jit(function(a) return a + 2 end)
    same(ts.ones(2) + 1, f(ts.ones(2)))
    same(ts.ones(2) + 2, g(ts.ones(2)))
  end)
end)

describe("the compiled program", function()
  local function listing(f, ...)
    local jf = ts.jit(f)
    jf(...)
    return ts.jit_info(jf).programs[1]
  end
  local function count(text, pattern)
    local n = 0
    for _ in text:gmatch(pattern) do n = n + 1 end
    return n
  end
  local x, y = ts.ones(4), ts.ones(4)

  it("computes common subexpressions once", function()
    local text = listing(function(a, b) return ts.sin(a) * ts.sin(a) + a * b + a * b end, x, y)
    assert.are.equal(1, count(text, "sin%.float64"), text)
    assert.are.equal(2, count(text, "multiply%.float64"), text)
  end)

  it("turns powers into squares, square roots and multiplies", function()
    local text = listing(function(a) return a ^ 2 + a ^ 0.5 + a ^ -1 + a ^ 3 + a ^ 1.5 end, x)
    assert.are.equal(0, count(text, "power"), text)
    assert(text:find("square.float64", 1, true) and text:find("sqrt.float64", 1, true), text)
    local exact = ts.jit(function(a) return a ^ 3 end, { exact = true })
    exact(x)
    assert(ts.jit_info(exact).programs[1]:find("power.float64", 1, true))
    local ints = listing(function(a) return a ^ 5 end, ts.arange(4))
    assert.are.equal(0, count(ints, "power"), ints)
  end)

  it("keeps x^n within 3 ulp of pow, and exact with {exact = true}", function()
    local a = ts.linspace(0.001, 50, 1001)
    local f = ts.jit(function(v) return v ^ 3, v ^ -2, v ^ 1.5, v ^ -0.5, v ^ 4 end)
    local e = ts.jit(function(v) return v ^ 3, v ^ -2, v ^ 1.5, v ^ -0.5, v ^ 4 end, { exact = true })
    local got = { f(a) }
    local exact = { e(a) }
    for k, p in ipairs({ 3, -2, 1.5, -0.5, 4 }) do
      local core = a ^ p
      same(core, exact[k], "exact ^" .. p)
      local ulp = ts.abs(got[k] - core) / (ts.abs(core) * 2 ^ -52)
      assert(ulp:max() <= 3, "^" .. p .. ": " .. ulp:max() .. " ulp")
    end
  end)

  it("folds constants and reuses block buffers", function()
    local text = listing(function(a) return a * (2 * 3) + ts.sqrt(4) end, x)
    assert.are.equal(1, count(text, "multiply"), text)
    assert.are.equal(0, count(text, "sqrt"), text)
    local chain = listing(function(a)
      local r = a
      for k = 1, 20 do r = r * k + a end
      return r
    end, x)
    assert(tonumber(chain:match("slots (%d+)")) <= 3, chain)
  end)
end)

describe("ts.eval", function()
  local a, b, c = random_array("float64", { 3, 4 }), random_array("float64", { 4 }), random_array("float64", { 3, 1 })

  it("evaluates numexpr-style strings like the operators", function()
    local vars = { a = a, b = b, c = c }
    same(2 * a + 3 * b * c, ts.eval("2*a + 3*b*c", vars))
    same(a * b - 4.1 * a:gt(2.5 * b), ts.eval("a*b - 4.1*(a > 2.5*b)", vars))
    same((a * b - 4.1 * a):gt(2.5 * b), ts.eval("a*b - 4.1*a > 2.5*b", vars))
    same(-(a ^ 2), ts.eval("-a**2", vars))
    same(a - b - c, ts.eval("a - b - c", vars))
    same(a / b / c, ts.eval("a / b / c", vars))
    same(a ^ (b ^ 2), ts.eval("a ^ b ^ 2", vars))
    same(ts.where(a:gt(0), a, -a), ts.eval("where(a > 0, a, -a)", vars))
    same(a:gt(0) & b:lt(1) | ~c:eq(0), ts.eval("(a > 0) & (b < 1) | ~(c == 0)", vars))
    same(a:ne(b), ts.eval("a != b", vars))
    same(ts.sin(a) ^ 2 + ts.cos(b) ^ 2, ts.eval("sin(a)**2 + cos(b)**2", vars))
    same(ts.arctan2(a, b) + ts.minimum(a, 0.5), ts.eval("arctan2(a, b) + minimum(a, 0.5)", vars))
    same(a // 2 + a % 3, ts.eval("a // 2 + a % 3", vars))
    same(a * 8.0, ts.eval("2**3 * a", vars))
    same((a * b):sum(), ts.eval("sum(a*b)", vars))
    same(a:clip(-1, 1), ts.eval("clip(a, -1, 1)", vars))
    same(ts.where(a:gt(0), true, false), ts.eval("where(a > 0, True, false)", vars))
    local i = ts.arange(6)
    same((i << 2) | (i >> 1) & 3, ts.eval("i << 2 | i >> 1 & 3", { i = i }))
  end)

  it("looks up the caller's locals and upvalues without a table", function()
    local p, q = a, b
    same(p + q, ts.eval("p + q"))
    local function inner() return ts.eval("p * 2") end
    same(p * 2, inner())
  end)

  it("caches by text and traces once per signature", function()
    for _ = 1, 3 do ts.eval("a * b + 1", { a = a, b = b }) end
    local info = ts.eval_info("a * b + 1")
    assert.are.equal(1, info.traces)
    assert.are.same({ "a", "b" }, info.names)
    assert.is_nil(ts.eval_info("never evaluated"))
  end)

  it("writes into out", function()
    local o = ts.zeros(3, 4)
    local r = ts.eval("a + b", { a = a, b = b }, { out = o })
    assert(rawequal(r, o))
    same(a + b, o)
  end)

  it("reports syntax errors, unknown names and functions", function()
    errors(function() ts.eval("2*a +", { a = a }) end, "expected a number, a name or '(' at end of text")
    errors(function() ts.eval("a +* b", { a = a, b = b }) end, "at '*' (position 4)")
    errors(function() ts.eval("(a + b", { a = a, b = b }) end, "expected ')'")
    errors(function() ts.eval("a $ b", { a = a, b = b }) end, "unexpected '$'")
    errors(function() ts.eval("foo(a)", { a = a }) end, "unknown function 'foo'")
    errors(function() ts.eval("sin(a, b)", { a = a, b = b }) end, "sin takes 1 argument, got 2")
    errors(function() ts.eval("a + zz", { a = a }) end, "name 'zz' is not defined")
    errors(function() ts.eval("a < b < c", { a = a, b = b, c = c }) end, "chained comparisons")
    errors(function() ts.eval("sum(a) + 1", { a = a }) end, "can only be returned")
    errors(function() ts.eval(1) end, "expected an expression string")
  end)
end)
