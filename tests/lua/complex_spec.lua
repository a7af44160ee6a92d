-- complex64 and complex128: the scalar (ts.complex, ts.j), creation,
-- promotion, arithmetic, real/imag views, the complex functions, sums,
-- printing and the error paths. Reference values marked "NumPy" were
-- computed offline with /usr/bin/python3 (NumPy 1.24) and pasted here.
local ts = require "tessera"
local h = require "helpers"

local errors = h.errors
local j = ts.j
local C = ts.complex
local pi = math.pi

-- |x - y| <= tol * max(1, |y|) for numbers or complex scalars.
local function close(x, y, tol)
  tol = tol or 1e-14
  local xr, xi = ts.real(x), ts.imag(x)
  local yr, yi = ts.real(y), ts.imag(y)
  local scale = math.max(1, math.abs(yr), math.abs(yi))
  return math.abs(xr - yr) <= tol * scale and math.abs(xi - yi) <= tol * scale
end

local function assert_close(x, y, tol, what)
  assert(close(x, y, tol), ("%s: got %s, expected %s"):format(what or "value", tostring(x), tostring(y)))
end

-- Exact comparison of a complex scalar with parts (signed zeros included).
local function same(z, re, im)
  local function eq(a, b)
    if a ~= a then return b ~= b end
    return a == b and (a ~= 0 or 1 / a == 1 / b)
  end
  return eq(z.real, re) and eq(z.imag, im)
end

local function parts(a)
  local out = {}
  for k, z in ipairs(h.values(a)) do out[k] = { z.real, z.imag } end
  return out
end

describe("the complex scalar", function()
  it("has parts, arithmetic with numbers and complex scalars, and Python's repr", function()
    local z = C(1, 2)
    assert.are.equal(1.0, z.real)
    assert.are.equal(2.0, z.imag)
    assert.are.equal("(1+2j)", tostring(z))
    assert.are.equal("1j", tostring(j))
    assert.is_true(3 + 4 * j == C(3, 4))
    assert.is_true(z * z == C(-3, 4))
    assert.is_true(z - 1 == C(0, 2))
    assert.is_true(2 / C(0, 2) == C(0, -1))
    assert.is_true(-z == C(-1, -2))
    assert.is_true(z ^ 2 == C(-3, 4))  -- small integer powers multiply: exact
    assert.is_false(z == C(1, -2))
    assert.is_false(C(1, 0) == 1)  -- Lua never calls __eq for a number and a userdata
    assert.are.equal(1.0, C(5).real + C(5).imag - 4)
    assert.is_true(ts.iscomplex(z))
    assert.is_false(ts.iscomplex(1.5))
  end)

  it("prints like Python's repr (values checked with Python)", function()
    assert.are.equal("(-0+1j)", tostring(C(-0.0, 1)))
    assert.are.equal("-0j", tostring(C(0, -0.0)))
    assert.are.equal("0j", tostring(C(0, 0)))
    assert.are.equal("(1e+16+1e-05j)", tostring(C(1e16, 1e-5)))
    assert.are.equal("(123456.5+0.1j)", tostring(C(123456.5, 0.1)))
    assert.are.equal("(inf-infj)", tostring(C(math.huge, -math.huge)))
    assert.are.equal("(1+nanj)", tostring(C(1, 0 / 0)))
  end)

  it("refuses ordering and non-numeric operands", function()
    errors(function() return C(1, 0) < C(2, 0) end, "complex values have no ordering")
    errors(function() return C(1, 1) + "x" end, "add: expected a number or complex value at argument 2, got string")
    errors(function() return C(1, 1) // 2 end, "floor_divide: not supported for complex128 operands")
    errors(function() return C(1, 1) % 2 end, "mod: not supported for complex128 operands")
    errors(function() ts.complex("a") end, "complex: expected a number for the real part at argument 1, got string")
  end)
end)

describe("complex arrays: creation", function()
  it("knows the names and aliases", function()
    assert.are.equal("complex64", ts.zeros(2, "complex64").dtype)
    assert.are.equal("complex64", ts.zeros(2, "c8").dtype)
    assert.are.equal("complex128", ts.zeros(2, "c16").dtype)
    assert.are.equal("complex128", ts.zeros(2, "complex").dtype)
    errors(function() ts.zeros(2, "complex32") end, "zeros: unknown dtype 'complex32'")
  end)

  it("makes arrays from tables with complex scalars, full, ones, ts.complex of arrays", function()
    local a = ts.array({ C(1, 2), 3, 4.5 })
    assert.are.equal("complex128", a.dtype)
    assert.are.same({ { 1, 2 }, { 3, 0 }, { 4.5, 0 } }, parts(a))
    assert.are.same({ { 0, 1 }, { 0, 1 } }, parts(ts.full({ 2 }, j)))
    assert.are.same({ { 1, 0 } }, parts(ts.ones(1, "complex64")))
    assert.are.same({ { 0, 0 }, { 0, 0 } }, parts(ts.zeros({ 1, 2 }, "complex128"):reshape(2)))
    local c = ts.complex(ts.array({ 1, 2 }, "float32"), ts.array({ 3, 4 }, "float32"))
    assert.are.equal("complex64", c.dtype)
    assert.are.same({ { 1, 3 }, { 2, 4 } }, parts(c))
    local d = ts.complex(ts.array({ { 1 }, { 2 } }), 5)  -- broadcast with a number
    assert.are.equal("complex128", d.dtype)
    assert.are.same({ 2, 1 }, d.shape)
    assert.are.same({ { 1, 5 }, { 2, 5 } }, parts(d))
    local z0 = ts.array(C(1.5, -0.5))
    assert.are.equal(0, z0.ndim)
    assert.is_true(z0:get() == C(1.5, -0.5))
    assert.are.same({ 0 }, ts.zeros(0, "complex64").shape)
  end)

  it("converts with astype both ways; complex to real keeps the real part (NumPy)", function()
    local a = ts.array({ 1.5, -2 }):astype("complex64")
    assert.are.equal("complex64", a.dtype)
    assert.are.same({ { 1.5, 0 }, { -2, 0 } }, parts(a))
    local b = ts.array({ C(2.7, -3), C(-1.5, 9) })
    assert.are.same({ 2, -1 }, b:astype("int32"):totable())  -- NumPy: [2, -1]
    assert.are.same({ 2.7, -1.5 }, b:astype("float64"):totable())
    assert.are.same({ true, true }, ts.array({ C(0, 1), C(1, 0) }):astype("bool"):totable())
    assert.are.same({ false }, ts.array({ C(0, 0) }):astype("bool"):totable())
  end)

  it("gets, sets, fills and totables complex scalars; refuses them in real arrays", function()
    local a = ts.zeros(3, "complex128")
    a:set(2, C(1, -1))
    a[3] = 2 * j
    assert.is_true(a:get(2) == C(1, -1))
    assert.is_true(a[3] == C(0, 2))
    local t = a:totable()
    assert.is_true(t[1] == C(0, 0) and t[2] == C(1, -1))
    a:fill_(C(7, 8))
    assert.is_true(a:get(1) == C(7, 8))
    a:masked_fill_(ts.array({ true, false, true }), j)
    assert.are.same({ { 0, 1 }, { 7, 8 }, { 0, 1 } }, parts(a))
    local f = ts.zeros(2)
    errors(function() f:set(1, j) end, "set: cannot store a complex value in a float64 array")
    errors(function() f:fill_(j) end, "fill_: cannot store a complex value in a float64 array")
    errors(function() f[1] = j end, "newindex: cannot store a complex value in a float64 array")
    errors(function() ts.full(2, j, "int32") end, "full: cannot store a complex value in a int32 array")
    errors(function() ts.array({ j }, "float32") end, "array: cannot store a complex value in a float32 array")
  end)
end)

describe("complex promotion", function()
  local dtypes = { "bool", "uint8", "int32", "int64", "float32", "float64", "complex64", "complex128" }
  -- NumPy: np.result_type(row, col) for the rows and columns above, printed by
  -- for a in ts: print(' '.join(np.dtype(np.result_type(a, b)).name for b in ts))
  local numpy = [[
bool uint8 int32 int64 float32 float64 complex64 complex128
uint8 uint8 int32 int64 float32 float64 complex64 complex128
int32 int32 int32 int64 float64 float64 complex128 complex128
int64 int64 int64 int64 float64 float64 complex128 complex128
float32 float32 float64 float64 float32 float64 complex64 complex128
float64 float64 float64 float64 float64 float64 complex128 complex128
complex64 complex64 complex128 complex128 complex64 complex128 complex64 complex128
complex128 complex128 complex128 complex128 complex128 complex128 complex128 complex128]]

  it("matches np.result_type for all 8x8 pairs", function()
    local row = 0
    for line in numpy:gmatch("[^\n]+") do
      row = row + 1
      local col = 0
      for name in line:gmatch("%S+") do
        col = col + 1
        local a, b = ts.ones(1, dtypes[row]), ts.ones(1, dtypes[col])
        assert.are.equal(name, (a + b).dtype, dtypes[row] .. " + " .. dtypes[col])
        assert.are.equal(name, ts.concatenate({ a, b }).dtype)
      end
    end
    assert.are.equal(8, row)
  end)

  it("treats complex scalars as weak (NEP 50) and keeps complex arrays' precision", function()
    -- NumPy: (np.ones(3, np.float32) + 1j).dtype is complex64; uint8, bool,
    -- int, float64 arrays give complex128; complex64 + 1.5 or + 2 stays complex64
    assert.are.equal("complex64", (ts.ones(2, "float32") + j).dtype)
    assert.are.equal("complex128", (ts.ones(2, "uint8") + j).dtype)
    assert.are.equal("complex128", (ts.ones(2, "bool") + j).dtype)
    assert.are.equal("complex128", (ts.ones(2, "int32") + j).dtype)
    assert.are.equal("complex128", (ts.ones(2) + j).dtype)
    assert.are.equal("complex64", (ts.ones(2, "complex64") + 1.5).dtype)
    assert.are.equal("complex64", (ts.ones(2, "complex64") + 2).dtype)
    assert.are.equal("complex64", (j * ts.ones(2, "complex64")).dtype)
    assert.are.equal("complex128", (ts.ones(2, "int64") / 2 * j).dtype)
  end)

  it("does not cast a complex result into a real out", function()
    local out = ts.zeros(2)
    errors(function() ts.add(ts.ones(2, "complex64"), 1, out) end,
      "add: cannot cast complex64 result of add to float64 output")
    local cout = ts.zeros(2, "complex128")
    ts.add(ts.ones(2), j, cout)
    assert.are.same({ { 1, 1 }, { 1, 1 } }, parts(cout))
  end)
end)

describe("complex arithmetic", function()
  it("adds, multiplies, divides like NumPy, with broadcasting", function()
    local a = ts.array({ C(1, 2), C(3, -1) })
    local b = ts.array({ C(0.5, -1), C(0, 2) })
    -- NumPy: [-1.2000000000000002+1.6j, -0.5-1.5j]
    local q = h.values(a / b)
    assert.is_true(same(q[1], -1.2000000000000002, 1.6))
    assert.is_true(same(q[2], -0.5, -1.5))
    -- (1+2j)(2+2j)j = -6-2j, (3-1j)(2+2j)j = -4+8j
    assert.are.same({ { -6, -2 }, { -4, 8 } }, parts(a * ts.array({ C(2, 2) }) * j + 0))
    local m = ts.array({ { C(1, 1) }, { C(2, 0) } }) + ts.array({ C(0, 1), 10 })
    assert.are.same({ 2, 2 }, m.shape)
    assert.are.same({ { 1, 2 }, { 11, 1 }, { 2, 1 }, { 12, 0 } }, parts(m))
    assert.are.same({ { -1, -2 }, { -3, 1 } }, parts(-a))
    assert.are.same({ true, false }, ts.eq(a, ts.array({ C(1, 2), C(3, 1) })):totable())
    assert.are.same({ false, true }, ts.ne(a, ts.array({ C(1, 2), C(3, 1) })):totable())
    assert.are.same({ true, false }, ts.eq(ts.array({ C(2, 0), C(2, 1) }), 2):totable())
  end)

  it("works on strided and negative-step views, 0-size and 1-size arrays, out and in place", function()
    local a = ts.array({ C(1, 1), C(2, 2), C(3, 3), C(4, 4), C(5, 5) })
    local r = a[{ { -1, 1, -2 } }]  -- 5, 3, 1
    assert.are.same({ { 5, 5 }, { 3, 3 }, { 1, 1 } }, parts(r * 1))
    assert.are.same({ { 0, 50 }, { 0, 18 }, { 0, 2 } }, parts(r * r))
    assert.are.same({ { 50, 0 }, { 18, 0 }, { 2, 0 } }, parts(r * r:conj()))
    assert.are.same({ { 1, 0 }, { 1, 0 } }, parts(r[{ { 1, 2 } }] / r[{ { 1, 2 } }]))
    assert.are.same({ 0 }, (ts.zeros(0, "complex64") * j).shape)
    assert.are.same({ { -2, 0 } }, parts(ts.array({ C(1, 1) }) * C(-1, 1)))
    local out = ts.zeros(3, "complex128")
    ts.multiply(r, j, out)
    assert.are.same({ { -5, 5 }, { -3, 3 }, { -1, 1 } }, parts(out))
    out:add_(1)
    out:mul_(r)  -- (-4+5j)(5+5j) = -45+5j, (-2+3j)(3+3j) = -15+3j, 1j(1+1j) = -1+1j
    assert.are.same({ { -45, 5 }, { -15, 3 }, { -1, 1 } }, parts(out))
    r:mul_(2)  -- writes through the view into a
    assert.are.same({ { 2, 2 }, { 2, 2 }, { 6, 6 }, { 4, 4 }, { 10, 10 } }, parts(a))
  end)

  it("takes powers as NumPy does (values from NumPy)", function()
    local a = ts.array({ C(1, 2), C(-3, 0.5) })
    -- NumPy: np.power([1+2j, -3+0.5j], [3, -2]) = [-11-2j, 0.10226442658875091+0.03506208911614317j]
    local p = h.values(a ^ ts.array({ 3, -2 }))
    assert.is_true(same(p[1], -11, -2))
    assert_close(p[2], C(0.10226442658875091, 0.03506208911614317), 1e-15)
    -- NumPy: (1+2j) ** (0.5+1j) = 0.1042330549168707+0.48309593926990946j; ** 2.5
    assert_close((ts.array({ C(1, 2) }) ^ C(0.5, 1)):get(1), C(0.1042330549168707, 0.48309593926990946))
    assert_close((ts.array({ C(1, 2) }) ^ 2.5):get(1), C(-6.960664459571899, 2.7296244647840076))
    assert.is_true(same((ts.array({ C(1, 2) }) ^ -2):get(1), -0.12, -0.16))
    assert.is_true(same((ts.array({ C(1, 2) }) ^ 0):get(1), 1, 0))
    local z = ts.zeros(2, "complex128") ^ ts.array({ 2, -1 })
    assert.is_true(same(z:get(1), 0, 0))
    assert.is_true(z:get(2).real ~= z:get(2).real)  -- 0 ^ -1: nan (NumPy)
  end)

  it("refuses ordering, bitwise and rounding with clear errors", function()
    local a = ts.array({ C(1, 2) })
    errors(function() return ts.lt(a, a) end, "lt: not supported for complex128 operands")
    errors(function() return ts.maximum(a, 1) end, "maximum: not supported for complex128 operands")
    errors(function() return a & a end, "bitwise_and: not supported for complex128 operands")
    errors(function() return a // 2 end, "floor_divide: not supported for complex128 operands")
    errors(function() return ts.floor(a) end, "floor: not supported for complex128 arrays")
    errors(function() return ts.sign(ts.ones(1, "complex64")) end, "sign: not supported for complex64 arrays")
    errors(function() return ~a end, "invert: not supported for complex128 arrays")
    errors(function() return ts.arctan2(a, a) end, "arctan2: not supported for complex128 operands")
    errors(function() return ts.clip(a, 0, 1) end, "clip: not supported for complex128 operands")
  end)
end)

describe("real and imag", function()
  it("are views of complex arrays: writing through them changes the array", function()
    local a = ts.array({ C(1, 2), C(3, 4), C(5, 6) }, "complex64")
    local re, im = a:real(), a:imag()
    assert.are.equal("float32", re.dtype)
    assert.are.same({ 1, 3, 5 }, re:totable())
    assert.are.same({ 2, 4, 6 }, im:totable())
    assert.are.same({ 2 }, im:strides())
    im:fill_(-1)
    re[2] = 30
    assert.are.same({ { 1, -1 }, { 30, -1 }, { 5, -1 } }, parts(a))
    -- of a negative-step 2-d view
    local m = ts.array({ { C(1, 10), C(2, 20) }, { C(3, 30), C(4, 40) } })
    local v = m[{ { -1, 1, -1 }, 2 }]  -- column 2, rows reversed: 4+40j, 2+20j
    assert.are.same({ 40, 20 }, v:imag():totable())
    v:imag():mul_(0)
    assert.are.same({ { 1, 10 }, { 2, 0 }, { 3, 30 }, { 4, 0 } }, parts(m:reshape(4)))
  end)

  it("of real arrays: the array itself and zeros (NumPy)", function()
    local x = ts.array({ 1.5, -2 })
    local re = ts.real(x)
    re[1] = 9
    assert.are.equal(9.0, x:get(1))
    assert.are.same({ 0, 0 }, ts.imag(x):totable())
    assert.are.equal("float64", ts.imag(x).dtype)
    assert.are.equal("int32", ts.imag(ts.ones(2, "int32")).dtype)
    assert.are.equal(3.5, ts.real(3.5))
    assert.are.equal(0, ts.imag(3))
    assert.are.equal(-2.0, ts.imag(C(1, -2)))
  end)
end)

describe("complex functions", function()
  -- Points on and around the branch cut along the negative reals.
  local z = ts.array({ C(1, 2), C(-3, 0.5), C(-1, 0), C(-1, -0.0), C(0, 0), C(0, 2), C(-0.0, 0) })

  it("abs is the modulus, of the parts' precision, without overflow", function()
    -- Python's math.hypot of the parts; NumPy 1.24's SIMD loop gives
    -- 3.0413812651491092 for the second, one ulp below hypot's.
    local expect = { 2.23606797749979, 3.0413812651491097, 1.0, 1.0, 0.0, 2.0, 0.0 }
    assert.are.same(expect, ts.abs(z):totable())
    assert.are.equal("float32", ts.abs(ts.ones(2, "complex64")).dtype)
    assert.are.same({ 5e300 }, ts.abs(ts.array({ C(3e300, 4e300) })):totable())  -- hypot
    assert.are.equal(5.0, ts.abs(C(3, 4)))
  end)

  it("angle follows atan2 on both sides of the cut (NumPy)", function()
    local expect = { 1.1071487177940904, 2.976443976175166, pi, -pi, 0.0, pi / 2, pi }
    assert.are.same(expect, ts.angle(z):totable())
    assert.are.same({ 0, pi, 0 }, ts.angle(ts.array({ 2, -3, 0 })):totable())
    assert.are.equal("float32", ts.angle(ts.ones(1, "complex64")).dtype)
  end)

  it("sqrt, log and exp match NumPy, including the sign of zero on the cut", function()
    local s = h.values(ts.sqrt(z))
    local sqrt_np = { { 1.272019649514069, 0.7861513777574233 }, { 0.14384238796180673, 1.738013415533538 },
      { 0.0, 1.0 }, { 0.0, -1.0 }, { 0.0, 0.0 }, { 1.0, 1.0 }, { 0.0, 0.0 } }
    for k, e in ipairs(sqrt_np) do assert_close(s[k], C(e[1], e[2]), 1e-15, "sqrt " .. k) end
    assert.is_true(same(s[4], 0, -1))  -- below the cut
    local l = h.values(ts.log(z[{ { 1, 4 } }]))
    local log_np = { { 0.8047189562170503, 1.1071487177940904 }, { 1.1123117757621668, 2.976443976175166 },
      { 0.0, pi }, { 0.0, -pi } }
    for k, e in ipairs(log_np) do assert_close(l[k], C(e[1], e[2]), 1e-15, "log " .. k) end
    local e = h.values(ts.exp(z[{ { 1, 3 } }]))
    local exp_np = { { -1.1312043837568135, 2.4717266720048188 }, { 0.04369226300728118, 0.02386919206778745 },
      { 0.36787944117144233, 0.0 } }
    for k, v in ipairs(exp_np) do assert_close(e[k], C(v[1], v[2]), 1e-15, "exp " .. k) end
  end)

  it("log2, log10 and the trigonometric family match NumPy at 1.5-0.5j", function()
    -- NumPy: getattr(np, name)(np.array([1.5-0.5j]))[0]
    local numpy = {
      log2 = { 0.6609640474436812, -0.46418792923131036 }, log10 = { 0.1989700043360188, -0.13973449032377375 },
      sin = { 1.1248012470579227, -0.03686082371280446 }, cos = { 0.07976510530654189, 0.5197899547729212 },
      tan = { 0.2551492218136516, -2.124799127742996 }, arcsin = { 1.1711572594583726, -1.0693110431581105 },
      arccos = { 0.39963906733652416, 1.0693110431581105 }, arctan = { 1.0172219678978514, -0.14694666622552974 },
      sinh = { 1.8686185191826468, -1.1278052468056998 }, cosh = { 2.064433656760715, -1.0208309495976966 },
      tanh = { 0.9443729864226215, -0.0793244548039567 },
    }
    local x = ts.array({ C(1.5, -0.5) })
    for name, e in pairs(numpy) do assert_close(ts[name](x):get(1), C(e[1], e[2]), 4e-16, name) end
  end)

  it("satisfies exp(log z) = z, sqrt(z)^2 = z, |z|^2 = z * conj(z)", function()
    local rnd = h.lcg(7)
    local t = {}
    for k = 1, 200 do t[k] = C((rnd(2001) - 1001) / 97, (rnd(2001) - 1001) / 89) end
    local a = ts.array(t)
    local back = h.values(ts.exp(ts.log(a)))
    local sq = h.values(ts.sqrt(a) * ts.sqrt(a))
    local mod2 = h.values(ts.abs(a) ^ 2)
    local zz = h.values(a * ts.conj(a))
    for k = 1, #t do
      assert_close(back[k], t[k], 1e-13, "exp(log z)")
      assert_close(sq[k], t[k], 1e-13, "sqrt(z)^2")
      assert_close(zz[k], C(mod2[k], 0), 1e-13, "z conj z")
      assert.are.equal(0.0, zz[k].imag)
    end
  end)

  it("conj negates the imaginary part; real inputs give their values", function()
    assert.are.same({ { 1, -2 }, { -3, -0.5 } }, parts(ts.conj(z[{ { 1, 2 } }])))
    local c = ts.array({ C(1, 1) }, "complex64")
    c:conj_()
    assert.are.same({ { 1, -1 } }, parts(c))
    assert.are.same({ 1, 2 }, ts.conj(ts.array({ 1, 2 })):totable())
    assert.is_true(ts.conj(C(1, 2)) == C(1, -2))
  end)

  it("isnan, isinf, isfinite look at both parts", function()
    local w = ts.array({ C(1, 0 / 0), C(math.huge, 0), C(1, 1) })
    assert.are.same({ true, false, false }, ts.isnan(w):totable())
    assert.are.same({ false, true, false }, ts.isinf(w):totable())
    assert.are.same({ false, false, true }, ts.isfinite(w):totable())
  end)
end)

describe("complex reductions", function()
  local a = ts.array({ C(1, 2), C(3, -1), C(0.5, 0.25) })

  it("sum and mean as NumPy (pairwise over the parts)", function()
    -- NumPy: (4.5+1.25j) (1.5+0.41666666666666663j)
    assert.is_true(same(ts.sum(a), 4.5, 1.25))
    assert.is_true(same(ts.mean(a), 1.5, 0.41666666666666663))
    assert.are.equal("complex64", ts.sum(ts.ones(3, "complex64"), 1, { keepdims = true }).dtype)
    local m = ts.array({ { C(1, 1), C(2, 2) }, { C(3, 3), C(4, 4) } })
    assert.are.same({ { 4, 4 }, { 6, 6 } }, parts(ts.sum(m, 1)))
    assert.are.same({ { 1.5, 1.5 }, { 3.5, 3.5 } }, parts(ts.mean(m, 2)))
    -- columns reversed: sums 6+6j, 4+4j
    assert.are.same({ { 3, 3 }, { -1, -1 } }, parts(ts.sum(m[{ ":", { -1, 1, -1 } }], 1) - ts.array({ C(3, 3), C(5, 5) })))
    assert.is_true(same(ts.sum(ts.zeros(0, "complex128")), 0, 0))
    -- a long sum stays pairwise: 10^5 times (0.1+0.2j); NumPy:
    -- (10000.000000000002+20000.000000000004j)
    local big = ts.full({ 100000 }, C(0.1, 0.2))
    assert_close(ts.sum(big), C(10000.000000000002, 20000.000000000004), 1e-15)
    assert.is_true(same(ts.sum(ts.array({ 1, 2 }), { dtype = "complex64" }), 3, 0))
  end)

  it("any and all test for nonzero values (a zero real part is not enough)", function()
    local z = ts.array({ C(0, 2), C(0, 0) })
    assert.is_true(ts.any(z))
    assert.is_false(ts.all(z))
    assert.is_true(ts.all(z[{ { 1, 1 } }]))
    assert.are.same({ true, false }, ts.any(ts.array({ { C(0, 1e-300) }, { C(-0.0, 0) } }), 2):totable())
  end)

  it("prod multiplies in order along the axis (values from NumPy)", function()
    -- NumPy: np.prod([1+2j, 3-1j, 0.5+0.25j]) = (1.25+3.75j)
    assert.is_true(same(ts.prod(a), 1.25, 3.75))
    local m = ts.array({ { C(1, 1), C(2, 2) }, { C(3, 3), C(4, -4) } })
    -- NumPy: np.prod(m, 0) = [6j, 16], np.prod(m, 1) = [4j, 24], reversed: [24, 4j]
    assert.are.same({ { 0, 6 }, { 16, 0 } }, parts(ts.prod(m, 1)))
    assert.are.same({ { 0, 4 }, { 24, 0 } }, parts(ts.prod(m, 2)))
    assert.are.same({ { 24, 0 }, { 0, 4 } }, parts(ts.prod(m[{ { -1, 1, -1 }, { -1, 1, -1 } }], 2)))
    assert.are.same({ 1, 2 }, ts.prod(m, 1, { keepdims = true }).shape)
    assert.are.same({ { 1, 0 }, { 1, 0 } }, parts(ts.prod(ts.zeros({ 0, 2 }, "complex128"), 1)))
    assert.is_true(same(ts.prod(ts.zeros(0, "complex64")), 1, 0))
  end)

  it("refuses the reductions it does not have", function()
    errors(function() ts.max(a) end, "max: complex128 is not supported")
    errors(function() ts.cumsum(a) end, "cumsum: complex128 is not supported")
    errors(function() ts.var(a) end, "var: complex128 is not supported")
    errors(function() ts.norm(a) end, "norm: complex128 is not supported")
  end)
end)

describe("printing complex arrays", function()
  -- NumPy's str() of the same arrays
  local cases = {
    { ts.array({ C(1, 2), 3, 4.5 }), "[1. +2.j 3. +0.j 4.5+0.j]" },
    { ts.array({ C(1, 2), C(3, 0), C(4.5, 0) }) * j, "[-2.+1.j   0.+3.j   0.+4.5j]" },
    { ts.exp(ts.array({ C(0, pi) })), "[-1.+1.2246468e-16j]" },
    { ts.zeros({ 2, 2 }, "complex64"), "[[0.+0.j 0.+0.j]\n [0.+0.j 0.+0.j]]" },
    { ts.array({ C(1, 2), 0 / 0, C(math.huge, -math.huge), C(0, 1e-10) }),
      "[ 1.+2.e+00j nan+0.e+00j inf   -infj  0.+1.e-10j]" },
    { ts.array({ C(1e10, 1), 2 }), "[1.e+10+1.j 2.e+00+0.j]" },
    { ts.array({ C(0.1, 0.2) }, "complex64"), "[0.1+0.2j]" },
    { ts.array({ C(0, 0 / 0), C(1, -math.huge) }), "[0.+nanj 1.-infj]" },
    { ts.array(C(0.1, 0.2), "complex64"), "(0.1+0.2j)" },
    { ts.array(C(0, 3)), "3j" },
    { ts.arange(0, 1999):astype("complex128") * (1 + j),
      "[0.000e+00+0.000e+00j 1.000e+00+1.000e+00j 2.000e+00+2.000e+00j ...\n" ..
      " 1.997e+03+1.997e+03j 1.998e+03+1.998e+03j 1.999e+03+1.999e+03j]" },
  }
  it("matches NumPy's str", function()
    for _, c in ipairs(cases) do
      local s = tostring(c[1])
      assert.are.equal(c[2], s:sub(1, #s - #s:match("\n[^\n]*$")))
    end
    assert.truthy(tostring(ts.ones(2, "complex64")):find("[complex64 array of shape (2)]", 1, true))
  end)
end)

describe("complex elsewhere", function()
  it("gives clear errors where a module has no complex support", function()
    local a = ts.ones(2, "complex128")
    errors(function() ts.jit(function(x) return x + 1 end)(a) end, "jit: argument 1: complex128 is not supported")
    errors(function() ts.jit(function(x) return x:astype("c8") end)(ts.ones(2)) end,
      "astype: complex64 is not supported by ts.jit")
    errors(function() ts.jit(function(x) return j * x end)(ts.ones(2)) end,
      "jit: multiply: cannot trace a userdata operand")
    errors(function() ts.stats.online():update(a) end, "update: complex128 is not supported")
    errors(function() ts.sketch.bloom(100, 0.01):add(a) end, "bloom:add: complex128 is not supported")
  end)

  it("round-trips through ts.h5 as h5py's {r, i} compound (gzip chunks, slabs, attributes)", function()
    local path = os.tmpname()
    local big = ts.complex(ts.linspace(0, 1, 5000), ts.linspace(1, 2, 5000)):reshape(50, 100)
    do
      local f <close> = ts.h5.open(path, "w")
      f:write("big", big, { chunks = { 10, 25 }, compression = "gzip" })
      f:write("c64", ts.array({ C(1, 2), C(-0.5, 0) }, "complex64"))
      f.attrs.z = ts.array({ C(3, -4) })
    end
    local f <close> = ts.h5.open(path, "r")
    assert.are.equal("complex128", f.big.dtype)
    assert.is_true(ts.eq(f.big:read(), big):all())
    assert.is_true(ts.eq(f.big:read({ { 2, 3 }, { -1, -1 } }), big[{ { 2, 3 }, { -1, -1 } }]):all())
    assert.are.equal("complex64", f.c64:read().dtype)
    assert.are.same({ { 1, 2 }, { -0.5, 0 } }, parts(f.c64:read()))
    assert.are.same({ { 3, -4 } }, parts(f.attrs.z))
    os.remove(path)
  end)

  it("multiplies complex matrices (ts.matmul)", function()
    local m = ts.array({ { C(1, 1), 2 }, { 0, j } })
    local p = ts.matmul(m, m)  -- [[(1+1j)^2, 2(1+1j) + 2j], [0, -1]]
    assert.are.same({ { 0, 2 }, { 2, 4 }, { 0, 0 }, { -1, 0 } }, parts(p:reshape(4)))
  end)
end)
