-- Type promotion: NumPy's table for every pair of the six dtypes, and Lua
-- numbers as weak scalars (NEP 50). The table below is NumPy's
-- np.result_type for these dtypes, written out by hand.
local ts = require "tessera"
local h = require "helpers"

local errors = h.errors

local dtypes = { "bool", "uint8", "int32", "int64", "float32", "float64" }

-- NumPy: np.result_type(row, col)
local result = {
  bool    = { bool = "bool",    uint8 = "uint8",   int32 = "int32",   int64 = "int64",   float32 = "float32", float64 = "float64" },
  uint8   = { bool = "uint8",   uint8 = "uint8",   int32 = "int32",   int64 = "int64",   float32 = "float32", float64 = "float64" },
  int32   = { bool = "int32",   uint8 = "int32",   int32 = "int32",   int64 = "int64",   float32 = "float64", float64 = "float64" },
  int64   = { bool = "int64",   uint8 = "int64",   int32 = "int64",   int64 = "int64",   float32 = "float64", float64 = "float64" },
  float32 = { bool = "float32", uint8 = "float32", int32 = "float64", int64 = "float64", float32 = "float32", float64 = "float64" },
  float64 = { bool = "float64", uint8 = "float64", int32 = "float64", int64 = "float64", float32 = "float64", float64 = "float64" },
}

local function arr(dtype, v)
  if v == nil then v = 1 end
  return ts.array({ v }, dtype)
end

describe("array-array promotion", function()
  it("the table is symmetric", function()
    for _, a in ipairs(dtypes) do
      for _, b in ipairs(dtypes) do assert.are.equal(result[a][b], result[b][a], a .. "," .. b) end
    end
  end)

  it("a + b has NumPy's result dtype for every pair", function()
    for _, a in ipairs(dtypes) do
      for _, b in ipairs(dtypes) do
        local r = arr(a) + arr(b)
        assert.are.equal(result[a][b], r.dtype, a .. " + " .. b)
        assert.are.equal(result[a][b], ts.add(arr(a), arr(b)).dtype, "ts.add " .. a .. ", " .. b)
      end
    end
  end)

  it("*, minimum and maximum follow the same table", function()
    for _, a in ipairs(dtypes) do
      for _, b in ipairs(dtypes) do
        assert.are.equal(result[a][b], (arr(a) * arr(b)).dtype, a .. " * " .. b)
        assert.are.equal(result[a][b], ts.minimum(arr(a), arr(b)).dtype, "minimum " .. a .. ", " .. b)
        assert.are.equal(result[a][b], ts.maximum(arr(a), arr(b)).dtype, "maximum " .. a .. ", " .. b)
      end
    end
  end)

  it("- // % ^ follow the table except bool with bool", function()
    for _, a in ipairs(dtypes) do
      for _, b in ipairs(dtypes) do
        if not (a == "bool" and b == "bool") then
          local two = arr(a, a == "bool" and true or 2)
          local one = arr(b, b == "bool" and true or 1)
          assert.are.equal(result[a][b], (two - one).dtype, a .. " - " .. b)
          assert.are.equal(result[a][b], (two // one).dtype, a .. " // " .. b)
          assert.are.equal(result[a][b], (two % one).dtype, a .. " % " .. b)
          assert.are.equal(result[a][b], (two ^ one).dtype, a .. " ^ " .. b)
        end
      end
    end
    errors(function() return arr("bool") - arr("bool") end, "subtract: not supported for bool operands")
  end)

  it("/ gives the float of the table, float64 for integers and bools", function()
    for _, a in ipairs(dtypes) do
      for _, b in ipairs(dtypes) do
        local r = result[a][b]
        local expected = (r == "float32" or r == "float64") and r or "float64"
        assert.are.equal(expected, (arr(a) / arr(b)).dtype, a .. " / " .. b)
      end
    end
  end)

  it("comparisons give bool for every pair", function()
    for _, a in ipairs(dtypes) do
      for _, b in ipairs(dtypes) do
        for _, op in ipairs({ "eq", "ne", "lt", "le", "gt", "ge" }) do
          local r = ts[op](arr(a), arr(b))
          assert.are.equal("bool", r.dtype, op .. " " .. a .. ", " .. b)
        end
        assert.are.equal(true, ts.eq(arr(a), arr(b)):get(1), a .. " == " .. b)  -- 1 == 1 == true
      end
    end
  end)

  it("bitwise ops promote among bool and integers", function()
    local ints = { "bool", "uint8", "int32", "int64" }
    for _, a in ipairs(ints) do
      for _, b in ipairs(ints) do
        assert.are.equal(result[a][b], (arr(a) & arr(b)).dtype, a .. " & " .. b)
        assert.are.equal(result[a][b], (arr(a) | arr(b)).dtype, a .. " | " .. b)
        assert.are.equal(result[a][b], (arr(a) ~ arr(b)).dtype, a .. " ~ " .. b)
      end
    end
  end)

  it("computes in the promoted dtype, not the narrower one", function()
    -- uint8 + int32 computes in int32: no wrap at 256
    assert.are.equal(300, (arr("uint8", 200) + arr("int32", 100)):get(1))
    -- uint8 + uint8 wraps
    assert.are.equal(44, (arr("uint8", 200) + arr("uint8", 100)):get(1))
    -- int32 + float32 computes in float64: 2^24 + 1 stays exact
    assert.are.equal(16777217.0, (arr("int32", 16777217) + arr("float32", 0)):get(1))
    -- int64 + float64 keeps values near 2^53 exactly representable
    assert.are.equal(2.0 ^ 53, (arr("int64", 1 << 53) * arr("float64", 1.0)):get(1))
    -- bool + uint8
    assert.are.equal(2, (arr("bool", true) + arr("uint8", 1)):get(1))
    -- float32 + float64 is float64: 0.1 in float32 widened, then the double added
    local r = arr("float32", 0.5) + arr("float64", 0.1)
    assert.are.equal(0.6, r:get(1))
    -- bool + bool is logical or, bool * bool logical and
    assert.are.equal(true, (arr("bool", true) + arr("bool", true)):get(1))
    assert.are.equal(false, (ts.array({ true }) * ts.array({ false })):get(1))
  end)
end)

describe("Lua numbers are weak scalars", function()
  -- NEP 50: an integer scalar keeps any integer or float array's dtype (and
  -- lifts bool to int64); a float scalar keeps float dtypes, lifts the rest
  -- to float64; a boolean scalar keeps every dtype.
  local with_int = { bool = "int64", uint8 = "uint8", int32 = "int32", int64 = "int64", float32 = "float32", float64 = "float64" }
  local with_float = { bool = "float64", uint8 = "float64", int32 = "float64", int64 = "float64", float32 = "float32", float64 = "float64" }

  it("with integers", function()
    for _, t in ipairs(dtypes) do
      assert.are.equal(with_int[t], (arr(t) + 1).dtype, t .. " + 1")
      assert.are.equal(with_int[t], (1 + arr(t)).dtype, "1 + " .. t)
      assert.are.equal(with_int[t], (arr(t) * 2).dtype, t .. " * 2")
      assert.are.equal(with_int[t], ts.maximum(arr(t), 0).dtype, "maximum " .. t)
    end
  end)

  it("with floats", function()
    for _, t in ipairs(dtypes) do
      assert.are.equal(with_float[t], (arr(t) + 1.5).dtype, t .. " + 1.5")
      assert.are.equal(with_float[t], (1.5 * arr(t)).dtype, "1.5 * " .. t)
      assert.are.equal(with_float[t], (arr(t) + 1.0).dtype, t .. " + 1.0 (a Lua float)")
    end
  end)

  it("with booleans", function()
    for _, t in ipairs(dtypes) do
      assert.are.equal(t, (arr(t) + true).dtype, t .. " + true")
      assert.are.equal(t, ts.maximum(arr(t), false).dtype, "maximum " .. t .. ", false")
    end
  end)

  it("keep values exact", function()
    assert.are.equal(3, (arr("int32", 2) + 1):get(1))
    assert.are.equal(3.5, (arr("int32", 2) + 1.5):get(1))
    assert.are.equal(3.5, (arr("float32", 2) + 1.5):get(1))
    assert.are.equal(2.5, (arr("uint8", 1) + 1.5):get(1))
    -- a float32 array with a double scalar rounds the scalar to float32
    local r = arr("float32", 0) + 0.1
    assert.are.equal("float32", r.dtype)
    assert.are_not.equal(0.1, r:get(1))
    assert.is_true(math.abs(r:get(1) - 0.1) < 1e-8)
    assert.are.equal(255, (arr("uint8", 0) + 255):get(1))
    assert.are.equal(0, (arr("uint8", 1) + 255):get(1))  -- wraps in uint8
    assert.are.equal(math.maxinteger, (arr("int64", 0) + math.maxinteger):get(1))
    assert.are.equal(2, (arr("bool", true) + 1):get(1))
  end)

  it("integers the dtype cannot hold are errors in arithmetic", function()
    errors(function() return arr("uint8") + 300 end, "add: Lua integer 300 is out of range for uint8")
    errors(function() return 300 + arr("uint8") end, "add: Lua integer 300 is out of range for uint8")
    errors(function() return arr("uint8") - (-1) end, "subtract: Lua integer -1 is out of range for uint8")
    errors(function() return arr("uint8") * 256 end, "multiply: Lua integer 256 is out of range for uint8")
    errors(function() return arr("int32") + (1 << 31) end, "add: Lua integer 2147483648 is out of range for int32")
    errors(function() return arr("int32") + (-(1 << 31) - 1) end, "add: Lua integer -2147483649 is out of range for int32")
    errors(function() return ts.maximum(arr("uint8"), 1000) end, "maximum: Lua integer 1000 is out of range for uint8")
    -- the limits fit
    assert.are.equal("int32", (arr("int32") + 2147483647).dtype)
    assert.are.equal("int32", (arr("int32") + (-2147483648)).dtype)
    assert.are.equal("uint8", (arr("uint8") + 0).dtype)
    -- as floats they promote instead
    assert.are.equal(301.0, (arr("uint8") + 300.0):get(1))
  end)

  it("two Lua numbers combine as int64/float64 and give Lua values", function()
    assert.are.equal(3, ts.add(1, 2))
    assert.are.equal("integer", math.type(ts.add(1, 2)))
    assert.are.equal(3.5, ts.add(1, 2.5))
    assert.are.equal(0.5, ts.divide(1, 2))
    assert.are.equal(-4, ts.floor_divide(-7, 2))
    assert.are.equal(1, ts.mod(-7, 2))
    assert.are.equal(8, ts.power(2, 3))
    assert.are.equal("integer", math.type(ts.power(2, 3)))
    assert.are.equal(true, ts.bitwise_or(true, false))
  end)
end)
