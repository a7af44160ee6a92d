-- Element access (a:get, a:set), Torch-style indexing a[i] and a[{...}], and
-- assignment through it. Expected values are written by hand.
local ts = require "tessera"
local h = require "helpers"

local values, errors, grid = h.values, h.errors, h.grid

describe("get and set", function()
  it("use 1-based indices, negative from the end", function()
    local a = grid(3, 4)
    assert.are.equal(11, a:get(1, 1))
    assert.are.equal(34, a:get(3, 4))
    assert.are.equal(34, a:get(-1, -1))
    assert.are.equal(21, a:get(-2, -4))
    assert.are.equal(23, a:get(2, -2))
    a:set(2, 3, 99)
    assert.are.equal(99, a:get(2, 3))
    a:set(-1, -1, -5)
    assert.are.equal(-5, a:get(3, 4))
  end)

  it("return Lua values of the array's kind", function()
    assert.are.equal("integer", math.type(ts.ones(2, "i32"):get(1)))
    assert.are.equal("integer", math.type(ts.ones(2, "u8"):get(1)))
    assert.are.equal("integer", math.type(ts.ones(2, "i64"):get(1)))
    assert.are.equal("float", math.type(ts.ones(2, "f32"):get(1)))
    assert.are.equal("float", math.type(ts.ones(2):get(1)))
    assert.are.equal(true, ts.ones(2, "bool"):get(1))
  end)

  it("convert stored values to the dtype", function()
    local i = ts.zeros(3, "int32")
    i:set(1, 2.9)
    i:set(2, -2.9)
    i:set(3, true)
    assert.are.same({ 2, -2, 1 }, values(i))
    local b = ts.zeros(3, "bool")
    b:set(1, 5)
    b:set(2, 0.0)
    b:set(3, -0.5)
    assert.are.same({ true, false, true }, values(b))
    local f = ts.zeros(2, "float32")
    f:set(1, 3)
    f:set(2, false)
    assert.are.same({ 3.0, 0.0 }, values(f))
    local u = ts.zeros(2, "u8")
    u:set(1, 255)
    assert.are.equal(255, u:get(1))
    local big = ts.zeros(1, "i64")
    big:set(1, math.mininteger)
    assert.are.equal(math.mininteger, big:get(1))
  end)

  it("work on 0-d arrays with no index", function()
    local a = ts.array(5)
    assert.are.equal(5, a:get())
    a:set(6)
    assert.are.equal(6, a:get())
  end)

  it("work on 1-d and many-d arrays", function()
    local a = ts.arange(10)
    assert.are.equal(10, a:get(10))
    assert.are.equal(1, a:get(-10))
    local b = ts.arange(24):reshape(2, 3, 4)
    assert.are.equal(24, b:get(2, 3, 4))
    assert.are.equal(12 + 4 + 3, b:get(2, 2, 3))
  end)

  it("reject bad indices with clear messages", function()
    local a = ts.zeros(10)
    errors(function() a:get(11) end, "get: index 11 out of range for dimension 1 of size 10")
    errors(function() a:get(0) end, "get: index 0 out of range for dimension 1 of size 10")
    errors(function() a:get(-11) end, "get: index -11 out of range for dimension 1 of size 10")
    errors(function() a:get(1.5) end, "get: expected an integer index, got 1.5")
    errors(function() a:get("x") end, "get: expected an integer index, got string")
    errors(function() a:get("1") end, "get: expected an integer index, got string")  -- no string coercion
    assert.are.equal(a:get(2), a:get(2.0))  -- an integral float is an integer, as in Lua
    errors(function() a:get() end, "get: expected 1 indices for a 1-d array, got 0")
    errors(function() a:get(1, 1) end, "get: expected 1 indices for a 1-d array, got 2")
    local m = ts.zeros(3, 4)
    errors(function() m:get(2, 5) end, "get: index 5 out of range for dimension 2 of size 4")
    errors(function() m:get(1) end, "get: expected 2 indices for a 2-d array, got 1")
    errors(function() m:set(1, 1) end, "set: expected 2 indices for a 2-d array, got 1")
    errors(function() m:set(4, 1, 0) end, "set: index 4 out of range for dimension 1 of size 3")
    errors(function() m:set(1, 1, "x") end, "set: expected a number, boolean or complex value, got string")
    errors(function() m:set(1, 1, nil) end, "set: expected a number, boolean or complex value, got nil")
    errors(function() m.get(5, 1, 1) end, "get: expected an array at argument 1, got number")
    errors(function() ts.zeros(2, "u8"):set(1, 256) end, "set: Lua integer 256 is out of range for uint8")
    errors(function() ts.zeros(2, "i32"):set(1, 1 << 31) end, "set: Lua integer 2147483648 is out of range for int32")
  end)
end)

describe("a[i]", function()
  it("is a Lua value for a 1-d array", function()
    local a = ts.array({ 5, 6, 7 })
    assert.are.equal(5, a[1])
    assert.are.equal(7, a[3])
    assert.are.equal(7, a[-1])
    assert.are.equal(5, a[-3])
    assert.are.equal("integer", math.type(a[1]))
    assert.are.equal(2.5, ts.array({ 2.5 })[1])
    assert.are.equal(false, ts.array({ false })[1])
  end)

  it("is a view for an N-d array", function()
    local a = grid(3, 4)
    local r = a[2]
    assert.are.equal("userdata", type(r))
    assert.are.same({ 4 }, r.shape)
    assert.are.same({ 21, 22, 23, 24 }, values(r))
    assert.are.equal(34, a[-1][-1])
    assert.are.equal(23, a[2][3])
    r:set(1, 0)
    assert.are.equal(0, a:get(2, 1))
    local b = ts.arange(24):reshape(2, 3, 4)
    assert.are.same({ 3, 4 }, b[2].shape)
    assert.are.same({ 4 }, b[2][3].shape)
    assert.are.equal(24, b[2][3][4])
  end)

  it("rejects bad keys", function()
    local a = ts.zeros(3)
    errors(function() return a[4] end, "index: index 4 out of range for dimension 1 of size 3")
    errors(function() return a[0] end, "index: index 0 out of range for dimension 1 of size 3")
    errors(function() return a[1.5] end, "index: expected an integer index, got 1.5")
    errors(function() return a[true] end, "index: expected an integer, a table of ranges or a method name, got boolean")
    errors(function() return ts.array(1)[1] end, "index: cannot index a 0-d array")
    assert.is_nil(a.not_a_method)
  end)
end)

describe("a[{...}]", function()
  it("takes ranges and ':' per dimension", function()
    local a = grid(3, 4)
    local s = a[{ { 1, 3 }, ":" }]
    assert.are.same({ 3, 4 }, s.shape)
    assert.are.same(values(a), values(s))
    local t = a[{ { 2, 3 }, { 2, 3 } }]
    assert.are.same({ 22, 23, 32, 33 }, values(t))
    local u = a[{ {}, { 1, -1, 2 } }]
    assert.are.same({ 11, 13, 21, 23, 31, 33 }, values(u))
    assert.are.same({ 14, 13, 12, 11 }, values(a[{ 1, { -1, 1, -1 } }]))
    assert.are.same({ 3, 4 }, a[{}].shape)  -- everything
    assert.are.same({ 2, 4 }, a[{ { 2 } }].shape)  -- trailing dims implied
  end)

  it("a[{2, {1, -1, 2}}] selects row 2, every other column", function()
    local a = grid(3, 4)
    local r = a[{ 2, { 1, -1, 2 } }]
    assert.are.same({ 2 }, r.shape)
    assert.are.same({ 21, 23 }, values(r))
    r:set(2, 0)
    assert.are.equal(0, a:get(2, 3))
  end)

  it("with a number for every dimension is a Lua value", function()
    local a = grid(3, 4)
    assert.are.equal(23, a[{ 2, 3 }])
    assert.are.equal(34, a[{ -1, -1 }])
    assert.are.equal("number", type(a[{ 1, 1 }]))
    -- a 0-d result only when some dimension was a range
    local z = a[{ 2, { 3, 3 } }]
    assert.are.same({ 1 }, z.shape)
  end)

  it("a 1-d array indexed with a table is a view", function()
    local a = ts.arange(10)
    local v = a[{ { 2, 10, 4 } }]
    assert.are.same({ 2, 6, 10 }, values(v))
    assert.are.equal(5, a[{ 5 }])
  end)

  it("rejects bad keys", function()
    local a = ts.zeros(3, 4)
    errors(function() return a[{ 1, 2, 3 }] end, "index: too many indices (3) for a 2-d array")
    errors(function() return a[{ 4 }] end, "index: index 4 out of range for dimension 1 of size 3")
    errors(function() return a[{ 1, 5 }] end, "index: index 5 out of range for dimension 2 of size 4")
    errors(function() return a[{ { 1, 2, 0 } }] end, "index: step must not be zero for dimension 1")
    errors(function() return a[{ ":", "::" }] end, "index: expected a range {first, last [, step]} or ':' for dimension 2, got '::'")
    errors(function() return a[{ {1.5, 2} }] end, "index: expected an integer range start, got 1.5")
  end)
end)

describe("assignment", function()
  it("a[i] = v on a 1-d array sets one element", function()
    local a = ts.zeros(3, "i64")
    a[2] = 5
    a[-1] = 7
    assert.are.same({ 0, 5, 7 }, values(a))
  end)

  it("a[i] = v on an N-d array fills the row", function()
    local a = ts.zeros(2, 3)
    a[2] = 1.5
    assert.are.same({ 0.0, 0.0, 0.0, 1.5, 1.5, 1.5 }, values(a))
  end)

  it("a[{...}] = v fills the selected part", function()
    local a = ts.zeros(3, 4, "i32")
    a[{ {}, { 1, -1, 2 } }] = 1
    a[{ 2, 2 }] = 9
    a[{ { 3, 3 }, { 4, 1, -1 } }] = 5
    assert.are.same({ 1, 0, 1, 0, 1, 9, 1, 0, 5, 5, 5, 5 }, values(a))
    a[{}] = 0
    assert.are.same({ 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, values(a))
  end)

  it("a[{...}] = array copies with broadcasting and casting", function()
    local a = ts.zeros(3, 4)
    a[{ {}, { 2, 3 } }] = ts.array({ { 1, 2 }, { 3, 4 }, { 5, 6 } })
    assert.are.same({ 0, 1, 2, 0, 0, 3, 4, 0, 0, 5, 6, 0 },
                    (function() local t = values(a) for i = 1, #t do t[i] = math.tointeger(t[i]) end return t end)())
    local b = ts.zeros(3, 3, "i32")
    b[{}] = ts.array({ 1, 2, 3 })  -- a row broadcast down
    assert.are.same({ 1, 2, 3, 1, 2, 3, 1, 2, 3 }, values(b))
    b[{}] = ts.array({ { 7 }, { 8 }, { 9 } })  -- a column broadcast across
    assert.are.same({ 7, 7, 7, 8, 8, 8, 9, 9, 9 }, values(b))
    b[2] = ts.array({ 1.9, -1.9, 0.5 })  -- float to int32 truncates
    assert.are.same({ 7, 7, 7, 1, -1, 0, 9, 9, 9 }, values(b))
    b[{ 1, 1 }] = ts.array(4)  -- a 0-d source
    assert.are.equal(4, b:get(1, 1))
  end)

  it("a[...] = array drops the source's leading extent-1 dimensions (as NumPy)", function()
    local a = ts.zeros(3, "i64")
    a[{}] = ts.array({ { 1, 2, 3 } })  -- (1,3) into (3)
    assert.are.same({ 1, 2, 3 }, values(a))
    local m = ts.zeros(2, 2, "i64")
    m[1] = ts.array({ { { 7, 8 } } })  -- (1,1,2) into (2)
    assert.are.same({ 7, 8, 0, 0 }, values(m))
    m:copy_(ts.array({ { { 5 } } }))  -- (1,1,1) into (2,2)
    assert.are.same({ 5, 5, 5, 5 }, values(m))
    errors(function() a[{}] = ts.zeros(2, 3) end, "newindex: cannot broadcast shape (2,3) to (3)")
  end)

  it("a[...] = a view of the same array reads the original values", function()
    local a = ts.arange(5)
    a[{ { 2, 5 } }] = a[{ { 1, 4 } }]  -- shift right by one
    assert.are.same({ 1, 1, 2, 3, 4 }, values(a))
    local b = ts.arange(5)
    b[{}] = b[{ { -1, 1, -1 } }]  -- reverse in place
    assert.are.same({ 5, 4, 3, 2, 1 }, values(b))
    local m = ts.arange(9):reshape(3, 3)
    m[{}] = m:T()
    assert.are.same({ 1, 4, 7, 2, 5, 8, 3, 6, 9 }, values(m))
  end)

  it("booleans and floats as fill values", function()
    local a = ts.zeros(3, "bool")
    a[2] = true
    assert.are.same({ false, true, false }, values(a))
    local f = ts.zeros(2, "f32")
    f[1] = 0.5
    assert.are.equal(0.5, f:get(1))
  end)

  it("rejects bad assignments", function()
    local a = ts.zeros(3, 4)
    errors(function() a[{ { 1, 2 } }] = ts.array({ 1, 2, 3 }) end, "newindex: cannot broadcast shape (3) to (2,4)")
    errors(function() a[1] = "x" end, "newindex: expected a number, boolean or complex value, got string")
    errors(function() a[1] = {} end, "newindex: expected a number, boolean or complex value, got table")
    errors(function() a[1] = nil end, "newindex: expected a number, boolean or complex value, got nil")
    errors(function() a[4] = 1 end, "newindex: index 4 out of range for dimension 1 of size 3")
    errors(function() a.shape = { 4, 3 } end, "newindex: cannot assign field 'shape' of an array")
    errors(function() a.foo = 1 end, "newindex: cannot assign field 'foo' of an array")
    errors(function() a[true] = 1 end, "newindex: expected an integer, a table of ranges or a method name, got boolean")
    errors(function() ts.zeros(2, "u8")[1] = 300 end, "newindex: Lua integer 300 is out of range for uint8")
    errors(function() ts.zeros(2, "u8")[1] = -1 end, "newindex: Lua integer -1 is out of range for uint8")
    local closed
    do
      local c <close> = ts.zeros(3)
      closed = c
    end
    errors(function() a[1] = closed end, "newindex: array has been closed")
  end)
end)
