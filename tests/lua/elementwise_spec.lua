-- Element-wise operators and functions. Expected values come from Lua's own
-- arithmetic and math library, from hand computation, or from identities.
local ts = require "tessera"
local h = require "helpers"

local values, errors = h.values, h.errors

local function isnan(x) return x ~= x end

-- Compares element lists: exact for integers and booleans, relative
-- tolerance for floats (NaN equals NaN, infinities must match).
local function near(expected, actual, tol, label)
  tol = tol or 1e-12
  assert.are.equal(#expected, #actual, (label or "") .. ": length")
  for i = 1, #expected do
    local e, a = expected[i], actual[i]
    local where = ("%s[%d]: expected %s, got %s"):format(label or "", i, tostring(e), tostring(a))
    if type(e) == "number" and math.type(e) == "float" then
      assert(type(a) == "number", where)
      if isnan(e) then
        assert(isnan(a), where)
      elseif e == math.huge or e == -math.huge then
        assert(a == e, where)
      else
        assert(math.abs(a - e) <= tol * math.max(1, math.abs(e)), where)
      end
    else
      assert(e == a and math.type(e) == math.type(a), where)
    end
  end
end

local function map(list, f)
  local out = {}
  for i = 1, #list do out[i] = f(list[i]) end
  return out
end

describe("arithmetic operators", function()
  local a = ts.array({ 1, 2, 3, 4 })
  local b = ts.array({ 10, 20, 30, 40 })

  it("array op array", function()
    near({ 11, 22, 33, 44 }, values(a + b))
    near({ -9, -18, -27, -36 }, values(a - b))
    near({ 10, 40, 90, 160 }, values(a * b))
    near({ 0.1, 0.1, 0.1, 0.1 }, values(a / b))
    near({ 10, 10, 10, 10 }, values(b // a))
    near({ 0, 0, 0, 0 }, values(b % a))
    near({ 1, 4, 27, 256 }, values(a ^ ts.array({ 5, 2, 3, 4 })))
    near({ -1, -2, -3, -4 }, values(-a))
  end)

  it("array op number and number op array", function()
    near({ 3, 4, 5, 6 }, values(a + 2))
    near({ 3, 4, 5, 6 }, values(2 + a))
    near({ -1, 0, 1, 2 }, values(a - 2))
    near({ 1, 0, -1, -2 }, values(2 - a))
    near({ 3, 6, 9, 12 }, values(a * 3))
    near({ 3, 6, 9, 12 }, values(3 * a))
    near({ 0.5, 1.0, 1.5, 2.0 }, values(a / 2))
    near({ 12.0, 6.0, 4.0, 3.0 }, values(12 / a))
    near({ 0, 1, 1, 2 }, values(a // 2))
    near({ 12, 6, 4, 3 }, values(12 // a))
    near({ 1, 0, 1, 0 }, values(a % 2))
    near({ 0, 1, 2, 1 }, values(5 % a))
    near({ 1, 4, 9, 16 }, values(a ^ 2))
    near({ 2, 4, 8, 16 }, values(2 ^ a))
    near({ 1.5, 2.5, 3.5, 4.5 }, values(a + 0.5))
    near({ -0.5, 0.5, 1.5, 2.5 }, values(a - 1.5))
    near({ 0.5, -0.5, -1.5, -2.5 }, values(1.5 - a))
  end)

  it("agree with Lua's operators on integers", function()
    local xs = { -7, -6, -5, -1, 0, 1, 5, 6, 7, 13 }
    local ys = { 3, -3, 2, -2, 5, -5, 1, -1, 4, -4 }
    local x, y = ts.array(xs), ts.array(ys)
    local function lua(op)
      local out = {}
      for i = 1, #xs do out[i] = op(xs[i], ys[i]) end
      return out
    end
    near(lua(function(p, q) return p + q end), values(x + y))
    near(lua(function(p, q) return p - q end), values(x - y))
    near(lua(function(p, q) return p * q end), values(x * y))
    near(lua(function(p, q) return p // q end), values(x // y))
    near(lua(function(p, q) return p % q end), values(x % y))
    near(lua(function(p, q) return p / q end), values(x / y))
    near(lua(function(p, q) return p & q end), values(x & y))
    near(lua(function(p, q) return p | q end), values(x | y))
    near(lua(function(p, q) return p ~ q end), values(x ~ y))
    near(map(xs, function(p) return ~p end), values(~x))
    near(map(xs, function(p) return -p end), values(-x))
  end)

  it("agree with Lua's operators on floats", function()
    local xs = { -7.5, -2.25, -0.5, 0.0, 0.5, 3.75, 9.0, 1e10 }
    local ys = { 2.0, -1.5, 0.25, 3.0, -2.0, 1.25, -4.5, 7.0 }
    local x, y = ts.array(xs), ts.array(ys)
    local function lua(op)
      local out = {}
      for i = 1, #xs do out[i] = op(xs[i], ys[i]) end
      return out
    end
    near(lua(function(p, q) return p + q end), values(x + y))
    near(lua(function(p, q) return p - q end), values(x - y))
    near(lua(function(p, q) return p * q end), values(x * y))
    near(lua(function(p, q) return p / q end), values(x / y))
    near(lua(function(p, q) return p // q end), values(x // y))
    near(lua(function(p, q) return p % q end), values(x % y))
    near(map(xs, function(p) return p ^ 2 end), values(x ^ 2))
    near(map(xs, function(p) return math.abs(p) ^ 0.5 end), values(ts.abs(x) ^ 0.5))
  end)

  it("integer true division gives float64", function()
    local q = ts.array({ 1, 2, 3 }) / ts.array({ 2, 2, 2 })
    assert.are.equal("float64", q.dtype)
    near({ 0.5, 1.0, 1.5 }, values(q))
    assert.are.equal("float64", (ts.array({ 1 }, "i32") / ts.array({ 2 }, "i32")).dtype)
    assert.are.equal("float64", (ts.array({ 1 }, "u8") / 2).dtype)
    assert.are.equal("float64", (ts.array({ true }) / ts.array({ true })).dtype)
    assert.are.equal("float32", (ts.array({ 1 }, "f32") / 2).dtype)
    near({ math.huge, -math.huge, 0 / 0 }, values(ts.array({ 1, -1, 0 }) / 0))
  end)

  it("integer // and % by zero give 0", function()
    near({ 0, 0, 0 }, values(ts.array({ 5, -5, 0 }) // 0))
    near({ 0, 0, 0 }, values(ts.array({ 5, -5, 0 }) % 0))
    near({ 0, 0 }, values(ts.array({ 5, 7 }, "u8") // ts.array({ 0, 0 }, "u8")))
    near({ 0, 0 }, values(ts.array({ 5, 7 }, "i32") % ts.array({ 0, 0 }, "i32")))
    -- floats follow IEEE: inf and nan
    near({ math.huge, -math.huge }, values(ts.array({ 5.0, -5.0 }) // 0))
    local m = values(ts.array({ 5.0 }) % 0)
    assert.is_true(isnan(m[1]))
  end)

  it("% takes the sign of the divisor and // floors", function()
    near({ 1, -1, -1, 1 }, values(ts.array({ -7, 7, -7, 7 }) % ts.array({ 2, -2, -2, 2 })))
    near({ -4, -4, 3, 3 }, values(ts.array({ -7, 7, -7, 7 }) // ts.array({ 2, -2, -2, 2 })))
    near({ 0.5, -0.5, -1.5, 1.5 }, values(ts.array({ -7.5, 7.5, -7.5, 7.5 }) % ts.array({ 2, -2, -2, 2 })))
    near({ -4.0, -4.0, 3.0, 3.0 }, values(ts.array({ -7.5, 7.5, -7.5, 7.5 }) // ts.array({ 2, -2, -2, 2 })))
    -- identity a == (a // b) * b + a % b for integers
    local a, b = ts.arange(-20, 20), ts.array({ 3 })
    near(values(a), values((a // b) * b + a % b))
    local c = ts.array({ -6, 6 }, "i32") % ts.array({ 4, -4 }, "i32")
    near({ 2, -2 }, values(c))
  end)

  it("integer ^ negative is 0 unless |base| is 1", function()
    local p = ts.array({ 1, -1, -1, 2, -2, 0, 5 }) ^ ts.array({ -1, -1, -2, -1, -3, 2, 0 })
    assert.are.equal("int64", p.dtype)
    near({ 1, -1, 1, 0, 0, 0, 1 }, values(p))
    near({ 1, 0, 0 }, values(ts.array({ 1, 2, 3 }, "i32") ^ -2))
    near({ 1, 8, 27 }, values(ts.array({ 1, 2, 3 }, "u8") ^ 3))
    near({ 0.5, 0.25 }, values(ts.array({ 2, 4 }) ^ -1.0))
    near({ 1.0, 1 / 3 }, values(ts.array({ 1, 3 }) ^ -1.0))
  end)

  it("integer overflow wraps", function()
    near({ math.mininteger }, values(ts.array({ math.maxinteger }) + 1))
    near({ math.maxinteger }, values(ts.array({ math.mininteger }) - 1))
    near({ math.maxinteger * 2 }, values(ts.array({ math.maxinteger }) * 2))  -- Lua wraps too
    near({ math.mininteger }, values(-ts.array({ math.mininteger })))
    near({ -2147483648 }, values(ts.array({ 2147483647 }, "i32") + 1))
    near({ 0 }, values(ts.array({ 255 }, "u8") + 1))
    near({ 251 }, values(ts.array({ 5 }, "u8") - 10))
    near({ 144 }, values(ts.array({ 200 }, "u8") * 2))  -- 400 mod 256
    near({ 0 }, values(ts.array({ 2 }) ^ 64))
    near({ 1 << 62 }, values(ts.array({ 2 }) ^ 62))
    local p39, p41 = 1, 1  -- Lua integer arithmetic wraps the same way
    for _ = 1, 39 do p39 = p39 * 3 end
    for _ = 1, 41 do p41 = p41 * 3 end
    near({ p39, p41 }, values(ts.array({ 3, 3 }) ^ ts.array({ 39, 41 })))
    near({ 0 }, values(ts.array({ 16 }, "u8") ^ 2))
    near({ math.mininteger }, values(ts.array({ math.mininteger }) // -1))
    near({ 0 }, values(ts.array({ math.mininteger }) % -1))
    near({ math.mininteger }, values(ts.abs(ts.array({ math.mininteger }))))
  end)

  it("operate on strided, transposed and negative-step operands", function()
    local m = ts.arange(12):reshape(3, 4)  -- m[i][j] = 4(i-1) + j
    local t = m:T()                        -- t[j][i] = m[i][j]
    local s = t + t
    assert.are.same({ 4, 3 }, s.shape)
    near({ 2, 10, 18, 4, 12, 20, 6, 14, 22, 8, 16, 24 }, values(s))
    local r = m[{ {}, { -1, 1, -1 } }]     -- columns reversed
    near({ 5, 5, 5, 5, 13, 13, 13, 13, 21, 21, 21, 21 }, values(m + r))
    local e = m[{ { 1, 3, 2 }, { 1, 4, 3 } }]  -- rows 1,3; cols 1,4
    near({ 1, 16, 81, 144 }, values(e * e))
    near({ 3, 7, 11, 15, 19, 23 }, values(ts.arange(12)[{ { 1, 12, 2 } }] + ts.arange(12)[{ { 2, 12, 2 } }]))
  end)

  it("broadcast like NumPy, including extent 0 and 1", function()
    local col = ts.array({ { 1 }, { 2 }, { 3 } })  -- (3,1)
    local row = ts.array({ 10, 20 })               -- (2)
    local s = col + row
    assert.are.same({ 3, 2 }, s.shape)
    near({ 11, 21, 12, 22, 13, 23 }, values(s))
    assert.are.same({ 2, 3, 2 }, (ts.zeros(2, 1, 1) + s).shape)
    assert.are.same({ 0, 2 }, (ts.zeros(0, 1) + row).shape)
    assert.are.same({ 3, 0 }, (col + ts.zeros(0)).shape)
    assert.are.same({ 0 }, (ts.zeros(0) + ts.zeros(1)).shape)
    assert.are.same({ 0 }, (ts.zeros(0) + ts.zeros(0)).shape)
    assert.are.same({ 0 }, (ts.zeros(0) * 5).shape)
    assert.are.same({ 1 }, (ts.zeros(1) + ts.zeros(1)).shape)
    assert.are.same({ 4, 5 }, (ts.zeros(4, 1) - ts.zeros(1, 5)).shape)
    local z = ts.array(2) * ts.array({ 1, 2, 3 })  -- 0-d with 1-d
    near({ 2, 4, 6 }, values(z))
    local zz = ts.array(2) * ts.array(3)
    assert.are.equal(0, zz.ndim)
    assert.are.equal(6, zz:get())
    errors(function() return ts.zeros(3) + ts.zeros(4) end, "add: cannot broadcast shapes (3) and (4)")
    errors(function() return ts.zeros(2, 3) * ts.zeros(3, 2) end, "multiply: cannot broadcast shapes (2,3) and (3,2)")
    errors(function() return ts.zeros(0) + ts.zeros(2) end, "add: cannot broadcast shapes (0) and (2)")
  end)

  it("results never alias their operands", function()
    local a = ts.array({ 1, 2 })
    local b = a + 0
    b:set(1, 100)
    assert.are.equal(1, a:get(1))
  end)
end)

describe("binary operations, randomised layouts", function()
  -- Property: for operands of any layout (permuted, stepped, reversed) and
  -- any broadcasting, every element of a op b equals the Lua operation on
  -- the elements read one by one with get.
  it("match element-wise Lua arithmetic", function()
    local rnd = h.lcg(777)
    local function random_view(shape)
      local n = 1
      for _, d in ipairs(shape) do n = n * d end
      -- build a larger array and cut the view out of it, so strides vary
      local big, ranges = {}, {}
      for d, e in ipairs(shape) do
        local step = ({ 1, 2, -1, -3 })[rnd(4)]
        big[d] = e * math.abs(step) + rnd(2) - 1
        if step > 0 then ranges[d] = { 1, (e - 1) * step + 1, step }
        else ranges[d] = { big[d], big[d] + (e - 1) * step, step } end
      end
      local total = 1
      for _, e in ipairs(big) do total = total * e end
      local base = (ts.arange(total) * 7 % 23 - 11):reshape(big)
      local v = base:slice(table.unpack(ranges))
      assert(v.size == n)
      return v
    end
    local function get_broadcast(a, idx, nd)
      local shape, sub = a.shape, {}
      for d = 1, #shape do
        local i = idx[nd - #shape + d]
        sub[d] = shape[d] == 1 and 1 or i
      end
      return a:get(table.unpack(sub))
    end
    for _ = 1, 150 do
      local nd = rnd(4)
      local shape = {}
      for d = 1, nd do shape[d] = rnd(4) end
      local a = random_view(shape)
      local bshape = {}
      for d = rnd(nd), nd do bshape[#bshape + 1] = rnd(3) == 1 and 1 or shape[d] end
      local b = random_view(bshape)
      if rnd(2) == 1 then a, b = b, a end
      local ops = {
        { function(x, y) return x + y end, function(x, y) return x + y end },
        { function(x, y) return x * y - x end, function(x, y) return x * y - x end },
        { function(x, y) return x // y end, function(x, y) if y == 0 then return 0 end return x // y end },
        { function(x, y) return ts.maximum(x, y) end, function(x, y) return math.max(x, y) end },
      }
      local op = ops[rnd(#ops)]
      local r = op[1](a, b)
      local rs = r.shape
      assert.are.same(shape, rs)  -- b's shape is shape's tail with some 1s
      local idx = {}
      for d = 1, #rs do idx[d] = 1 end
      for _ = 1, r.size do
        local x, y = get_broadcast(a, idx, #rs), get_broadcast(b, idx, #rs)
        local got = r:get(table.unpack(idx))
        assert(got == op[2](x, y), ("at {%s}: %d op %d gave %d"):format(table.concat(idx, ","), x, y, got))
        for d = #rs, 1, -1 do
          idx[d] = idx[d] + 1
          if idx[d] <= rs[d] then break end
          idx[d] = 1
        end
      end
    end
  end)
end)

describe("bitwise operators", function()
  it("work on integers of every width", function()
    near({ 1, 2 }, values(ts.array({ 5, 6 }) & 3))
    near({ 7 }, values(3 | ts.array({ 4 })))
    near({ 4 }, values(ts.array({ 5 }) ~ 1))
    near({ 8 }, values(1 << ts.array({ 3 })))
    near({ -4 }, values(ts.array({ -16 }) >> 2))  -- arithmetic shift for signed
    near({ 0xF0 }, values(ts.array({ 0xFF }, "u8") & 0xF0))
    near({ 0 }, values(~ts.array({ 255 }, "u8")))
    near({ -1 }, values(~ts.array({ 0 }, "i32")))
    near({ 64 }, values(ts.array({ 1 }, "u8") << 6))
    near({ 0 }, values(ts.array({ 1 }, "u8") << 8))  -- shifted past the width
    near({ 0 }, values(ts.array({ 1 }, "i32") << 32))
    near({ 0 }, values(ts.array({ 1 }) << 64))
    near({ -1 }, values(ts.array({ -1 }, "i32") >> 40))
    near({ 0 }, values(ts.array({ 100 }, "i32") >> 40))
    near({ math.mininteger }, values(ts.array({ 1 }) << 63))
  end)

  it("are logical on bools", function()
    local p, q = ts.array({ true, true, false, false }), ts.array({ true, false, true, false })
    assert.are.equal("bool", (p & q).dtype)
    assert.are.same({ true, false, false, false }, values(p & q))
    assert.are.same({ true, true, true, false }, values(p | q))
    assert.are.same({ false, true, true, false }, values(p ~ q))
    assert.are.same({ false, false, true, true }, values(~p))
    assert.are.same({ false, false, true, true }, values(ts.invert(p)))
    assert.are.same({ true, false, false, false }, values(ts.bitwise_and(p, q)))
    assert.are.same({ false, true, true, false }, values(p:bitwise_xor(q)))
    assert.are.same({ true, true, false, false }, values(p & true))
    assert.are.same({ false, false, true, true }, values(p ~ true))
  end)

  it("mixing bool and int gives int", function()
    local r = ts.array({ true, false }) & ts.array({ 3, 3 })
    assert.are.equal("int64", r.dtype)
    near({ 1, 0 }, values(r))
    near({ 1, 0 }, values(ts.array({ true, false }) & 1))
  end)

  it("refuse floats and bool shifts", function()
    errors(function() return ts.array({ 1.5 }) & 1 end, "bitwise_and: not supported for float64 operands")
    errors(function() return ts.array({ 1 }) | 1.5 end, "bitwise_or: not supported for float64 operands")
    errors(function() return ts.array({ 1 }, "f32") ~ ts.array({ 1 }, "f32") end, "bitwise_xor: not supported for float32 operands")
    errors(function() return ts.array({ 1.0 }) << 1 end, "left_shift: not supported for float64 operands")
    errors(function() return ts.array({ 1.0 }) >> 1 end, "right_shift: not supported for float64 operands")
    errors(function() return ~ts.array({ 1.0 }) end, "invert: not supported for float64 arrays")
    errors(function() return ts.array({ true }) << ts.array({ true }) end, "left_shift: not supported for bool operands")
  end)
end)

describe("comparisons", function()
  local a = ts.array({ 1, 2, 3 })
  local b = ts.array({ 3, 2, 1 })

  it("give bool arrays, as methods and as ts functions", function()
    local cases = {
      eq = { false, true, false }, ne = { true, false, true }, lt = { true, false, false },
      le = { true, true, false }, gt = { false, false, true }, ge = { false, true, true },
    }
    for name, expected in pairs(cases) do
      local m = a[name](a, b)
      assert.are.equal("bool", m.dtype, name)
      assert.are.same(expected, values(m), name)
      assert.are.same(expected, values(ts[name](a, b)), "ts." .. name)
    end
  end)

  it("take Lua numbers on either side and broadcast", function()
    assert.are.same({ false, true, true }, values(a:gt(1)))
    assert.are.same({ true, true, false }, values(ts.lt(1, b)))
    assert.are.same({ false, true, false }, values(a:eq(2.0)))
    assert.are.same({ true, false, false }, values(a:lt(1.5)))
    local m = ts.array({ { 1 }, { 2 } }):le(ts.array({ 1, 2, 3 }))
    assert.are.same({ 2, 3 }, m.shape)
    assert.are.same({ true, true, true, false, true, true }, values(m))
  end)

  it("compare across dtypes by value", function()
    assert.are.same({ true }, values(ts.array({ 1 }, "i32"):eq(ts.array({ 1.0 }, "f32"))))
    assert.are.same({ true }, values(ts.array({ 255 }, "u8"):gt(ts.array({ -1 }, "i32"))))
    assert.are.same({ true }, values(ts.array({ true }):eq(1)))
    assert.are.same({ false }, values(ts.array({ math.maxinteger }):eq(ts.array({ math.maxinteger - 1 }))))
  end)

  it("follow IEEE for NaN", function()
    local n = ts.array({ 0 / 0, 1.0 })
    assert.are.same({ false, true }, values(n:eq(n)))
    assert.are.same({ true, false }, values(n:ne(n)))
    assert.are.same({ false, false }, values(n:lt(n)))
  end)

  it("compare exactly with Lua integers the dtype cannot hold (NumPy 2)", function()
    local u = ts.array({ 0, 200, 255 }, "u8")
    assert.are.same({ false, false, false }, values(u:eq(300)))
    assert.are.same({ true, true, true }, values(u:ne(300)))
    assert.are.same({ true, true, true }, values(u:lt(256)))
    assert.are.same({ true, true, true }, values(u:gt(-1)))
    assert.are.same({ false, false, false }, values(ts.le(300, u)))
    local i = ts.array({ -5, 5 }, "i32")
    assert.are.same({ true, true }, values(i:lt(1 << 40)))
    assert.are.same({ false, false }, values(i:le(-(1 << 40))))
  end)

  it("== on arrays is identity (Lua's rule), not element-wise", function()
    local x = ts.array({ 1 })
    assert.is_true(x == x)
    assert.is_false(x == ts.array({ 1 }))
  end)
end)

describe("math functions", function()
  local xs = { 0.1, 0.5, 1.0, 2.0, 3.5, 10.0 }
  local x = ts.array(xs)
  local signed = { -3.5, -1.0, -0.25, 0.0, 0.25, 1.0, 2.75 }
  local s = ts.array(signed)
  local unit = { -1.0, -0.5, 0.0, 0.3, 1.0 }
  local u = ts.array(unit)

  it("agree with Lua's math library", function()
    near(map(xs, math.sqrt), values(ts.sqrt(x)))
    near(map(xs, math.exp), values(ts.exp(x)))
    near(map(xs, math.log), values(ts.log(x)))
    near(map(xs, function(v) return math.log(v, 2) end), values(ts.log2(x)))
    near(map(xs, function(v) return math.log(v, 10) end), values(ts.log10(x)))
    near(map(signed, math.sin), values(ts.sin(s)))
    near(map(signed, math.cos), values(ts.cos(s)))
    near(map(signed, math.tan), values(ts.tan(s)))
    near(map(unit, math.asin), values(ts.arcsin(u)))
    near(map(unit, math.acos), values(ts.arccos(u)))
    near(map(signed, math.atan), values(ts.arctan(s)))
    near(map(signed, math.abs), values(ts.abs(s)))
    near(map(signed, function(v) return (math.exp(v) - math.exp(-v)) / 2 end), values(ts.sinh(s)))
    near(map(signed, function(v) return (math.exp(v) + math.exp(-v)) / 2 end), values(ts.cosh(s)))
    near(map(signed, function(v) return (math.exp(2 * v) - 1) / (math.exp(2 * v) + 1) end), values(ts.tanh(s)))
    near(map(signed, function(v) return math.floor(v) + 0.0 end), values(ts.floor(s)))
    near(map(signed, function(v) return math.ceil(v) + 0.0 end), values(ts.ceil(s)))
  end)

  it("are also methods", function()
    near(map(xs, math.sqrt), values(x:sqrt()))
    near(map(signed, math.abs), values(s:abs()))
    near(map(signed, math.sin), values(s:sin()))
  end)

  it("exact values at known points", function()
    near({ 0.0, 1.0, 2.0, 3.0 }, values(ts.sqrt(ts.array({ 0.0, 1.0, 4.0, 9.0 }))))
    near({ 0.0, 1.0, 10.0 }, values(ts.log10(ts.array({ 1.0, 10.0, 1e10 }))))
    near({ 0.0, 3.0, 10.0 }, values(ts.log2(ts.array({ 1.0, 8.0, 1024.0 }))))
    near({ -math.huge }, values(ts.log(ts.array({ 0.0 }))))
    assert.is_true(isnan(values(ts.log(ts.array({ -1.0 })))[1]))
    assert.is_true(isnan(values(ts.sqrt(ts.array({ -1.0 })))[1]))
    assert.is_true(isnan(values(ts.arcsin(ts.array({ 2.0 })))[1]))
  end)

  it("sin^2 + cos^2 = 1 and exp(log x) = x on float32 too", function()
    local f = ts.linspace(-10, 10, 101, "f32")
    local one = ts.sin(f) ^ 2 + ts.cos(f) ^ 2
    assert.are.equal("float32", one.dtype)
    near(map(values(f), function() return 1.0 end), values(one), 1e-6)
    local p = ts.linspace(0.1, 20, 50)
    near(values(p), values(ts.exp(ts.log(p))), 1e-12)
  end)

  it("integers compute in floats (int32/int64: float64, uint8/bool: float32)", function()
    local r = ts.sqrt(ts.array({ 1, 4, 9 }, "i32"))
    assert.are.equal("float64", r.dtype)
    near({ 1.0, 2.0, 3.0 }, values(r))
    assert.are.equal("float64", ts.sqrt(ts.array({ 4 })).dtype)
    assert.are.equal("float32", ts.sqrt(ts.array({ 4 }, "u8")).dtype)
    assert.are.equal("float32", ts.exp(ts.array({ true })).dtype)
    assert.are.equal("float32", ts.sin(ts.array({ 1 }, "f32")).dtype)
    assert.are.equal("float64", ts.floor(ts.array({ 3 })).dtype)
    near({ 3.0 }, values(ts.floor(ts.array({ 3 }))))
  end)

  it("round halves to even", function()
    local r = ts.round(ts.array({ 0.5, 1.5, 2.5, 3.5, -0.5, -1.5, -2.5, 0.49999999999999994, 2.6, -2.6 }))
    near({ 0.0, 2.0, 2.0, 4.0, -0.0, -2.0, -2.0, 0.0, 3.0, -3.0 }, values(r))
    assert.are.equal(-math.huge, 1 / r:get(5))  -- -0.5 rounds to -0.0
    near({ 2.0, 4.0 }, values(ts.round(ts.array({ 2.5, 3.5 }, "f32"))))
  end)

  it("abs and sign keep integer dtypes; sign of NaN is NaN", function()
    local i = ts.array({ -3, 0, 5 }, "i32")
    assert.are.equal("int32", ts.abs(i).dtype)
    near({ 3, 0, 5 }, values(ts.abs(i)))
    near({ -1, 0, 1 }, values(ts.sign(i)))
    near({ 0, 1 }, values(ts.sign(ts.array({ 0, 7 }, "u8"))))
    local f = ts.sign(ts.array({ -2.5, 0.0, 3.0, 0 / 0, -math.huge }))
    near({ -1.0, 0.0, 1.0, 0 / 0, -1.0 }, values(f))
    assert.are.same({ true, false }, values(ts.abs(ts.array({ true, false }))))
    errors(function() return ts.sign(ts.array({ true })) end, "sign: not supported for bool arrays")
    errors(function() return -ts.array({ true }) end, "negative: not supported for bool arrays")
  end)

  it("arctan2 and power", function()
    local y, xx = { 1.0, 1.0, -1.0, -1.0, 0.0 }, { 1.0, -1.0, 1.0, -1.0, -1.0 }
    local expected = {}
    for k = 1, #y do expected[k] = math.atan(y[k], xx[k]) end
    near(expected, values(ts.arctan2(ts.array(y), ts.array(xx))))
    near({ math.pi / 4 }, values(ts.array({ 1 }):arctan2(ts.array({ 1 }))))
    assert.are.equal("float64", ts.arctan2(ts.array({ 1 }), ts.array({ 1 })).dtype)
    near({ 8, 9, 1 }, values(ts.power(ts.array({ 2, 3, 7 }), ts.array({ 3, 2, 0 }))))
    near({ 2 ^ 0.5, 3 ^ 0.5 }, values(ts.power(ts.array({ 2, 3 }), 0.5)))
    near({ 8.0 }, values(ts.array({ 2.0 }):pow(3)))
  end)

  it("isnan, isinf, isfinite", function()
    local v = ts.array({ 1.0, 0 / 0, math.huge, -math.huge, -0.0 })
    assert.are.same({ false, true, false, false, false }, values(ts.isnan(v)))
    assert.are.same({ false, false, true, true, false }, values(ts.isinf(v)))
    assert.are.same({ true, false, false, false, true }, values(ts.isfinite(v)))
    assert.are.same({ false, false }, values(ts.isnan(ts.array({ 1, 2 }))))
    assert.are.same({ true, true }, values(ts.isfinite(ts.array({ 1, 2 }, "u8"))))
    assert.are.equal("bool", v:isnan().dtype)
  end)

  it("accept Lua numbers and give Lua numbers", function()
    assert.are.equal(2.0, ts.sqrt(4))
    assert.are.equal(3, ts.abs(-3))
    assert.are.equal("integer", math.type(ts.abs(-3)))
    assert.are.equal(math.sin(1), ts.sin(1))
    assert.are.equal(3, ts.add(1, 2))
    assert.are.equal(0.5, ts.divide(1, 2))
    assert.are.equal(2, ts.maximum(1, 2))
    assert.are.equal(true, ts.lt(1, 2))
  end)
end)

describe("minimum, maximum, clip, where", function()
  it("minimum and maximum, NaN propagates from either side", function()
    local a, b = ts.array({ 1, 5, 3 }), ts.array({ 4, 2, 3 })
    near({ 1, 2, 3 }, values(ts.minimum(a, b)))
    near({ 4, 5, 3 }, values(ts.maximum(a, b)))
    near({ 1, 2, 3 }, values(a:minimum(b)))
    near({ 2, 5, 3 }, values(a:maximum(2)))
    local n = 0 / 0
    local p, q = ts.array({ 1.0, n, n, 2.0 }), ts.array({ n, 1.0, n, 3.0 })
    near({ n, n, n, 2.0 }, values(ts.minimum(p, q)))
    near({ n, n, n, 3.0 }, values(ts.maximum(p, q)))
    near({ n, n, n, 3.0 }, values(ts.maximum(q, p)))
    near({ n }, values(ts.minimum(ts.array({ 1.0 }), n)))
    assert.are.same({ false, true }, values(ts.maximum(ts.array({ false, true }), ts.array({ false, false }))))
  end)

  it("clip limits to [lo, hi]; nil leaves a side open", function()
    local a = ts.array({ -5, 0, 5, 10, 15 })
    near({ 0, 0, 5, 10, 10 }, values(ts.clip(a, 0, 10)))
    near({ 0, 0, 5, 10, 15 }, values(a:clip(0, nil)))
    near({ -5, 0, 5, 7, 7 }, values(a:clip(nil, 7)))
    near({ -5, 0, 5, 10, 15 }, values(a:clip(nil, nil)))
    near({ 0.5, 0.5, 5.0, 9.5, 9.5 }, values(a:clip(0.5, 9.5)))
    assert.are.equal("float64", a:clip(0.5, 9.5).dtype)
    near({ 1, 2, 3, 3 }, values(ts.array({ 0, 2, 5, 9 }):clip(ts.array({ 1, 1, 3, 3 }), ts.array({ 3 }))))
    local out = ts.zeros(5, "int64")
    ts.clip(a, 1, 2, out)
    near({ 1, 1, 2, 2, 2 }, values(out))
  end)

  it("where picks from a or b and broadcasts all three", function()
    local c = ts.array({ true, false, true })
    near({ 1, 20, 3 }, values(ts.where(c, ts.array({ 1, 2, 3 }), ts.array({ 10, 20, 30 }))))
    near({ 1.0, 2.5, 1.0 }, values(ts.where(c, 1, 2.5)))
    local w = ts.where(ts.array({ { true }, { false } }), ts.array({ 1, 2 }), 0)
    assert.are.same({ 2, 2 }, w.shape)
    near({ 1, 2, 0, 0 }, values(w))
    assert.are.equal("bool", ts.where(c, true, false).dtype)
    assert.are.same({ true, false, true }, values(ts.where(c, true, false)))
    -- a non-bool condition counts non-zero as true
    near({ 7, 0, 7 }, values(ts.where(ts.array({ 2, 0, -1 }), 7, 0)))
    assert.are.equal("float32", ts.where(c, ts.zeros(3, "f32"), 1).dtype)
    local out = ts.zeros(3)
    ts.where(c, 1, 2, { out = out })
    near({ 1.0, 2.0, 1.0 }, values(out))
    errors(function() ts.where({ true }, 1, 2) end, "where: expected an array at argument 1, got table")
    errors(function() ts.where(c, ts.zeros(2), 1) end, "where: cannot broadcast shapes")
  end)
end)

describe("out= and in-place methods", function()
  it("write into an out array given positionally or as {out = a}", function()
    local a, b = ts.array({ 1.0, 2.0 }), ts.array({ 3.0, 4.0 })
    local out = ts.zeros(2)
    local r = ts.add(a, b, out)
    assert.are.equal(out, r)
    near({ 4.0, 6.0 }, values(out))
    local r2 = ts.multiply(a, b, { out = out })
    assert.are.equal(out, r2)
    near({ 3.0, 8.0 }, values(out))
    local r3 = a:sub(b, out)
    assert.are.equal(out, r3)
    near({ -2.0, -2.0 }, values(out))
    ts.sqrt(ts.array({ 4.0, 9.0 }), out)
    near({ 2.0, 3.0 }, values(out))
    ts.sqrt(ts.array({ 16.0, 25.0 }), { out = out })
    near({ 4.0, 5.0 }, values(out))
    -- a table without out means no out
    near({ 4.0, 6.0 }, values(ts.add(a, b, {})))
  end)

  it("out may be a view and receives a cast", function()
    local m = ts.zeros(2, 3)
    ts.add(ts.array({ 1, 2, 3 }), 1, m[2])
    near({ 0.0, 0.0, 0.0, 2.0, 3.0, 4.0 }, values(m))
    local i32 = ts.zeros(3, "i32")
    ts.add(ts.array({ 1, 2, 3 }), ts.array({ 1, 1, 1 }), i32)  -- int64 result into int32: same kind
    near({ 2, 3, 4 }, values(i32))
    local f32 = ts.zeros(2, "f32")
    ts.divide(ts.array({ 1, 3 }), 2, f32)
    near({ 0.5, 1.5 }, values(f32))
    local bo = ts.zeros(2, "bool")
    ts.lt(ts.array({ 1, 3 }), 2, bo)
    assert.are.same({ true, false }, values(bo))
    local fo = ts.zeros(2)
    ts.lt(ts.array({ 1, 3 }), 2, fo)  -- bool into float64 is safe
    near({ 1.0, 0.0 }, values(fo))
  end)

  it("refuse outs of the wrong shape or kind", function()
    errors(function() ts.add(ts.zeros(3), 1, ts.zeros(4)) end, "add: out has shape (4), expected (3)")
    errors(function() ts.add(ts.zeros(3), 1, ts.zeros(3, 1)) end, "add: out has shape (3,1), expected (3)")
    errors(function() ts.divide(ts.array({ 1 }), 2, ts.zeros(1, "i64")) end, "divide: cannot cast float64 result of divide to int64 output")
    errors(function() ts.add(ts.zeros(1), 1, ts.zeros(1, "bool")) end, "add: cannot cast float64 result of add to bool output")
    errors(function() ts.sqrt(ts.zeros(1), ts.zeros(1, "i32")) end, "sqrt: cannot cast float64 result of sqrt to int32 output")
    errors(function() ts.add(ts.zeros(1), 1, { out = 5 }) end, "add: expected an array for 'out', got number")
    errors(function() ts.add(ts.zeros(1), 1, "x") end, "add: expected an array at argument 3, got string")
  end)

  it("in-place methods write into self and return it", function()
    local a = ts.array({ 1, 2, 3 })
    assert.are.equal(a, a:add_(1))
    near({ 2, 3, 4 }, values(a))
    a:mul_(ts.array({ 2, 3, 4 }))
    near({ 4, 9, 16 }, values(a))
    a:sub_(1)
    near({ 3, 8, 15 }, values(a))
    a:idiv_(2)
    near({ 1, 4, 7 }, values(a))
    a:mod_(3)
    near({ 1, 1, 1 }, values(a))
    a:pow_(ts.array({ 1, 2, 3 }))
    near({ 1, 1, 1 }, values(a))
    a:maximum_(ts.array({ 0, 5, 1 }))
    near({ 1, 5, 1 }, values(a))
    a:minimum_(2)
    near({ 1, 2, 1 }, values(a))
    local f = ts.array({ 1.0, 4.0, 9.0 })
    assert.are.equal(f, f:sqrt_())
    near({ 1.0, 2.0, 3.0 }, values(f))
    f:div_(2)
    near({ 0.5, 1.0, 1.5 }, values(f))
    f:negative_()
    near({ -0.5, -1.0, -1.5 }, values(f))
    f:abs_()
    near({ 0.5, 1.0, 1.5 }, values(f))
    f:floor_()
    near({ 0.0, 1.0, 1.0 }, values(f))
    assert.are.equal(f, f:fill_(7))
    near({ 7.0, 7.0, 7.0 }, values(f))
    assert.are.equal(f, f:copy_(ts.array({ 1, 2, 3 })))
    near({ 1.0, 2.0, 3.0 }, values(f))
    f:copy_(ts.array(5))  -- broadcast
    near({ 5.0, 5.0, 5.0 }, values(f))
  end)

  it("in-place on a view writes the parent", function()
    local m = ts.zeros(3, 3)
    m[{ {}, 2 }]:add_(1)
    m:T()[3]:fill_(2)
    near({ 0.0, 1.0, 2.0, 0.0, 1.0, 2.0, 0.0, 1.0, 2.0 }, values(m))
    m[{ { -1, 1, -1 } }]:mul_(ts.array({ { 1 }, { 2 }, { 3 } }))  -- rows reversed: row 3 * 1, row 1 * 3
    near({ 0.0, 3.0, 6.0, 0.0, 2.0, 4.0, 0.0, 1.0, 2.0 }, values(m))
  end)

  it("follow NumPy's same_kind rule", function()
    local i = ts.array({ 1, 2 })
    errors(function() i:div_(2) end, "divide: cannot cast float64 result of divide to int64 output")
    errors(function() i:add_(1.5) end, "add: cannot cast float64 result of add to int64 output")
    errors(function() i:sqrt_() end, "sqrt: cannot cast float64 result of sqrt to int64 output")
    errors(function() ts.array({ true }):add_(1) end, "add: cannot cast int64 result of add to bool output")
    errors(function() i:add_(ts.zeros(2, 2)) end, "add: out has shape (2), expected (2,2)")
    near({ 1, 2 }, values(i))  -- untouched by the failures
    local u = ts.array({ 250 }, "u8")
    errors(function() u:add_(300) end, "add: Lua integer 300 is out of range for uint8")
    u:add_(10)  -- wraps
    near({ 4 }, values(u))
    local i32 = ts.array({ 1 }, "i32")
    i32:add_(ts.array({ 2 }))  -- int64 into int32: same kind
    near({ 3 }, values(i32))
    local f32 = ts.array({ 1 }, "f32")
    f32:add_(ts.array({ 0.5 }))  -- float64 into float32
    near({ 1.5 }, values(f32))
    f32:add_(ts.array({ 1 }))  -- int into float
    near({ 2.5 }, values(f32))
  end)

  it("out aliasing an input reads the original values", function()
    local m = ts.array({ { 1, 2, 3 }, { 4, 5, 6 }, { 7, 8, 9 } })
    m:add_(m:T())
    near({ 2, 6, 10, 6, 10, 14, 10, 14, 18 }, values(m))
    local f = ts.array({ { 1.0, 2.0 }, { 3.0, 4.0 } })
    ts.subtract(f, f:T(), f)
    near({ 0.0, -1.0, 1.0, 0.0 }, values(f))
    local v = ts.arange(5)
    ts.add(v[{ { 1, 4 } }], v[{ { 2, 5 } }], v[{ { 2, 5 } }])  -- shifted overlap
    near({ 1, 3, 5, 7, 9 }, values(v))
    local r = ts.arange(4)
    r:mul_(r[{ { -1, 1, -1 } }])
    near({ 4, 6, 6, 4 }, values(r))
    local s = ts.array({ 1.0, 4.0 })
    ts.sqrt(s, s)
    near({ 1.0, 2.0 }, values(s))
    local n = ts.array({ 1.0, 2.0, 3.0 })
    ts.negative(n[{ { -1, 1, -1 } }], n)
    near({ -3.0, -2.0, -1.0 }, values(n))
    local w = ts.array({ 1, 2, 3 })
    w:copy_(w[{ { -1, 1, -1 } }])
    near({ 3, 2, 1 }, values(w))
  end)

  it("fill_ and copy_ check their arguments", function()
    local a = ts.zeros(3)
    errors(function() a:fill_("x") end, "fill_: expected a number, boolean or complex value at argument 2, got string")
    errors(function() ts.zeros(2, "u8"):fill_(256) end, "fill_: Lua integer 256 is out of range for uint8")
    errors(function() a:copy_({ 1, 2, 3 }) end, "copy_: expected an array at argument 2, got table")
    errors(function() a:copy_(ts.zeros(4)) end, "copy_: cannot broadcast shape (4) to (3)")
    assert.are.same({ true, true }, values(ts.zeros(2, "bool"):fill_(true)))
    near({ 2, 2 }, values(ts.zeros(2, "i32"):fill_(2.7)))
  end)
end)
