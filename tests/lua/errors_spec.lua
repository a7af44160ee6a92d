-- Every bad input is a Lua error that names the function (prefixed by the
-- caller's position), never a crash; closed arrays refuse all use.
local ts = require "tessera"
local h = require "helpers"

local errors, closed_array = h.errors, h.closed

describe("error messages", function()
  it("carry the caller's position and the function's name", function()
    local a = ts.zeros(3, 4)
    local err = errors(function() return a + ts.zeros(5) end, "add: cannot broadcast shapes (3,4) and (5)")
    assert.is_truthy(err:match("^errors_spec%.lua:%d+: add: cannot broadcast shapes %(3,4%) and %(5%)$"), err)
    err = errors(function() return ts.zeros(10):get(11) end, "get: index 11 out of range for dimension 1 of size 10")
    assert.is_truthy(err:match("^errors_spec%.lua:%d+: get: index 11"), err)
    err = errors(function() return ts.zeros(-3) end, "zeros: negative dimension -3")
    assert.is_truthy(err:match("^errors_spec%.lua:%d+: zeros: negative dimension %-3$"), err)
  end)

  it("name the operator's function for metamethods", function()
    local a, b = ts.zeros(2), ts.zeros(3)
    errors(function() return a - b end, "subtract: cannot broadcast shapes (2) and (3)")
    errors(function() return a * b end, "multiply: cannot broadcast")
    errors(function() return a / b end, "divide: cannot broadcast")
    errors(function() return a // b end, "floor_divide: cannot broadcast")
    errors(function() return a % b end, "mod: cannot broadcast")
    errors(function() return a ^ b end, "power: cannot broadcast")
    errors(function() return ts.zeros(2, "i64") & ts.zeros(3, "i64") end, "bitwise_and: cannot broadcast")
    errors(function() return ts.zeros(2, "i64") | ts.zeros(3, "i64") end, "bitwise_or: cannot broadcast")
    errors(function() return ts.zeros(2, "i64") ~ ts.zeros(3, "i64") end, "bitwise_xor: cannot broadcast")
    errors(function() return ts.zeros(2, "i64") << ts.zeros(3, "i64") end, "left_shift: cannot broadcast")
    errors(function() return ts.zeros(2, "i64") >> ts.zeros(3, "i64") end, "right_shift: cannot broadcast")
    errors(function() return -ts.zeros(2, "bool") end, "negative: not supported for bool arrays")
    errors(function() return ~ts.zeros(2) end, "invert: not supported for float64 arrays")
  end)

  it("report wrong argument types", function()
    local a = ts.zeros(3)
    errors(function() return a + "1" end, "add: expected an array or a number at argument 2, got string")
    errors(function() return "1" + a end, "add: expected an array or a number at argument 1, got string")
    errors(function() return a + {} end, "add: expected an array or a number at argument 2, got table")
    errors(function() return a * nil end, "multiply: expected an array or a number at argument 2, got nil")
    errors(function() return ts.add(a) end, "add: expected an array or a number at argument 2, got no value")
    errors(function() return ts.sqrt("x") end, "sqrt: expected an array or a number at argument 1, got string")
    errors(function() return ts.sqrt() end, "sqrt: expected an array or a number at argument 1, got no value")
    errors(function() return ts.exp({ 1, 2 }) end, "exp: expected an array or a number at argument 1, got table")
    errors(function() return ts.sqrt(a, 5) end, "sqrt: expected an array at argument 2, got number")
    errors(function() return ts.where(1, 1, 2) end, "where: expected an array at argument 1, got number")
    errors(function() return ts.where(ts.zeros(3, "bool"), 1) end, "where: expected an array or a number at argument 3, got no value")
    errors(function() return ts.clip(a, "lo", 1) end, "clip: expected an array or a number at argument 2, got string")
    errors(function() return ts.clip(a) end, "clip: expected an array or a number at argument 2, got no value")
    errors(function() return a:add_("x") end, "add: expected an array or a number at argument 2, got string")
    errors(function() return ts.zeros({ 3, {} }) end, "zeros: expected an integer dimension, got table")
    errors(function() return ts.ones(3, {}) end, "ones: expected a dtype name at argument 2, got table")
    errors(function() return a:reshape("x") end, "reshape: expected an integer dimension, got string")
    errors(function() return a:reshape({ 3, "x" }) end, "reshape: expected an integer dimension, got string")
    errors(function() return a:select("x", 1) end, "select: expected an integer axis, got string")
    errors(function() return a:narrow(1, 1, "x") end, "narrow: expected an integer length, got string")
    errors(function() return a:unsqueeze() end, "unsqueeze: expected an integer dimension, got no value")
    errors(function() return a:squeeze("x") end, "squeeze: expected an integer axis, got string")
    errors(function() return a:permute("x") end, "permute: expected an integer axis, got string")
    errors(function() return a:broadcast_to() end, "broadcast_to: expected a shape")
    errors(function() return a:slice({ 1, 2, "x" }) end, "slice: expected an integer step, got string")
    errors(function() return ts.arange(1, "x") end, "arange: unknown dtype 'x'")
    errors(function() return ts.arange(1, {}) end, "arange: expected a dtype name at argument 2, got table")
    errors(function() return ts.eye() end, "eye: expected an integer size, got no value")
    errors(function() return ts.linspace() end, "linspace: expected a number for start, got no value")
    errors(function() return ts.full_like(3, 1) end, "full_like: expected an array at argument 1, got number")
  end)

  it("methods called on something that is not an array", function()
    local m = ts._methods
    errors(function() return m.get(3) end, "get: expected an array at argument 1, got number")
    errors(function() return m.strides({}) end, "strides: expected an array at argument 1, got table")
    errors(function() return m.is_contiguous() end, "is_contiguous: expected an array at argument 1, got no value")
    errors(function() return m.T("x") end, "T: expected an array at argument 1, got string")
    errors(function() return m.reshape(nil, 3) end, "reshape: expected an array at argument 1, got nil")
    errors(function() return m.slice(io.stdout) end, "slice: expected an array at argument 1, got userdata")
    errors(function() return m.fill_(1, 1) end, "fill_: expected an array at argument 1, got number")
    errors(function() return m.copy_(ts.zeros(1), 1) end, "copy_: expected an array at argument 2, got number")
    errors(function() return m.add_(1, 1) end, "add: expected an array at argument 1 for in-place operation")
    errors(function() return m.sqrt_(4) end, "sqrt: expected an array at argument 1 for in-place operation")
  end)

  it("absurd sizes are errors, not aborts", function()
    errors(function() return ts.zeros(10 ^ 15) end, "zeros: array of shape (1000000000000000) is too large")
    errors(function() return ts.zeros(math.tointeger(10 ^ 15)) end, "zeros: array of shape (1000000000000000) is too large")
    errors(function() return ts.zeros(2 ^ 63) end, "zeros: expected an integer dimension")
    errors(function() return ts.ones(1 << 32, 1 << 32) end, "ones: array of shape (4294967296,4294967296) is too large")
    errors(function() return ts.eye(1 << 40) end, "eye: array of shape")
    errors(function() return ts.linspace(0, 1, 1 << 60) end, "linspace: array of shape")
    errors(function() return ts.full({ 1 << 62, 4 }, 0) end, "full: array of shape")
    errors(function() return ts.arange(1, 1 << 62) end, "arange: array of shape")
  end)

  it("broadcast views of huge logical size are fine, results are not", function()
    local b = ts.zeros(1):broadcast_to(1 << 45)
    assert.are.equal(1 << 45, b.size)
    errors(function() return b + 1 end, "add: array of shape (35184372088832) is too large")
    local c = ts.zeros(1, 1):broadcast_to(1 << 31, 1 << 31)
    errors(function() return c:flatten() end, "flatten: array of shape (2147483648,2147483648) is too large")
  end)

  it("too many dimensions", function()
    local ones = {}
    for i = 1, 16 do ones[i] = 1 end
    local a = ts.zeros(ones)
    assert.are.equal(16, a.ndim)
    errors(function() return a:unsqueeze(1) end, "unsqueeze: too many dimensions (at most 16)")
    ones[17] = 1
    errors(function() return ts.zeros(ones) end, "zeros: at most 16 dimensions")
    errors(function() return ts.zeros(table.unpack(ones)) end, "zeros: at most 16 dimensions")
    errors(function() return ts.zeros(3):broadcast_to(ones) end, "broadcast_to: at most 16 dimensions")
    errors(function() return ts.zeros(1):reshape(ones) end, "reshape: at most 16 dimensions")
    local nested = 1
    for _ = 1, 17 do nested = { nested } end
    errors(function() return ts.array(nested) end, "array: nested tables deeper than 16")
  end)

  it("extreme integers in indices and ranges do not overflow", function()
    local a = ts.arange(10)
    local mi, ma = math.mininteger, math.maxinteger
    errors(function() return a:get(mi) end, "get: index " .. mi .. " out of range")
    errors(function() return a:get(ma) end, "get: index " .. ma .. " out of range")
    errors(function() return a:select(mi, 1) end, "select: axis " .. mi .. " out of range")
    errors(function() return a:narrow(1, 2, ma) end, "narrow: length " .. ma)
    errors(function() return a:unsqueeze(mi) end, "unsqueeze: dimension " .. mi)
    assert.are.same({ 10 }, a:slice({ mi, ma }).shape)
    assert.are.equal(0, a:slice({ ma, mi }).size)
    assert.are.same({ 10 }, a:slice({ ma, mi, -1 }).shape)
    local one = a:slice({ -1, 1, mi })
    assert.are.same({ 1 }, one.shape)
    assert.are.equal(10, one:get(1))
    local first = a:slice({ 1, -1, ma })
    assert.are.same({ 1 }, first.shape)
    assert.are.equal(1, first:get(1))
    assert.are.equal(0, a:slice({ mi, mi }).size)
  end)
end)

describe("closed arrays", function()
  it("refuse element access with 'array has been closed'", function()
    local b = closed_array()
    errors(function() return b:get(1) end, "get: array has been closed")
    errors(function() return b:set(1, 1) end, "set: array has been closed")
    errors(function() return b.shape end, "index: array has been closed")
    errors(function() return b.dtype end, "index: array has been closed")
    errors(function() return b[1] end, "index: array has been closed")
    errors(function() b[1] = 2 end, "newindex: array has been closed")
    errors(function() return #b end, "len: array has been closed")
  end)

  it("refuse every core method and function", function()
    local b = closed_array()
    local methods = {
      "strides", "is_contiguous", "slice", "select", "narrow", "T", "transpose", "permute",
      "reshape", "flatten", "squeeze", "unsqueeze", "broadcast_to",
      "add", "sub", "mul", "div", "idiv", "mod", "pow", "minimum", "maximum", "arctan2",
      "eq", "ne", "lt", "le", "gt", "ge", "bitwise_and", "bitwise_or", "bitwise_xor",
      "left_shift", "right_shift", "add_", "sub_", "mul_", "div_", "idiv_", "mod_", "pow_",
      "minimum_", "maximum_", "negative", "abs", "sign", "sqrt", "exp", "log", "log2", "log10",
      "sin", "cos", "tan", "arcsin", "arccos", "arctan", "sinh", "cosh", "tanh", "floor", "ceil",
      "round", "sqrt_", "exp_", "abs_", "negative_", "isnan", "isinf", "isfinite", "invert",
      "clip", "fill_", "copy_",
    }
    for _, name in ipairs(methods) do
      assert.is_function(b[name], name)
      errors(function() return b[name](b, 1, 1) end, "array has been closed")
    end
    errors(function() return b + 1 end, "add: array has been closed")
    errors(function() return 1 - b end, "subtract: array has been closed")
    errors(function() return -b end, "negative: array has been closed")
    errors(function() return ~b end, "invert: array has been closed")
    errors(function() return ts.zeros(3) * b end, "multiply: array has been closed")
    errors(function() return ts.array(b) end, "array: array has been closed")
    errors(function() return ts.zeros_like(b) end, "zeros_like: array has been closed")
    errors(function() return ts.full_like(b, 1) end, "full_like: array has been closed")
    errors(function() return ts.where(b, 1, 2) end, "where: array has been closed")
    errors(function() return ts.where(ts.zeros(3, "bool"), b, 2) end, "where: array has been closed")
    errors(function() return ts.reshape(b, 3) end, "reshape: array has been closed")
    errors(function() return ts.add(ts.zeros(3), 1, b) end, "add: array has been closed")
    errors(function() return ts.add(ts.zeros(3), 1, { out = b }) end, "add: out array has been closed")
    errors(function() return ts.zeros(3):copy_(b) end, "copy_: array has been closed")
    errors(function() ts.zeros(3)[1] = b end, "newindex: array has been closed")
  end)

  it("still answer which methods they have", function()
    local b = closed_array()
    assert.is_function(b.get)
    assert.are.equal("userdata", type(b))
  end)

  it("leave views made before closing alive", function()
    local v
    do
      local a <close> = ts.arange(4)
      v = a:slice({ 2, 3 })
    end
    assert.are.same({ 2 }, v.shape)
    assert.are.equal(2, v:get(1))
    assert.are.equal(3, v:get(2))
  end)

  it("can be closed twice and collected", function()
    local b = closed_array()
    getmetatable(b).__close(b)
    b = nil
    collectgarbage()
    collectgarbage()
  end)

  it("resurrected by another finalizer after collection, they are closed, not dangling", function()
    local saved
    do
      local holder = setmetatable({}, { __gc = function(o) saved = o.arr end })
      holder.arr = ts.zeros(3)  -- finalized before holder: created later
    end
    collectgarbage()
    collectgarbage()
    assert.is_not_nil(saved)
    errors(function() return saved:get(1) end, "get: array has been closed")
    errors(function() return saved + 1 end, "add: array has been closed")
  end)

  it("close at the end of the scope, also on error", function()
    local kept
    local ok = pcall(function()
      local a <close> = ts.zeros(3)
      kept = a
      error("boom")
    end)
    assert.is_false(ok)
    errors(function() return kept:get(1) end, "get: array has been closed")
  end)
end)
