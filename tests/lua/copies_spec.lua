-- Copying and selection: copy, astype, totable, concatenate, stack, masked,
-- take, masked_fill_. Expected values are written out by hand.
local ts = require "tessera"
local h = require "helpers"

local closed = h.closed

-- Deep comparison that also checks each number's subtype (integer or float),
-- so {1, 2} and {1.0, 2.0} differ.
local function exact(expected, actual, path)
  path = path or "value"
  if type(expected) == "table" then
    assert(type(actual) == "table", path .. ": expected a table, got " .. type(actual))
    assert(#actual == #expected,
           ("%s: expected %d entries, got %d"):format(path, #expected, #actual))
    for i = 1, #expected do exact(expected[i], actual[i], path .. "[" .. i .. "]") end
    return
  end
  assert(type(actual) == type(expected),
         ("%s: expected a %s, got %s"):format(path, type(expected), type(actual)))
  if type(expected) == "number" then
    assert(math.type(actual) == math.type(expected),
           ("%s: expected %s %s, got %s %s"):format(path, math.type(expected), expected,
                                                 math.type(actual), actual))
  end
  assert(actual == expected, ("%s: expected %s, got %s"):format(path, expected, actual))
end

-- An array checked against its dtype, shape and elements.
local function check(a, dtype, shape, values)
  assert.are.equal(dtype, a.dtype)
  assert.are.same(shape, a.shape)
  exact(values, a:totable())
end

-- {{1,2,3},{4,5,6}} as int64.
local function m23() return ts.array({{1, 2, 3}, {4, 5, 6}}) end

describe("totable", function()
  it("gives integers, floats and booleans by dtype", function()
    exact({1, 2, 3}, ts.array({1, 2, 3}):totable())
    exact({1, 2, 255}, ts.array({1, 2, 255}, "uint8"):totable())
    exact({-7, 8}, ts.array({-7, 8}, "int32"):totable())
    exact({0.5, -1.0}, ts.array({0.5, -1}, "float32"):totable())
    exact({1.0, 2.5}, ts.array({1, 2.5}):totable())
    exact({true, false}, ts.array({true, false}):totable())
  end)

  it("returns the scalar for a 0-d array", function()
    exact(2, ts.array({1, 2, 3}):select(1, 2):totable())
    exact(0.0, ts.zeros({}):totable())
    exact(true, ts.array({false, true}):select(1, -1):totable())
  end)

  it("nests by dimension", function()
    exact({{1, 2, 3}, {4, 5, 6}}, m23():totable())
    exact({{{1, 2}}, {{3, 4}}}, ts.array({{{1, 2}}, {{3, 4}}}):totable())
  end)

  it("handles 0-size and 1-size arrays", function()
    exact({}, ts.zeros(0):totable())
    exact({{}, {}}, ts.zeros(2, 0):totable())
    exact({}, ts.zeros(0, 2):totable())
    exact({{7}}, ts.array({{7}}):totable())
  end)

  it("follows strides of views", function()
    local a = m23()
    exact({{1, 4}, {2, 5}, {3, 6}}, a:T():totable())
    exact({{3, 2, 1}, {6, 5, 4}}, a:slice({}, {-1, 1, -1}):totable())
    exact({{6, 5, 4}, {3, 2, 1}}, a:slice({-1, 1, -1}, {-1, 1, -1}):totable())
    exact({{1, 3}, {4, 6}}, a:slice({}, {1, 3, 2}):totable())
    exact({{1, 2, 3}, {1, 2, 3}}, ts.array({1, 2, 3}):broadcast_to({2, 3}):totable())
    -- a view of a view: transpose, then reverse rows, then take column 2
    exact({6, 5, 4}, a:T():slice({-1, 1, -1}):select(2, 2):totable())
  end)

  it("rejects closed arrays", function()
    local x = closed()
    assert.has_error(function() x:totable() end, "totable: array has been closed")
  end)
end)

describe("copy", function()
  it("makes an independent contiguous copy", function()
    local a = m23()
    local c = a:copy()
    c:set(1, 1, 100)
    check(a, "int64", {2, 3}, {{1, 2, 3}, {4, 5, 6}})
    check(c, "int64", {2, 3}, {{100, 2, 3}, {4, 5, 6}})
    check(ts.copy(a), "int64", {2, 3}, {{1, 2, 3}, {4, 5, 6}})
  end)

  it("materialises transposed, reversed and broadcast views", function()
    local a = m23()
    local t = a:T():copy()
    assert.is_true(t:is_contiguous())
    assert.are.same({2, 1}, t:strides())
    check(t, "int64", {3, 2}, {{1, 4}, {2, 5}, {3, 6}})
    local r = a:slice({-1, 1, -1}):copy()
    assert.are.same({3, 1}, r:strides())
    check(r, "int64", {2, 3}, {{4, 5, 6}, {1, 2, 3}})
    local b = ts.array({1.5, 2.5}):broadcast_to({3, 2}):copy()
    assert.are.same({2, 1}, b:strides())
    b:set(1, 1, 0)
    check(b, "float64", {3, 2}, {{0.0, 2.5}, {1.5, 2.5}, {1.5, 2.5}})
  end)

  it("copies 0-size, 1-size and 0-d arrays", function()
    check(ts.zeros(0, 3):copy(), "float64", {0, 3}, {})
    check(ts.array({true}):copy(), "bool", {1}, {true})
    check(ts.array({1, 2}):select(1, 2):copy(), "int64", {}, 2)
  end)

  it("rejects non-arrays and closed arrays", function()
    assert.has_error(function() ts.copy(3) end,
                     "copy: expected an array at argument 1, got number")
    local x = closed()
    assert.has_error(function() x:copy() end, "copy: array has been closed")
  end)
end)

describe("astype", function()
  it("converts between dtypes", function()
    check(m23():astype("float32"), "float32", {2, 3}, {{1.0, 2.0, 3.0}, {4.0, 5.0, 6.0}})
    check(ts.array({2.7, -2.7, 0.5}):astype("i32"), "int32", {3}, {2, -2, 0})
    check(ts.array({0, 2, -1}):astype("bool"), "bool", {3}, {false, true, true})
    check(ts.array({true, false}):astype("uint8"), "uint8", {2}, {1, 0})
    check(ts.array({300, -1}):astype("float64"), "float64", {2}, {300.0, -1.0})
  end)

  it("returns a copy even for the same dtype", function()
    local a = ts.array({1, 2})
    local b = a:astype("int64")
    b:set(1, 9)
    exact({1, 2}, a:totable())
  end)

  it("converts views in their logical order", function()
    check(m23():T():astype("float64"), "float64", {3, 2},
          {{1.0, 4.0}, {2.0, 5.0}, {3.0, 6.0}})
    check(ts.array({1, 0, 3}):slice({-1, 1, -1}):astype("bool"), "bool", {3},
          {true, false, true})
    check(ts.array({5}):broadcast_to({2, 2}):astype("int32"), "int32", {2, 2}, {{5, 5}, {5, 5}})
    check(ts.zeros(0, 2):astype("uint8"), "uint8", {0, 2}, {})
  end)

  it("rejects unknown and missing dtypes and closed arrays", function()
    local a = ts.zeros(2)
    assert.has_error(function() a:astype("f16") end, "astype: unknown dtype 'f16'")
    assert.has_error(function() a:astype() end,
                     "astype: expected a dtype name at argument 2, got no value")
    assert.has_error(function() a:astype(3) end,
                     "astype: expected a dtype name at argument 2, got number")
    local x = closed()
    assert.has_error(function() x:astype("f32") end, "astype: array has been closed")
  end)
end)

describe("concatenate", function()
  it("joins along the first axis by default", function()
    local a, b = m23(), ts.array({{7, 8, 9}})
    check(ts.concatenate({a, b}), "int64", {3, 3}, {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}})
    check(ts.concatenate({a, b}, 1), "int64", {3, 3}, {{1, 2, 3}, {4, 5, 6}, {7, 8, 9}})
  end)

  it("joins along other axes, negative from the end", function()
    local a, b = m23(), ts.array({{0}, {-1}})
    local want = {{1, 2, 3, 0}, {4, 5, 6, -1}}
    check(ts.concatenate({a, b}, 2), "int64", {2, 4}, want)
    check(ts.concatenate({a, b}, -1), "int64", {2, 4}, want)
    check(ts.concatenate({b, a, b}, 2), "int64", {2, 5}, {{0, 1, 2, 3, 0}, {-1, 4, 5, 6, -1}})
  end)

  it("promotes dtypes", function()
    local i32 = ts.array({1, 2}, "int32")
    local f32 = ts.array({0.5}, "float32")
    check(ts.concatenate({i32, f32}), "float64", {3}, {1.0, 2.0, 0.5})
    check(ts.concatenate({ts.array({true}), ts.array({200}, "uint8")}), "uint8", {2}, {1, 200})
    check(ts.concatenate({i32, ts.array({5})}), "int64", {3}, {1, 2, 5})
    check(ts.concatenate({ts.array({true, false}), ts.array({false})}), "bool", {3},
          {true, false, false})
    check(ts.concatenate({ts.array({7}, "uint8"), f32}), "float32", {2}, {7.0, 0.5})
  end)

  it("accepts views of any layout", function()
    local a = m23()
    check(ts.concatenate({a:T(), a:T():slice({-1, 1, -1})}), "int64", {6, 2},
          {{1, 4}, {2, 5}, {3, 6}, {3, 6}, {2, 5}, {1, 4}})
    check(ts.concatenate({ts.array({9}):broadcast_to({2, 1}), a:slice({}, {1, 3, 2})}, 2),
          "int64", {2, 3}, {{9, 1, 3}, {9, 4, 6}})
  end)

  it("handles 0-size parts and a single array", function()
    local a = m23()
    check(ts.concatenate({ts.zeros(0, 3, "int64"), a, ts.zeros(0, 3, "int64")}), "int64",
          {2, 3}, {{1, 2, 3}, {4, 5, 6}})
    check(ts.concatenate({ts.zeros(2, 0), ts.zeros(2, 0)}, 2), "float64", {2, 0}, {{}, {}})
    local c = ts.concatenate({a})
    c:set(1, 1, 0)
    check(a, "int64", {2, 3}, {{1, 2, 3}, {4, 5, 6}})
    check(ts.concatenate({ts.array({1})}), "int64", {1}, {1})
  end)

  it("reports shape mismatches", function()
    assert.has_error(function() ts.concatenate({ts.zeros(2, 3), ts.zeros(2, 4)}) end,
                     "concatenate: shapes (2,3) and (2,4) differ in dimension 2")
    assert.has_error(function() ts.concatenate({ts.zeros(2, 3), ts.zeros(1, 3)}, 2) end,
                     "concatenate: shapes (2,3) and (1,3) differ in dimension 1")
    assert.has_error(function() ts.concatenate({ts.zeros(2, 3), ts.zeros(3)}) end,
                     "concatenate: shapes (2,3) and (3) differ in number of dimensions")
    assert.has_error(function() ts.concatenate({ts.zeros({}), ts.zeros({})}) end,
                     "concatenate: cannot concatenate 0-d arrays")
  end)

  it("reports bad axes and arguments", function()
    local a = ts.zeros(2, 3)
    assert.has_error(function() ts.concatenate({a, a}, 3) end,
                     "concatenate: axis 3 out of range for 2-d array")
    assert.has_error(function() ts.concatenate({a, a}, 0) end,
                     "concatenate: axis 0 out of range for 2-d array")
    assert.has_error(function() ts.concatenate({a, a}, -3) end,
                     "concatenate: axis -3 out of range for 2-d array")
    assert.has_error(function() ts.concatenate({a, a}, 1.5) end,
                     "concatenate: expected an integer axis, got 1.5")
    assert.has_error(function() ts.concatenate({}) end,
                     "concatenate: expected a non-empty list of arrays, got an empty table")
    assert.has_error(function() ts.concatenate(a) end,
                     "concatenate: expected a list of arrays at argument 1, got userdata")
    assert.has_error(function() ts.concatenate({a, 3}) end,
                     "concatenate: expected an array at position 2 of the list, got number")
    local x = closed()
    assert.has_error(function() ts.concatenate({ts.zeros(3), x}) end,
                     "concatenate: array at position 2 has been closed")
  end)
end)

describe("stack", function()
  it("joins along a new first axis by default", function()
    local a, b = ts.array({1, 2, 3}), ts.array({4, 5, 6})
    check(ts.stack({a, b}), "int64", {2, 3}, {{1, 2, 3}, {4, 5, 6}})
    check(ts.stack({a, b}, 1), "int64", {2, 3}, {{1, 2, 3}, {4, 5, 6}})
  end)

  it("places the new axis anywhere, negative from the end", function()
    local a, b = ts.array({1, 2, 3}), ts.array({4, 5, 6})
    check(ts.stack({a, b}, 2), "int64", {3, 2}, {{1, 4}, {2, 5}, {3, 6}})
    check(ts.stack({a, b}, -1), "int64", {3, 2}, {{1, 4}, {2, 5}, {3, 6}})
    check(ts.stack({a, b}, -2), "int64", {2, 3}, {{1, 2, 3}, {4, 5, 6}})
    local m = m23()
    check(ts.stack({m, m * 10}, 2), "int64", {2, 2, 3},
          {{{1, 2, 3}, {10, 20, 30}}, {{4, 5, 6}, {40, 50, 60}}})
  end)

  it("stacks 0-d, 0-size and view inputs", function()
    local v = ts.array({1, 2, 3})
    check(ts.stack({v:select(1, 3), v:select(1, 1)}), "int64", {2}, {3, 1})
    check(ts.stack({ts.zeros(0), ts.zeros(0)}), "float64", {2, 0}, {{}, {}})
    check(ts.stack({ts.zeros(0), ts.zeros(0)}, 2), "float64", {0, 2}, {})
    check(ts.stack({v:slice({-1, 1, -1}), ts.array({7}):broadcast_to({3})}, 2), "int64", {3, 2},
          {{3, 7}, {2, 7}, {1, 7}})
    check(ts.stack({m23():T()}), "int64", {1, 3, 2}, {{{1, 4}, {2, 5}, {3, 6}}})
  end)

  it("promotes dtypes", function()
    check(ts.stack({ts.array({1}, "int32"), ts.array({0.5}, "float32")}), "float64", {2, 1},
          {{1.0}, {0.5}})
    check(ts.stack({ts.array({true}), ts.array({3}, "uint8")}), "uint8", {2, 1}, {{1}, {3}})
  end)

  it("reports mismatched shapes, bad axes and arguments", function()
    assert.has_error(function() ts.stack({ts.zeros(2, 3), ts.zeros(2, 4)}) end,
                     "stack: shapes (2,3) and (2,4) differ")
    assert.has_error(function() ts.stack({ts.zeros(3), ts.zeros(3)}, 3) end,
                     "stack: axis 3 out of range for stacking 1-d arrays")
    assert.has_error(function() ts.stack({ts.zeros(3), ts.zeros(3)}, 0) end,
                     "stack: axis 0 out of range for stacking 1-d arrays")
    assert.has_error(function() ts.stack({ts.zeros(3), ts.zeros(3)}, -3) end,
                     "stack: axis -3 out of range for stacking 1-d arrays")
    assert.has_error(function() ts.stack({}) end,
                     "stack: expected a non-empty list of arrays, got an empty table")
    assert.has_error(function() ts.stack({ts.zeros(3), "x"}) end,
                     "stack: expected an array at position 2 of the list, got string")
    local x = closed()
    assert.has_error(function() ts.stack({x}) end, "stack: array at position 1 has been closed")
  end)
end)

describe("masked", function()
  it("selects in row-major order", function()
    local a = m23()
    check(a:masked(ts.array({{true, false, true}, {false, true, true}})), "int64", {4},
          {1, 3, 5, 6})
    check(a:masked(a:gt(2)), "int64", {4}, {3, 4, 5, 6})
  end)

  it("keeps the dtype for every element width", function()
    local m = ts.array({false, true, true})
    check(ts.array({true, false, true}):masked(m), "bool", {2}, {false, true})
    check(ts.array({1, 2, 3}, "uint8"):masked(m), "uint8", {2}, {2, 3})
    check(ts.array({1, 2, 3}, "int32"):masked(m), "int32", {2}, {2, 3})
    check(ts.array({0.5, 1.5, 2.5}, "float32"):masked(m), "float32", {2}, {1.5, 2.5})
    check(ts.array({0.5, 1.5, 2.5}):masked(m), "float64", {2}, {1.5, 2.5})
  end)

  it("broadcasts the mask", function()
    local a = m23()
    check(a:masked(ts.array({true, false, true})), "int64", {4}, {1, 3, 4, 6})
    check(a:masked(ts.array({{false}, {true}})), "int64", {3}, {4, 5, 6})
    check(a:masked(ts.array(true)), "int64", {6}, {1, 2, 3, 4, 5, 6})
  end)

  it("follows views of the array and of the mask", function()
    local a = m23()
    -- a:T() is {{1,4},{2,5},{3,6}}
    check(a:T():masked(ts.array({{true, true}, {false, false}, {false, true}})), "int64", {3},
          {1, 4, 6})
    check(a:slice({-1, 1, -1}):masked(ts.array({true, false, false})), "int64", {2}, {4, 1})
    local m = ts.array({true, false, false})
    check(ts.array({1, 2, 3}):masked(m:slice({-1, 1, -1})), "int64", {1}, {3})
    check(ts.array({5}):broadcast_to({2, 2}):masked(ts.array({{true, false}, {true, true}})),
          "int64", {3}, {5, 5, 5})
    check(a:T():slice({2, 3}):masked(ts.array({false, true})), "int64", {2}, {5, 6})
  end)

  it("gives empty results for no true element or 0-size input", function()
    check(m23():masked(ts.zeros(2, 3, "bool")), "int64", {0}, {})
    check(ts.zeros(0, 3):masked(ts.array({true, true, true})), "float64", {0}, {})
    check(ts.array({4}):masked(ts.array({true})), "int64", {1}, {4})
  end)

  it("rejects non-bool, unbroadcastable and closed masks", function()
    local a = m23()
    assert.has_error(function() a:masked(ts.array({1, 0, 1})) end,
                     "masked: expected a bool mask at argument 2, got int64 array")
    assert.has_error(function() a:masked(ts.array({true, false})) end,
                     "masked: cannot broadcast shape (2) to (2,3)")
    assert.has_error(function() a:masked({true}) end,
                     "masked: expected an array at argument 2, got table")
    local x = closed()
    assert.has_error(function() x:masked(ts.array({true})) end, "masked: array has been closed")
    assert.has_error(function() a:masked(x) end, "masked: array has been closed")
  end)
end)

describe("take", function()
  it("indexes the flattened array with 1-based and negative indices", function()
    local a = m23()
    check(a:take({1, -1, 4, 4}), "int64", {4}, {1, 6, 4, 4})
    check(a:take(ts.array({{6, 1}, {2, -2}})), "int64", {2, 2}, {{6, 1}, {2, 5}})
    check(ts.take(a, {3}), "int64", {1}, {3})
    check(a:take(ts.array(2)), "int64", {}, 2)
  end)

  it("accepts every integer index dtype", function()
    local a = ts.array({10, 20, 30})
    check(a:take(ts.array({3, 1}, "uint8")), "int64", {2}, {30, 10})
    check(a:take(ts.array({-1, 2}, "int32")), "int64", {2}, {30, 20})
    check(a:take(ts.array({2, -3}, "int32"):slice({-1, 1, -1})), "int64", {2}, {10, 20})
  end)

  it("selects along an axis", function()
    local a = m23()
    check(a:take({3, 1}, 2), "int64", {2, 2}, {{3, 1}, {6, 4}})
    check(a:take({3, 1}, -1), "int64", {2, 2}, {{3, 1}, {6, 4}})
    check(a:take({2, 2, 1}, 1), "int64", {3, 3}, {{4, 5, 6}, {4, 5, 6}, {1, 2, 3}})
    check(a:take(ts.array({{1}, {3}}), 2), "int64", {2, 2, 1}, {{{1}, {3}}, {{4}, {6}}})
    check(a:take(ts.array(-1), 1), "int64", {3}, {4, 5, 6})
  end)

  it("keeps the dtype for every element width", function()
    check(ts.array({true, false}):take({2, 1, 1}), "bool", {3}, {false, true, true})
    check(ts.array({7, 8}, "uint8"):take({2}), "uint8", {1}, {8})
    check(ts.array({7, 8}, "int32"):take({-1, 1}), "int32", {2}, {8, 7})
    check(ts.array({0.25, 0.75}, "float32"):take({2, 2}), "float32", {2}, {0.75, 0.75})
    check(ts.array({{0.5, 1.5}}):take({2}, 2), "float64", {1, 1}, {{1.5}})
  end)

  it("follows transposed, reversed and broadcast views", function()
    local a = m23()
    check(a:T():take({2, 5}), "int64", {2}, {4, 3})  -- a:T() flattened: 1 4 2 5 3 6
    check(a:T():take({2}, 2), "int64", {3, 1}, {{4}, {5}, {6}})
    check(a:slice({-1, 1, -1}, {-1, 1, -1}):take({1, 6}), "int64", {2}, {6, 1})
    check(ts.array({1, 2}):broadcast_to({3, 2}):take({3, 1}, 1), "int64", {2, 2},
          {{1, 2}, {1, 2}})
    check(a:T():slice({2, 3}):take({-1}, 1), "int64", {1, 2}, {{3, 6}})
  end)

  it("handles empty indices and 1-size arrays", function()
    check(m23():take({}), "int64", {0}, {})
    check(m23():take({}, 2), "int64", {2, 0}, {{}, {}})
    check(ts.zeros(0, 2):take({1, 2}, 2), "float64", {0, 2}, {})
    check(ts.array({9}):take({1, -1}), "int64", {2}, {9, 9})
  end)

  it("reports indices out of range", function()
    local a = ts.zeros(10)
    assert.has_error(function() a:take({1, 11}) end,
                     "take: index 11 out of range for dimension 1 of size 10")
    assert.has_error(function() a:take({0}) end,
                     "take: index 0 out of range for dimension 1 of size 10")
    assert.has_error(function() a:take(ts.array({-11}, "int32")) end,
                     "take: index -11 out of range for dimension 1 of size 10")
    assert.has_error(function() m23():take({4}, 2) end,
                     "take: index 4 out of range for dimension 2 of size 3")
    assert.has_error(function() m23():take({7}) end,
                     "take: index 7 out of range for dimension 1 of size 6")
    assert.has_error(function() ts.zeros(0):take({1}) end,
                     "take: index 1 out of range for dimension 1 of size 0")
  end)

  it("reports bad indices, axes and arguments", function()
    local a = m23()
    assert.has_error(function() a:take(ts.array({1.0})) end,
                     "take: expected integer indices, got float64 array")
    assert.has_error(function() a:take(ts.array({true})) end,
                     "take: expected integer indices, got bool array")
    assert.has_error(function() a:take({1, 1.5}) end,
                     "take: expected an integer index, got 1.5")
    assert.has_error(function() a:take({"x"}) end, "take: expected an integer index, got string")
    assert.has_error(function() a:take(1) end, "take: expected an integer array or a list of "
                     .. "integers at argument 2, got number")
    assert.has_error(function() a:take({1}, 3) end, "take: axis 3 out of range for 2-d array")
    assert.has_error(function() a:take({1}, 0) end, "take: axis 0 out of range for 2-d array")
    assert.has_error(function() ts.zeros({}):take({1}, 1) end,
                     "take: axis 1 out of range for 0-d array")
    local x = closed()
    assert.has_error(function() x:take({1}) end, "take: array has been closed")
    assert.has_error(function() a:take(x) end, "take: array has been closed")
  end)
end)

describe("masked_fill_", function()
  it("writes where the mask is true and returns self", function()
    local a = m23()
    local r = a:masked_fill_(ts.array({{true, false, false}, {false, false, true}}), 0)
    assert.is_true(rawequal(a, r))
    check(a, "int64", {2, 3}, {{0, 2, 3}, {4, 5, 0}})
  end)

  it("broadcasts the mask", function()
    local a = m23()
    a:masked_fill_(ts.array({false, true, false}), -1)
    check(a, "int64", {2, 3}, {{1, -1, 3}, {4, -1, 6}})
    a:masked_fill_(ts.array({{true}, {false}}), 9)
    check(a, "int64", {2, 3}, {{9, 9, 9}, {4, -1, 6}})
  end)

  it("converts the value to the array's dtype", function()
    check(ts.array({1, 2}, "int32"):masked_fill_(ts.array({true, false}), 2.9), "int32", {2},
          {2, 2})
    check(ts.zeros(2, "float32"):masked_fill_(ts.array({false, true}), 0.5), "float32", {2},
          {0.0, 0.5})
    check(ts.zeros(2, "bool"):masked_fill_(ts.array({false, true}), true), "bool", {2},
          {false, true})
    check(ts.zeros(2, "uint8"):masked_fill_(ts.array({true, true}), true), "uint8", {2}, {1, 1})
  end)

  it("writes through views to the base array", function()
    local a = m23()
    a:T():masked_fill_(ts.array({{true, false}, {false, false}, {false, true}}), 0)
    check(a, "int64", {2, 3}, {{0, 2, 3}, {4, 5, 0}})
    local b = ts.array({1, 2, 3, 4})
    b:slice({-1, 1, -2}):masked_fill_(ts.array({true, false}), 7)  -- elements 4, 2
    check(b, "int64", {4}, {1, 2, 3, 7})
    local c = m23()
    c:slice({}, {2, 3}):T():masked_fill_(ts.array({{false, true}, {false, false}}), 0)
    check(c, "int64", {2, 3}, {{1, 2, 3}, {4, 0, 6}})
  end)

  it("reads the mask before writing when they share memory", function()
    local b = ts.array({true, false, true})
    b:masked_fill_(b, false)
    check(b, "bool", {3}, {false, false, false})
    local c = ts.array({true, false, true})
    c:masked_fill_(c:slice({-1, 1, -1}), false)
    check(c, "bool", {3}, {false, false, false})
  end)

  it("accepts 0-size arrays", function()
    local z = ts.zeros(0, 2)
    assert.is_true(rawequal(z, z:masked_fill_(ts.array({true, true}), 1)))
    assert.are.same({0, 2}, z.shape)
  end)

  it("rejects bad masks, values and closed arrays", function()
    local a = m23()
    assert.has_error(function() a:masked_fill_(ts.array({1, 0, 1}), 0) end,
                     "masked_fill_: expected a bool mask at argument 2, got int64 array")
    assert.has_error(function() a:masked_fill_(ts.array({true, false}), 0) end,
                     "masked_fill_: cannot broadcast shape (2) to (2,3)")
    assert.has_error(function() a:masked_fill_(ts.array({true}), "x") end,
                     "masked_fill_: expected a number, boolean or complex value at argument 3, got string")
    assert.has_error(function() a:masked_fill_(ts.array({true})) end,
                     "masked_fill_: expected a number, boolean or complex value at argument 3, got no value")
    local x = closed()
    assert.has_error(function() x:masked_fill_(ts.array({true}), 1) end,
                     "masked_fill_: array has been closed")
  end)
end)

describe("help", function()
  it("documents every function of this part", function()
    for _, name in ipairs({"copy", "astype", "totable", "masked", "take", "masked_fill_"}) do
      local h = ts._help[ts._methods[name]]
      assert.is_table(h, name)
      assert.is_truthy(h.signature:find(name, 1, true), name)
      assert.is_true(#h.doc > 0, name)
    end
    for _, name in ipairs({"copy", "concatenate", "stack", "take"}) do
      assert.is_table(ts._help[ts[name]], name)
    end
  end)
end)
