-- Array creation: ts.array, zeros/ones/empty/full, arange, linspace, eye,
-- *_like, and the basic attributes. Expected values are written by hand.
local ts = require "tessera"

-- Row-major list of all elements, read one by one with a:get.
local function values(a)
  if a.ndim == 0 then return { a:get() } end
  local shape, idx, out = a.shape, {}, {}
  for d = 1, #shape do idx[d] = 1 end
  for k = 1, a.size do
    out[k] = a:get(table.unpack(idx))
    for d = #shape, 1, -1 do
      idx[d] = idx[d] + 1
      if idx[d] <= shape[d] then break end
      idx[d] = 1
    end
  end
  return out
end

local function errors(fn, needle)
  local ok, err = pcall(fn)
  assert(not ok, "expected an error containing '" .. needle .. "'")
  err = tostring(err)
  assert(err:find(needle, 1, true), ("error '%s' does not contain '%s'"):format(err, needle))
end

local function same_type_values(expected, actual)
  assert.are.same(expected, actual)
  for i = 1, #expected do
    assert.are.equal(math.type(expected[i]) or type(expected[i]),
                     math.type(actual[i]) or type(actual[i]), "type of element " .. i)
  end
end

describe("ts.array", function()
  it("builds from nested tables in row-major order", function()
    local a = ts.array({ { 1, 2, 3 }, { 4, 5, 6 } })
    assert.are.same({ 2, 3 }, a.shape)
    assert.are.equal("int64", a.dtype)
    assert.are.equal(2, a.ndim)
    assert.are.equal(6, a.size)
    assert.are.equal(2, #a)
    same_type_values({ 1, 2, 3, 4, 5, 6 }, values(a))
    assert.are.equal(6, a:get(2, 3))
    assert.are.equal(4, a:get(-1, 1))
  end)

  it("builds 3-d arrays", function()
    local a = ts.array({ { { 1, 2 }, { 3, 4 } }, { { 5, 6 }, { 7, 8 } }, { { 9, 10 }, { 11, 12 } } })
    assert.are.same({ 3, 2, 2 }, a.shape)
    assert.are.same({ 4, 2, 1 }, a:strides())
    assert.are.equal(7, a:get(2, 2, 1))
    assert.are.equal(12, a:get(3, 2, 2))
  end)

  it("infers int64 from Lua integers", function()
    assert.are.equal("int64", ts.array({ 1, 2 }).dtype)
    same_type_values({ 1, 2 }, values(ts.array({ 1, 2 })))
  end)

  it("infers float64 when any value is a float", function()
    local a = ts.array({ 1, 2.5, 3 })
    assert.are.equal("float64", a.dtype)
    same_type_values({ 1.0, 2.5, 3.0 }, values(a))
    assert.are.equal("float64", ts.array({ { 1, 2 }, { 3, 4.0 } }).dtype)
    -- 1.0 is a Lua float even though it is integral
    assert.are.equal("float64", ts.array({ 1.0 }).dtype)
  end)

  it("infers bool from booleans", function()
    local a = ts.array({ true, false, true })
    assert.are.equal("bool", a.dtype)
    same_type_values({ true, false, true }, values(a))
  end)

  it("mixes booleans with numbers as NumPy does", function()
    -- np.array([True, 2]) is int64; np.array([True, 2.5]) is float64
    local a = ts.array({ true, 2 })
    assert.are.equal("int64", a.dtype)
    same_type_values({ 1, 2 }, values(a))
    local b = ts.array({ false, 2.5 })
    assert.are.equal("float64", b.dtype)
    same_type_values({ 0.0, 2.5 }, values(b))
    assert.are.equal("int64", ts.array({ 3, true }).dtype)
  end)

  it("accepts an explicit dtype and its aliases", function()
    local cases = {
      float64 = "float64", f64 = "float64", double = "float64",
      float = "float64",  -- NumPy: np.dtype("float") is float64
      float32 = "float32", f32 = "float32",
      int64 = "int64", i64 = "int64", int = "int64",
      int32 = "int32", i32 = "int32",
      uint8 = "uint8", u8 = "uint8",
      bool = "bool",
    }
    for name, canonical in pairs(cases) do
      assert.are.equal(canonical, ts.array({ 1, 2 }, name).dtype, name)
    end
    same_type_values({ 1.0, 2.0 }, values(ts.array({ 1, 2 }, "f32")))
    same_type_values({ 1, 2 }, values(ts.array({ 1.9, 2.2 }, "i32")))  -- truncation
    same_type_values({ -1, 2 }, values(ts.array({ -1.9, 2.2 }, "i64")))
    same_type_values({ true, false, true }, values(ts.array({ 2, 0, -1 }, "bool")))
    same_type_values({ 1, 0 }, values(ts.array({ true, false }, "u8")))
  end)

  it("stores float32 values rounded to single precision", function()
    local a = ts.array({ 0.1 }, "float32")
    assert.are_not.equal(0.1, a:get(1))
    assert.is_true(math.abs(a:get(1) - 0.1) < 1e-8)
    assert.are.equal(16777216.0, ts.array({ 16777217 }, "f32"):get(1))  -- 2^24 + 1 rounds
  end)

  it("makes a 0-d array from a number or boolean", function()
    local a = ts.array(3)
    assert.are.equal(0, a.ndim)
    assert.are.same({}, a.shape)
    assert.are.equal(1, a.size)
    assert.are.equal("int64", a.dtype)
    assert.are.equal(3, a:get())
    assert.are.equal("float64", ts.array(2.5).dtype)
    assert.are.equal(2.5, ts.array(2.5):get())
    assert.are.equal("bool", ts.array(true).dtype)
    assert.are.equal(true, ts.array(true):get())
    assert.are.equal("float32", ts.array(7, "f32").dtype)
    assert.are.equal(7.0, ts.array(7, "f32"):get())
  end)

  it("copies another array", function()
    local a = ts.array({ 1, 2, 3 })
    local b = ts.array(a)
    b:set(1, 100)
    assert.are.equal(1, a:get(1))
    local c = ts.array(a, "float32")
    assert.are.equal("float32", c.dtype)
    same_type_values({ 1.0, 2.0, 3.0 }, values(c))
    -- a non-contiguous source copies its logical order
    local t = ts.array({ { 1, 2 }, { 3, 4 } }):T()
    local d = ts.array(t)
    assert.is_true(d:is_contiguous())
    assert.are.same({ 1, 3, 2, 4 }, values(d))
  end)

  it("makes empty arrays from empty tables", function()
    local a = ts.array({})
    assert.are.same({ 0 }, a.shape)
    assert.are.equal(0, a.size)
    assert.are.equal("float64", a.dtype)
    local b = ts.array({ {}, {} })
    assert.are.same({ 2, 0 }, b.shape)
    assert.are.equal("int32", ts.array({}, "i32").dtype)
  end)

  it("rejects ragged nested tables", function()
    errors(function() ts.array({ { 1, 2 }, { 3 } }) end, "array: ragged nested table")
    errors(function() ts.array({ { 1, 2 }, 3 }) end, "array: ragged nested table")
    errors(function() ts.array({ 1, { 2 } }) end, "array: ragged nested table")
    errors(function() ts.array({ { 1 }, { { 2 } } }) end, "array: ragged nested table")
    errors(function() ts.array({ { { 2 } }, { 1 } }) end, "array: ragged nested table")
    errors(function() ts.array({ {}, { 1 } }) end, "array: ragged nested table")
    errors(function() ts.array({ { 1, 2 }, { 3, 4 }, { 5 } }) end, "array: ragged nested table")
    local loop = {}
    loop[1] = loop
    errors(function() ts.array(loop) end, "array: nested tables deeper than 16")
  end)

  it("rejects non-numeric leaves and bad arguments", function()
    errors(function() ts.array({ 1, "2" }) end, "array: expected numbers or booleans in nested table, got string")
    errors(function() ts.array({ 1, {} , 3 }) end, "array:")
    errors(function() ts.array("abc") end, "array: expected a table, number or array at argument 1, got string")
    errors(function() ts.array() end, "array: expected a table, number or array at argument 1, got no value")
    errors(function() ts.array({ 1 }, "f16") end, "array: unknown dtype 'f16'")
    errors(function() ts.array({ 1 }, 5) end, "array: expected a dtype name at argument 2, got number")
  end)

  it("refuses integers that do not fit an explicit dtype", function()
    errors(function() ts.array({ 1, 300 }, "uint8") end, "array: Lua integer 300 is out of range for uint8")
    errors(function() ts.array({ -1 }, "u8") end, "out of range for uint8")
    errors(function() ts.array({ 2 ^ 31 // 1 | 0 }, "int32") end, "out of range for int32")
    errors(function() ts.array(256, "u8") end, "out of range for uint8")
    -- the limits themselves fit
    assert.are.same({ 0, 255 }, values(ts.array({ 0, 255 }, "u8")))
    assert.are.same({ -2147483648, 2147483647 }, values(ts.array({ -2147483648, 2147483647 }, "i32")))
    assert.are.same({ math.mininteger, math.maxinteger }, values(ts.array({ math.mininteger, math.maxinteger })))
  end)
end)

describe("zeros, ones, empty, full", function()
  it("take the shape as a table or as numbers", function()
    for _, a in ipairs({ ts.zeros({ 2, 3 }), ts.zeros(2, 3) }) do
      assert.are.same({ 2, 3 }, a.shape)
      assert.are.equal("float64", a.dtype)
      same_type_values({ 0.0, 0.0, 0.0, 0.0, 0.0, 0.0 }, values(a))
    end
    assert.are.same({ 4 }, ts.zeros(4).shape)
    assert.are.same({ 2, 1, 3 }, ts.ones(2, 1, 3).shape)
  end)

  it("take a dtype after the shape", function()
    assert.are.equal("int32", ts.zeros({ 2, 2 }, "int32").dtype)
    assert.are.equal("int32", ts.zeros(2, 2, "i32").dtype)
    same_type_values({ 1, 1 }, values(ts.ones(2, "i64")))
    same_type_values({ true, true }, values(ts.ones(2, "bool")))
    same_type_values({ false }, values(ts.zeros(1, "bool")))
    same_type_values({ 1, 1, 1 }, values(ts.ones({ 3 }, "u8")))
    same_type_values({ 1.0 }, values(ts.ones(1, "f32")))
    assert.are.equal("float64", ts.empty(3).dtype)
    assert.are.same({ 3, 2 }, ts.empty({ 3, 2 }, "u8").shape)
  end)

  it("make 0-d and empty arrays", function()
    local z = ts.zeros({})
    assert.are.equal(0, z.ndim)
    assert.are.equal(1, z.size)
    assert.are.equal(0.0, z:get())
    local e = ts.zeros(0)
    assert.are.same({ 0 }, e.shape)
    assert.are.equal(0, e.size)
    local e2 = ts.ones(3, 0, 2)
    assert.are.same({ 3, 0, 2 }, e2.shape)
    assert.are.equal(0, e2.size)
  end)

  it("full fills with a value and takes its dtype from it", function()
    local a = ts.full({ 2, 2 }, 7)
    assert.are.equal("int64", a.dtype)
    same_type_values({ 7, 7, 7, 7 }, values(a))
    assert.are.equal("float64", ts.full(3, 1.5).dtype)
    same_type_values({ 1.5, 1.5, 1.5 }, values(ts.full(3, 1.5)))
    assert.are.equal("bool", ts.full(2, true).dtype)
    same_type_values({ true, true }, values(ts.full(2, true)))
    local b = ts.full({ 2 }, 7, "float32")
    assert.are.equal("float32", b.dtype)
    same_type_values({ 7.0, 7.0 }, values(b))
    same_type_values({ 2, 2 }, values(ts.full(2, 2.9, "i32")))
  end)

  it("reject bad shapes with the function's name", function()
    errors(function() ts.zeros(-3) end, "zeros: negative dimension -3")
    errors(function() ts.ones({ 2, -1 }) end, "ones: negative dimension -1")
    errors(function() ts.empty(2, -5) end, "empty: negative dimension -5")
    errors(function() ts.full({ -2 }, 1) end, "full: negative dimension -2")
    errors(function() ts.full(-2, 1) end, "full: negative dimension -2")
    errors(function() ts.zeros(2.5) end, "zeros: expected an integer dimension, got 2.5")
    errors(function() ts.zeros({ 2, "x" }) end, "zeros: expected an integer dimension, got string")
    errors(function() ts.zeros() end, "zeros: expected a shape")
    errors(function() ts.zeros("3") end, "zeros: expected a shape")
    errors(function() ts.zeros(true) end, "zeros: expected a shape")
    errors(function() ts.zeros(3, "f16") end, "zeros: unknown dtype 'f16'")
    errors(function() ts.zeros({ 3 }, 4) end, "zeros: expected a dtype name at argument 2, got number")
    errors(function() ts.full({ 2 }) end, "full: expected a fill value at argument 2, got no value")
    errors(function() ts.full({ 2 }, "x") end, "full: expected a fill value")
    errors(function() ts.full("x", 1) end, "full: expected a shape table at argument 1, got string")
    errors(function() ts.full({ 2 }, 300, "u8") end, "full: Lua integer 300 is out of range for uint8")
    local dims = {}
    for i = 1, 17 do dims[i] = 1 end
    errors(function() ts.zeros(dims) end, "zeros: at most 16 dimensions")
  end)

  it("fail with an error, not an abort, when the size is absurd", function()
    errors(function() ts.zeros(10 ^ 15) end, "zeros:")
    errors(function() ts.zeros(math.tointeger(10 ^ 15)) end, "zeros:")
    errors(function() ts.ones(1 << 62) end, "ones:")
    errors(function() ts.empty(1 << 40, 1 << 40) end, "empty:")  -- overflows int64
    errors(function() ts.zeros(4, 1 << 61) end, "too large")
    errors(function() ts.full({ 1 << 50, 1 << 50 }, 1) end, "full:")
  end)
end)

describe("*_like", function()
  local a = ts.array({ { 1, 2, 3 }, { 4, 5, 6 } }, "int32")

  it("copy shape and dtype", function()
    local z = ts.zeros_like(a)
    assert.are.same({ 2, 3 }, z.shape)
    assert.are.equal("int32", z.dtype)
    same_type_values({ 0, 0, 0, 0, 0, 0 }, values(z))
    same_type_values({ 1, 1, 1, 1, 1, 1 }, values(ts.ones_like(a)))
    local f = ts.full_like(a, 9)
    assert.are.equal("int32", f.dtype)
    same_type_values({ 9, 9, 9, 9, 9, 9 }, values(f))
    same_type_values({ 2, 2, 2, 2, 2, 2 }, values(ts.full_like(a, 2.7)))  -- cast to int32
  end)

  it("take a dtype", function()
    assert.are.equal("float32", ts.zeros_like(a, "f32").dtype)
    assert.are.equal("bool", ts.ones_like(a, "bool").dtype)
    local f = ts.full_like(a, 2.5, "float64")
    same_type_values({ 2.5, 2.5, 2.5, 2.5, 2.5, 2.5 }, values(f))
  end)

  it("follow a view's logical shape and make contiguous arrays", function()
    local z = ts.zeros_like(a:T())
    assert.are.same({ 3, 2 }, z.shape)
    assert.is_true(z:is_contiguous())
  end)

  it("reject bad arguments", function()
    errors(function() ts.zeros_like({ 1, 2 }) end, "zeros_like: expected an array at argument 1, got table")
    errors(function() ts.full_like(a) end, "full_like: expected a fill value at argument 2, got no value")
    errors(function() ts.ones_like(a, "x") end, "ones_like: unknown dtype 'x'")
    errors(function() ts.full_like(ts.zeros(2, "u8"), -1) end, "full_like: Lua integer -1 is out of range for uint8")
  end)
end)

describe("ts.arange", function()
  it("arange(n) is 1..n", function()
    same_type_values({ 1, 2, 3, 4, 5 }, values(ts.arange(5)))
    assert.are.equal("int64", ts.arange(5).dtype)
    assert.are.same({ 1 }, values(ts.arange(1)))
    assert.are.equal(0, ts.arange(0).size)
    assert.are.equal(0, ts.arange(-3).size)
  end)

  it("is inclusive, like Lua's numeric for", function()
    same_type_values({ 2, 3, 4, 5 }, values(ts.arange(2, 5)))
    same_type_values({ 1, 3, 5, 7, 9 }, values(ts.arange(1, 10, 2)))
    same_type_values({ 1, 3, 5, 7 }, values(ts.arange(1, 8, 2)))
    same_type_values({ -2, -1, 0, 1 }, values(ts.arange(-2, 1)))
    same_type_values({ 3 }, values(ts.arange(3, 3)))
    assert.are.equal(0, ts.arange(5, 4).size)
  end)

  it("counts down with a negative step", function()
    same_type_values({ 5, 4, 3, 2, 1 }, values(ts.arange(5, 1, -1)))
    same_type_values({ 10, 7, 4, 1 }, values(ts.arange(10, 0, -3)))
    assert.are.equal(0, ts.arange(1, 5, -1).size)
  end)

  it("matches Lua's for loop element by element", function()
    local cases = { { 1, 10, 3 }, { -5, 5, 2 }, { 7, -7, -4 }, { 0, 0, 1 }, { 0, 100, 7 } }
    for _, c in ipairs(cases) do
      local expected = {}
      for x = c[1], c[2], c[3] do expected[#expected + 1] = x end
      same_type_values(expected, values(ts.arange(c[1], c[2], c[3])))
    end
  end)

  it("handles float steps", function()
    local a = ts.arange(0, 1, 0.25)
    assert.are.equal("float64", a.dtype)
    same_type_values({ 0.0, 0.25, 0.5, 0.75, 1.0 }, values(a))
    local b = ts.arange(1, 2, 0.5)
    same_type_values({ 1.0, 1.5, 2.0 }, values(b))
    local c = ts.arange(1.0, 3)
    same_type_values({ 1.0, 2.0, 3.0 }, values(c))
    same_type_values({ 2.0, 1.5, 1.0, 0.5 }, values(ts.arange(2, 0.5, -0.5)))
    -- 0, 0.1, ..., 1.0: 11 elements, the last within rounding of 1
    local d = ts.arange(0, 1, 0.1)
    assert.are.equal(11, d.size)
    assert.is_true(math.abs(d:get(11) - 1) < 1e-12)
    assert.is_true(math.abs(d:get(4) - 0.3) < 1e-12)
    -- step past the end: only the first
    same_type_values({ 0.0 }, values(ts.arange(0, 1, 1.5)))
  end)

  it("keeps integer bounds exact beyond 2^53", function()
    local big = (1 << 53) + 1
    local a = ts.arange(big, big + 2)
    assert.are.same({ big, big + 1, big + 2 }, values(a))
    local b = ts.arange(math.maxinteger - 2, math.maxinteger)
    assert.are.same({ math.maxinteger - 2, math.maxinteger - 1, math.maxinteger }, values(b))
    local c = ts.arange(math.mininteger, math.mininteger + 4, 2)
    assert.are.same({ math.mininteger, math.mininteger + 2, math.mininteger + 4 }, values(c))
    local d = ts.arange(math.maxinteger, math.maxinteger - 10, math.mininteger)
    assert.are.same({ math.maxinteger }, values(d))
  end)

  it("takes a dtype", function()
    local a = ts.arange(3, "int32")
    assert.are.equal("int32", a.dtype)
    assert.are.same({ 1, 2, 3 }, values(a))
    same_type_values({ 1.0, 3.0 }, values(ts.arange(1, 3, 2, "f32")))
    same_type_values({ 0.0, 1.0 }, values(ts.arange(0, 1, "float64")))
  end)

  it("rejects bad arguments", function()
    errors(function() ts.arange(1, 5, 0) end, "arange: step must not be zero")
    errors(function() ts.arange(1, 5, 0.0) end, "arange: step must not be zero")
    errors(function() ts.arange() end, "arange: expected numbers")
    errors(function() ts.arange("x") end, "arange: expected numbers")
    errors(function() ts.arange(0, math.huge) end, "arange: bounds and step must be finite")
    errors(function() ts.arange(0, 0 / 0) end, "arange:")
    errors(function() ts.arange(math.mininteger, math.maxinteger) end, "arange:")
    errors(function() ts.arange(0, 1e300, 1e-300) end, "arange:")
    errors(function() ts.arange(3, "f16") end, "arange: unknown dtype 'f16'")
  end)
end)

describe("ts.linspace", function()
  it("includes both ends", function()
    local a = ts.linspace(0, 1, 5)
    assert.are.equal("float64", a.dtype)
    same_type_values({ 0.0, 0.25, 0.5, 0.75, 1.0 }, values(a))
    same_type_values({ 10.0, 5.0, 0.0 }, values(ts.linspace(10, 0, 3)))
    same_type_values({ 2.0 }, values(ts.linspace(2, 5, 1)))
    assert.are.equal(0, ts.linspace(0, 1, 0).size)
  end)

  it("defaults to 50 samples and hits the end exactly", function()
    local a = ts.linspace(0, 0.3)
    assert.are.equal(50, a.size)
    assert.are.equal(0.3, a:get(50))
    assert.is_true(math.abs(a:get(2) - 0.3 / 49) < 1e-15)
  end)

  it("takes a dtype", function()
    local a = ts.linspace(0, 4, 5, "int32")
    assert.are.equal("int32", a.dtype)
    assert.are.same({ 0, 1, 2, 3, 4 }, values(a))
    assert.are.equal("float32", ts.linspace(0, 1, 3, "f32").dtype)
  end)

  it("rejects bad arguments", function()
    errors(function() ts.linspace(0, 1, -1) end, "linspace: number of samples must be non-negative, got -1")
    errors(function() ts.linspace(0) end, "linspace: expected a number for stop, got no value")
    errors(function() ts.linspace("a", 1) end, "linspace: expected a number for start, got string")
    errors(function() ts.linspace(0, 1, 2.5) end, "linspace: expected an integer count, got 2.5")
  end)
end)

describe("ts.eye", function()
  it("has ones on the diagonal", function()
    local a = ts.eye(3)
    assert.are.same({ 3, 3 }, a.shape)
    assert.are.equal("float64", a.dtype)
    same_type_values({ 1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 1.0 }, values(a))
  end)

  it("can be rectangular and typed", function()
    assert.are.same({ 1, 0, 0, 0, 1, 0 }, values(ts.eye(2, 3, "i32")))
    assert.are.same({ 1, 0, 0, 1, 0, 0 }, values(ts.eye(3, 2, "int64")))
    assert.are.equal("int32", ts.eye(2, "i32").dtype)
    assert.are.same({ true, false, false, true }, values(ts.eye(2, "bool")))
    assert.are.same({ 0, 0 }, ts.eye(0).shape)
  end)

  it("rejects bad arguments", function()
    errors(function() ts.eye(-1) end, "eye: negative dimension -1")
    errors(function() ts.eye(2, -4) end, "eye: negative dimension -4")
    errors(function() ts.eye("x") end, "eye: expected an integer size, got string")
    errors(function() ts.eye(2, "q") end, "eye: unknown dtype 'q'")
  end)
end)

describe("attributes", function()
  it("shape, dtype, ndim, size and #a", function()
    local a = ts.zeros(4, 5, 6, "int32")
    assert.are.same({ 4, 5, 6 }, a.shape)
    assert.are.equal("int32", a.dtype)
    assert.are.equal(3, a.ndim)
    assert.are.equal(120, a.size)
    assert.are.equal(4, #a)
    assert.are.equal(0, #ts.zeros(0, 3))
    -- the shape table is a fresh copy
    local s = a.shape
    s[1] = 99
    assert.are.same({ 4, 5, 6 }, a.shape)
    assert.is_nil(a.no_such_field)
  end)

  it("strides are in elements, and views report theirs", function()
    local a = ts.zeros(4, 5, 6, "uint8")
    assert.are.same({ 30, 6, 1 }, a:strides())
    assert.are.same({ 30, 6, 1 }, ts.zeros(4, 5, 6):strides())
    assert.are.same({ 1, 6, 30 }, a:T():strides())
    assert.are.same({ 30, 12, -1 }, a[{ {}, { 1, 5, 2 }, { -1, 1, -1 } }]:strides())
    assert.are.same({}, ts.array(1):strides())
  end)

  it("is_contiguous", function()
    local a = ts.zeros(3, 4)
    assert.is_true(a:is_contiguous())
    assert.is_false(a:T():is_contiguous())
    assert.is_true(a[2]:is_contiguous())
    assert.is_false(a[{ {}, 2 }]:is_contiguous())
    assert.is_true(a[{ { 2, 3 } }]:is_contiguous())
    assert.is_false(a[{ {}, { 1, 2 } }]:is_contiguous())
    assert.is_true(ts.zeros(3, 1):T():is_contiguous())  -- extent-1 dims do not matter
    assert.is_true(ts.zeros(0, 5):T():is_contiguous())
    assert.is_false(ts.arange(3):broadcast_to(2, 3):is_contiguous())
  end)

  it("#a of a 0-d array is an error", function()
    errors(function() return #ts.array(1) end, "len: a 0-d array has no length")
  end)
end)
