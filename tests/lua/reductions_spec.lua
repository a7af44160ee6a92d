local ts = require "tessera"
local h = require "helpers"

local values = h.values

-- Calls f(value, i1, i2, ...) for every element of a, in row-major order.
local function each(a, f)
  local shape, idx = a.shape, {}
  local n = #shape
  local function walk(d)
    if d > n then
      f(a:get(table.unpack(idx, 1, n)), table.unpack(idx, 1, n))
      return
    end
    for i = 1, shape[d] do
      idx[d] = i
      walk(d + 1)
    end
  end
  walk(1)
end

-- Reference reduction of a 2-d array along axis (1 or 2) by a Lua fold.
local function fold_axis(a, axis, init, f)
  local out = {}
  each(a, function(v, i, j)
    local k = axis == 1 and j or i
    out[k] = f(out[k] == nil and init or out[k], v)
  end)
  return out
end

local function add(x, y) return x + y end

local function close(expected, actual, tol)
  assert(math.abs(expected - actual) <= (tol or 1e-12),
         ("expected %.17g, got %.17g"):format(expected, actual))
end

local function f32(x) return (string.unpack("f", string.pack("f", x))) end

local function errors_with(pattern, f, ...)
  local ok, err = pcall(f, ...)
  assert.is_false(ok)
  assert.truthy(tostring(err):find(pattern, 1, true),
                ("expected error containing %q, got %q"):format(pattern, tostring(err)))
end

local dtypes = {"bool", "uint8", "int32", "int64", "float32", "float64"}

describe("sum, prod, mean over all elements", function()
  local a = ts.array({{1, 2, 3}, {4, 5, 6}})

  it("returns Lua values of the right kind", function()
    assert.are.equal(21, a:sum())
    assert.are.equal("integer", math.type(a:sum()))
    assert.are.equal(720, ts.prod(a))
    assert.are.equal("integer", math.type(a:prod()))
    assert.are.equal(3.5, a:mean())
    assert.are.equal("float", math.type(ts.array({1, 2}):mean()))
    assert.are.equal("float", math.type(ts.array({1.5, 2}):sum()))
  end)

  it("works as functions and methods", function()
    assert.are.equal(ts.sum(a), a:sum())
    assert.are.equal(ts.mean(a, 2):get(2), a:mean(2):get(2))
  end)

  it("handles empty and one-element arrays", function()
    local e = ts.zeros({0})
    assert.are.equal(0, e:sum())
    assert.are.equal(1, e:prod())
    assert.is_true(e:mean() ~= e:mean())  -- NaN
    assert.are.equal(0, ts.zeros({3, 0}, "int32"):sum())
    local one = ts.array({7.5})
    assert.are.equal(7.5, one:sum())
    assert.are.equal(7.5, one:mean())
    assert.are.equal(0, one:var())
    assert.are.equal(1, one:argmax())
    assert.are.equal(42, ts.array(42):sum())  -- 0-d
  end)

  it("sums 1e7 copies of 0.1 to within 1e-6 of 1e6", function()
    local x <close> = ts.full({10000000}, 0.1)
    close(1e6, x:sum(), 1e-6)
    close(0.1, x:mean(), 1e-15)
  end)

  it("accumulates float32 in float64", function()
    local x <close> = ts.full({10000000}, 0.1, "float32")
    -- the exact sum is 1e7 * f32(0.1) = 1000000.0149..., which rounds to
    -- 1e6 in float32; accumulating in float32 would be off by thousands
    local exact = 1e7 * f32(0.1)
    assert.are.equal(1e6, x:sum())
    close(exact, x:sum{dtype = "float64"}, 1e-6)
    close(f32(0.1), x:mean(), 1e-9)
  end)

  it("sums integers in int64, wrapping without error", function()
    local big = ts.array({2000000000, 2000000000}, "int32")
    assert.are.equal(4000000000, big:sum())
    local u = ts.full({1000}, 255, "uint8")
    assert.are.equal(255000, u:sum())
    local w = ts.array({math.maxinteger, 1})
    assert.are.equal(math.mininteger, w:sum())
    assert.are.equal(3, ts.array({true, false, true, true}):sum())
  end)
end)

describe("result dtypes", function()
  local expected = {
    sum = {bool = "int64", uint8 = "int64", int32 = "int64", int64 = "int64",
           float32 = "float32", float64 = "float64"},
    mean = {bool = "float64", uint8 = "float64", int32 = "float64", int64 = "float64",
            float32 = "float32", float64 = "float64"},
  }
  expected.prod, expected.var, expected.std = expected.sum, expected.mean, expected.mean

  it("follow NumPy for every input dtype", function()
    for _, dt in ipairs(dtypes) do
      local a = ts.ones({2, 3}, dt)
      for fn, map in pairs(expected) do
        assert.are.equal(map[dt], a[fn](a, 1).dtype, fn .. " of " .. dt)
      end
      assert.are.equal(dt, a:min(2).dtype)
      assert.are.equal(dt, a:max(2).dtype)
      assert.are.equal("int64", a:argmax(2).dtype)
      assert.are.equal("bool", a:any(2).dtype)
      assert.are.equal("bool", a:all(1).dtype)
      assert.are.equal(expected.sum[dt], a:cumsum().dtype)
      assert.are.equal(expected.sum[dt], a:cumprod(1).dtype)
    end
  end)

  it("the dtype option computes in and returns that dtype", function()
    local a = ts.array({100, 100, 100}, "uint8")
    assert.are.equal("uint8", a:sum{axis = 1, dtype = "uint8"}.dtype)
    assert.are.equal(300 % 256, a:sum{axis = 1, dtype = "uint8"}:get())
    assert.are.equal("float32", a:mean{axis = 1, dtype = "float32"}.dtype)
  end)

  it("min and max of bool are logical", function()
    local b = ts.array({true, false, true})
    assert.are.equal(false, b:min())
    assert.are.equal(true, b:max())
  end)
end)

describe("reductions along an axis", function()
  local a = ts.arange(12):reshape(3, 4) * 1.5  -- float64

  it("match a Lua fold for every axis, negative axes too", function()
    for _, axis in ipairs({1, 2}) do
      local expect = fold_axis(a, axis, 0, add)
      local got = a:sum(axis)
      assert.are.same({#expect}, got.shape)
      for k = 1, #expect do close(expect[k], got:get(k)) end
      assert.are.same(values(got), values(a:sum(axis - 3)))
      local prod = fold_axis(a, axis, 1, function(x, y) return x * y end)
      for k = 1, #prod do close(prod[k], a:prod(axis):get(k), 1e-6 * math.abs(prod[k])) end
    end
  end)

  it("keepdims keeps the axis with extent 1", function()
    assert.are.same({3, 1}, a:sum{axis = 2, keepdims = true}.shape)
    assert.are.same({1, 4}, a:max(1, {keepdims = true}).shape)
    assert.are.same({1, 1}, a:mean{keepdims = true}.shape)
    close(a:mean(), a:mean{keepdims = true}:get(1, 1))
    assert.are.same({3, 1}, ts.argmax(a, {axis = -1, keepdims = true}).shape)
  end)

  it("mean, var and std use the two-pass formulas", function()
    local x = ts.array({{1e9, 1e9 + 1, 1e9 + 2, 1e9 + 3}, {2, 4, 4, 4}})
    assert.are.equal(1.25, x:var(2):get(1))
    assert.are.equal(0.75, x:var(2):get(2))
    close(5 / 3, x:var{axis = 2, ddof = 1}:get(1))
    close(math.sqrt(0.75), x:std(2):get(2))
    close(1, x:std{axis = 2, ddof = 1}:get(2))
    local m = fold_axis(x, 1, 0, add)
    for j = 1, 4 do close(m[j] / 2, x:mean(1):get(j), 1e-6) end
  end)

  it("any and all, with NaN counting as true", function()
    local b = ts.array({{0, 0, 1}, {0, 0 / 0, 2}})
    assert.are.same({false, true, true}, values(b:any(1)))
    assert.are.same({false, false, true}, values(b:all(1)))
    assert.are.same({true, true}, values(b:any(2)))
    assert.is_true(b:any())
    assert.is_false(b:all())
    assert.is_false(ts.zeros({0}):any())
    assert.is_true(ts.zeros({0}):all())
  end)

  it("reduce empty axes to the identity", function()
    local e = ts.zeros({0, 3}, "int32")
    assert.are.same({0, 0, 0}, values(e:sum(1)))
    assert.are.same({1, 1, 1}, values(e:prod(1)))
    assert.are.same({0}, e:sum(2).shape)
  end)
end)

describe("min, max, argmin, argmax", function()
  local a = ts.array({{3, 9, -2}, {9, 0, 5}})

  it("return 1-based indices", function()
    assert.are.equal(-2, a:min())
    assert.are.equal(9, a:max())
    assert.are.equal(3, a:argmin())  -- row-major flat index
    assert.are.equal(2, a:argmax())  -- first of the ties
    assert.are.same({1, 2, 1}, values(a:argmin(1)))
    assert.are.same({2, 1, 2}, values(a:argmax(1)))
    assert.are.same({3, 2}, values(a:argmin(2)))
    assert.are.equal("int64", a:argmax(2).dtype)
    assert.are.equal("integer", math.type(a:argmax()))
  end)

  it("propagate NaN; argmin and argmax find the first NaN", function()
    local nan = 0 / 0
    local x = ts.array({1, nan, -5, nan})
    assert.is_true(x:min() ~= x:min())
    assert.is_true(x:max() ~= x:max())
    assert.are.equal(2, x:argmin())
    assert.are.equal(2, x:argmax())
    local y = ts.array({{1, nan}, {3, 4}})
    assert.are.same({2, 2}, values(y:argmax(2)))
    assert.are.same({1, 1}, values(y:argmin(1)))
    local m = y:max(2)
    assert.is_true(m:get(1) ~= m:get(1))
    assert.are.equal(4, m:get(2))
  end)

  it("raise an error for empty input", function()
    errors_with("min: zero-size array has no minimum", ts.min, ts.zeros({0}))
    errors_with("max: zero-size array has no maximum", ts.max, ts.zeros({2, 0}))
    errors_with("argmin: zero-size array has no minimum", ts.argmin, ts.zeros({0}))
    errors_with("argmax: zero-size array has no maximum", ts.argmax, ts.zeros({0, 2}), 1)
    assert.are.same({0}, ts.zeros({0, 2}):max(2).shape)
  end)
end)

describe("views are reduced in place", function()
  local base = ts.arange(24):reshape(4, 6)

  local function check_view(v)
    local flat = values(v)
    local s, best, arg = 0, -math.huge, nil
    for i, x in ipairs(flat) do
      s = s + x
      if x > best then best, arg = x, i end
    end
    assert.are.equal(s, v:sum())
    assert.are.equal(best, v:max())
    assert.are.equal(arg, v:argmax())
    for axis = 1, 2 do
      local expect = fold_axis(v, axis, 0, add)
      assert.are.same(expect, values(v:sum(axis)))
    end
    local c, cs = 0, {}
    for i, x in ipairs(flat) do c = c + x; cs[i] = c end
    assert.are.same(cs, values(v:cumsum()))
  end

  it("transposed", function() check_view(base:T()) end)
  it("negative steps", function() check_view(base:slice({-1, 1, -1}, {-1, 1, -2})) end)
  it("strided", function() check_view(base:slice({1, -1, 2}, {2, -1, 3})) end)
  it("broadcast", function()
    local b = ts.array({1, 2, 3}):broadcast_to({5, 3})
    check_view(b)
    assert.are.equal(30, b:sum())
    assert.are.same({5, 10, 15}, values(b:sum(1)))
  end)
  it("float sums equal those of a contiguous copy", function()
    local x = ts.linspace(0, 1, 1000):reshape(10, 100) * 1e8 + 1 / 3
    local v = x:slice({-1, 1, -1}, {1, -1, 3}):T()
    assert.are.equal(v:flatten():sum(), v:sum())
    assert.are.same(values(v:flatten():reshape(v.shape):sum(2)), values(v:sum(2)))
  end)
end)

describe("cumsum and cumprod", function()
  it("run along an axis or over the flattened array", function()
    local a = ts.array({{1, 2, 3}, {4, 5, 6}}, "int32")
    assert.are.same({1, 3, 6, 10, 15, 21}, values(a:cumsum()))
    assert.are.same({6}, a:cumsum().shape)
    assert.are.same({1, 2, 3, 5, 7, 9}, values(a:cumsum(1)))
    assert.are.same({1, 2, 6, 4, 20, 120}, values(ts.cumprod(a, -1)))
    assert.are.same({1, 5, 7, 12, 15, 21}, values(a:T():cumsum()))
    assert.are.same({2, 3}, a:cumsum{axis = 2}.shape)
    assert.are.equal("float32", a:cumsum{dtype = "float32"}.dtype)
    assert.are.same({0}, ts.zeros({0}):cumsum().shape)
  end)
end)

describe("dot and matmul", function()
  local a = ts.array({{1, 2, 3}, {4, 5, 6}})
  local b = ts.array({{7, 8}, {9, 10}, {11, 12}})

  it("multiply matrices", function()
    local c = ts.matmul(a, b)
    assert.are.same({2, 2}, c.shape)
    assert.are.same({58, 64, 139, 154}, values(c))
    assert.are.same(values(c), values(a:dot(b)))
    assert.are.same({58, 139, 64, 154}, values(b:T():matmul(a:T())))
    assert.are.equal("float64", ts.matmul(a, ts.array(b, "float32")).dtype)
  end)

  it("promote 1-d operands and contract", function()
    local v = ts.array({1, 0, -1})
    assert.are.equal(2, ts.dot(v, ts.array({1, 2, 3}) * -1 + 4))  -- 3 - 1
    assert.are.equal("integer", math.type(ts.dot(v, v)))
    assert.are.equal(2, ts.matmul(v, v))
    assert.are.same({-2, -2}, values(a:matmul(v)))
    assert.are.same({-2, -2}, values(a:dot(v)))
    assert.are.same({-4, -4}, values(v:matmul(b)))
    local batch = ts.arange(12):reshape(2, 2, 3)
    assert.are.same({2, 2}, batch:dot(v).shape)
    assert.are.same({-2, -2, -2, -2}, values(batch:dot(v)))
  end)

  it("broadcast batches", function()
    local x = ts.arange(12):reshape(2, 1, 2, 3)
    local y = ts.ones({3, 3, 2}, "int32")
    local r = ts.matmul(x, y)
    assert.are.same({2, 3, 2, 2}, r.shape)
    assert.are.equal(1 + 2 + 3, r:get(1, 2, 1, 1))
    assert.are.equal(10 + 11 + 12, r:get(2, 3, 2, 2))
  end)

  it("report mismatched shapes", function()
    errors_with("matmul: shapes (2,3) and (4,2) not aligned: 3 (dim 2) ~= 4 (dim 1)",
                ts.matmul, ts.ones({2, 3}), ts.ones({4, 2}))
    errors_with("dot: shapes (2,3) and (2) not aligned: 3 (dim 2) ~= 2 (dim 1)",
                ts.dot, ts.ones({2, 3}), ts.ones({2}))
    errors_with("matmul: expected arrays of at least 1 dimension", ts.matmul, ts.array(1), a)
    errors_with("matmul: leading dimensions of shapes (2,1,1) and (3,1,1) do not broadcast",
                ts.matmul, ts.ones({2, 1, 1}), ts.ones({3, 1, 1}))
  end)
end)

describe("norm", function()
  it("computes vector and matrix norms in float64", function()
    local v = ts.array({3, -4})
    assert.are.equal(5, ts.norm(v))
    assert.are.equal(5, v:norm(2))
    assert.are.equal(7, v:norm(1))
    assert.are.equal(4, v:norm(math.huge))
    assert.are.equal(3, v:norm(-math.huge))
    local m = ts.array({{1, -2}, {3, 4}})
    close(math.sqrt(30), m:norm())
    close(math.sqrt(30), m:norm("fro"))
    assert.are.equal(6, m:norm(1))
    assert.are.equal(7, m:norm(math.huge))
    assert.are.equal(0, ts.zeros({0}):norm())
  end)

  it("does not overflow or underflow", function()
    close(5e300, ts.array({3e300, 4e300}):norm(), 1e286)
    close(5e-300, ts.array({3e-300, 4e-300}):norm(), 1e-314)
  end)

  it("rejects unsupported orders", function()
    errors_with("norm: ord 2 is not supported for matrices", ts.norm, ts.ones({2, 2}), 2)
    errors_with("norm: ord 3 is not supported for vectors", ts.norm, ts.ones({2}), 3)
    errors_with("norm: expected a number or 'fro' for ord", ts.norm, ts.ones({2}), "nuc")
  end)
end)

describe("argument errors", function()
  local a = ts.ones({2, 3})

  it("carry the caller's position", function()
    local ok, err = pcall(function() return a:sum(3) end)
    assert.is_false(ok)
    assert.truthy(err:match("reductions_spec%.lua:%d+: sum: axis 3 out of range for 2%-d array$"),
                  err)
  end)

  it("bad axes", function()
    errors_with("sum: axis 3 out of range for 2-d array", ts.sum, a, 3)
    errors_with("mean: axis -3 out of range for 2-d array", a.mean, a, -3)
    errors_with("max: axis 0 out of range for 2-d array", a.max, a, {axis = 0})
    errors_with("sum: axis 1 out of range for 0-d array", ts.sum, ts.array(1), 1)
    errors_with("cumsum: axis 3 out of range", ts.cumsum, a, 3)
    errors_with("sum: expected an integer axis, got 1.5", ts.sum, a, {axis = 1.5})
  end)

  it("bad types and options", function()
    errors_with("sum: expected an array at argument 1, got string", ts.sum, "x")
    errors_with("sum: expected an axis or an options table at argument 2, got string",
                ts.sum, a, "x")
    errors_with("min: unknown option 'ddof'", ts.min, a, {ddof = 1})
    errors_with("sum: unknown option 'axes'", ts.sum, a, {axes = 1})
    errors_with("sum: expected a boolean for keepdims, got number", ts.sum, a, {keepdims = 1})
    errors_with("var: expected an integer ddof", ts.var, a, {ddof = "1"})
    errors_with("sum: unknown dtype 'f16'", ts.sum, a, {dtype = "f16"})
    errors_with("dot: expected an array at argument 2, got number", ts.dot, a, 2)
  end)

  it("closed arrays", function()
    local b
    do
      local c <close> = ts.ones({3})
      b = c
    end
    errors_with("sum: array has been closed", ts.sum, b)
    errors_with("argmax: array has been closed", ts.argmax, b)
    errors_with("matmul: array has been closed", ts.matmul, a, b)
    errors_with("norm: array has been closed", ts.norm, b)
  end)
end)

describe("results do not depend on the thread count", function()
  -- several chunks of 65536 and a partial one; wide magnitudes, so that any
  -- change in the order of additions shows in the last bits
  local n = 5 * 65536 + 4321
  local function hex(v) return ("%a"):format(v) end
  local function hexes(a)
    local t = {}
    for i, v in ipairs(values(a)) do t[i] = hex(v) end
    return t
  end
  -- f() at 1 and at 2 threads
  local function both(f)
    local old = ts.threads()
    ts.threads(1)
    local one = f()
    ts.threads(2)
    local two = f()
    ts.threads(old)
    return one, two
  end

  it("over all elements, bit for bit", function()
    local i <close> = ts.arange(n)
    local x <close> = (i * 0.618034):sin() * (i * 2e-5):exp() * 1e3
    local y <close> = (i * 0.3):cos()
    local small <close> = 1 + x * 1e-9
    local f <close> = x:astype("float32")
    local cases = {
      sum = function() return x:sum() end,
      mean = function() return x:mean() end,
      var = function() return x:var() end,
      std = function() return x:std{ddof = 1} end,
      prod = function() return small:prod() end,
      min = function() return x:min() end,
      argmax = function() return x:argmax() end,
      norm = function() return ts.norm(x) end,
      norm1 = function() return ts.norm(x, 1) end,
      dot = function() return ts.dot(x, y) end,
      sum32 = function() return f:sum() end,
      mean32 = function() return f:mean() end,
      var32 = function() return f:var() end,
      dot32 = function() return ts.dot(f, f) end,
      strided = function() return x:slice({-1, 1, -3}):sum() end,
    }
    for name, fn in pairs(cases) do
      local one, two = both(fn)
      assert.are.equal(hex(one), hex(two), name)
    end
  end)

  it("along either axis, bit for bit", function()
    local i <close> = ts.arange(1100 * 600)
    local m <close> = ((i * 0.37):sin() * (i * 1e-5):exp()):reshape(1100, 600)
    for _, op in ipairs({"sum", "mean", "var", "max", "argmin"}) do
      for axis = 1, 2 do
        local one, two = both(function() return hexes(m[op](m, axis)) end)
        assert.are.same(one, two, op .. " along " .. axis)
      end
    end
    local one, two = both(function() return hexes(m:T():sum(1)) end)
    assert.are.same(one, two)
  end)

  it("and equal the sequential sum of the same tree, whatever the layout", function()
    local i <close> = ts.arange(n)
    local x <close> = (i * 0.618034):sin() * (i * 2e-5):exp() * 1e3
    local rev <close> = x:slice({-1, 1, -1})
    local copy <close> = rev:copy()
    local one, two = both(function() return rev:sum() end)
    assert.are.equal(hex(copy:sum()), hex(one))
    assert.are.equal(hex(copy:sum()), hex(two))
  end)
end)

describe("help", function()
  it("documents every function", function()
    for _, name in ipairs({"sum", "prod", "mean", "var", "std", "min", "max", "argmin", "argmax",
                           "any", "all", "cumsum", "cumprod", "dot", "matmul", "norm"}) do
      local h = ts._help[ts[name]]
      assert.is_table(h, name)
      assert.truthy(h.signature:find(name, 1, true))
      assert.truthy(#h.doc > 20)
      assert.are.equal(ts[name], ts._methods[name])
    end
  end)
end)
