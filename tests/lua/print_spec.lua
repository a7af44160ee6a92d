-- tostring(a): NumPy's str() layout plus a "[dtype array of shape (...)]"
-- trailer. Expected bodies were checked against NumPy 1.24 (booleans aside:
-- Lua's true/false instead of True/False).
local ts = require "tessera"

local function body(a)
  return (tostring(a):gsub("\n%[[^\n]*%]$", ""))
end

describe("print", function()
  after_each(function() ts.set_printoptions() end)

  it("shows integers right-aligned with the trailer", function()
    assert.are.equal("[1 2 3]\n[int64 array of shape (3)]", tostring(ts.array({1, 2, 3})))
    assert.are.equal("[[  1 -20]\n [300   4]]\n[int64 array of shape (2,2)]",
                     tostring(ts.array({{1, -20}, {300, 4}})))
  end)

  it("aligns float decimal points", function()
    assert.are.equal("[[ 1.   2.5]\n [-3.   4. ]]\n[float64 array of shape (2,2)]",
                     tostring(ts.array({{1, 2.5}, {-3, 4}})))
    assert.are.equal("[0.33333333 0.66666667]", body(ts.array({1, 2}) / 3))
    assert.are.equal("[ -0.5   10.   100.25]", body(ts.array({-0.5, 10, 100.25})))
    assert.are.equal("[0.1  0.25]", body(ts.array({0.1, 0.25}, "float32")))
  end)

  it("shows booleans as true/false", function()
    assert.are.equal("[ true false  true]\n[bool array of shape (3)]",
                     tostring(ts.array({true, false, true})))
  end)

  it("prints 0-d arrays as their value", function()
    assert.are.equal("2.5\n[float64 array of shape ()]", tostring(ts.full({}, 2.5)))
    assert.are.equal("1.0", body(ts.full({}, 1, "float64")))
    assert.are.equal("7", body(ts.full({}, 7, "int64")))
    assert.are.equal("true", body(ts.full({}, true, "bool")))
    assert.are.equal("1e+20", body(ts.full({}, 1e20)))
  end)

  it("prints 0-size arrays as []", function()
    assert.are.equal("[]\n[float64 array of shape (0)]", tostring(ts.zeros({0})))
    assert.are.equal("[]\n[int32 array of shape (2,0,3)]", tostring(ts.zeros({2, 0, 3}, "int32")))
  end)

  it("nests 2-d and 3-d arrays", function()
    assert.are.equal("[[1. 1. 1.]\n [1. 1. 1.]]", body(ts.ones({2, 3})))
    assert.are.equal(table.concat({
      "[[[ 1  2  3]",
      "  [ 4  5  6]]",
      "",
      " [[ 7  8  9]",
      "  [10 11 12]]]",
      "[int64 array of shape (2,2,3)]"}, "\n"),
      tostring(ts.arange(12):reshape({2, 2, 3})))
  end)

  it("summarizes large arrays with edge items", function()
    local s = tostring(ts.arange(2000))
    assert.are.equal("[   1    2    3 ... 1998 1999 2000]\n[int64 array of shape (2000)]", s)
    assert.truthy(s:find("...", 1, true))
    assert.are.equal(table.concat({
      "[[   1    2    3 ...   28   29   30]",
      " [  31   32   33 ...   58   59   60]",
      " [  61   62   63 ...   88   89   90]",
      " ...",
      " [1111 1112 1113 ... 1138 1139 1140]",
      " [1141 1142 1143 ... 1168 1169 1170]",
      " [1171 1172 1173 ... 1198 1199 1200]]"}, "\n"),
      body(ts.arange(1200):reshape({40, 30})))
  end)

  it("does not summarize at the threshold", function()
    local s = body(ts.arange(1000))
    assert.falsy(s:find("...", 1, true))
    assert.truthy(s:find(" 500 ", 1, true))
  end)

  it("prints views: transposes and strided slices", function()
    local a = ts.array({{1, 2, 3}, {4, 5, 6}})
    assert.are.equal("[[1 4]\n [2 5]\n [3 6]]\n[int64 array of shape (3,2)]", tostring(a:T()))
    assert.are.equal("[1 3 5 7 9]", body(ts.arange(10):slice({1, -1, 2})))
    assert.are.equal("[4 5 6]", body(a:select(1, 2)))
  end)

  it("switches to scientific notation like NumPy", function()
    assert.are.equal("[1.0e-05 1.5e+10]", body(ts.array({1e-5, 1.5e10})))
    assert.are.equal("[1.e+00 1.e+08]", body(ts.array({1, 1e8})))
    assert.are.equal("[1.000e+00 1.001e+03]", body(ts.array({1, 1001.0})))
    assert.are.equal("[0.e+00 1.e-05]", body(ts.array({0, 1e-5})))
    assert.are.equal("[1.e-05    nan]", body(ts.array({1e-5, 0 / 0})))
  end)

  it("prints nan and inf", function()
    assert.are.equal("[ nan  inf -inf   1.]", body(ts.array({0 / 0, 1 / 0, -1 / 0, 1})))
    assert.are.equal("[ 1. nan]", body(ts.array({1, 0 / 0})))
    assert.are.equal("[nan inf]", body(ts.array({0 / 0, 1 / 0})))
  end)

  it("wraps rows at the line width", function()
    assert.are.equal(table.concat({
      "[0.         0.03448276 0.06896552 0.10344828 0.13793103 0.17241379",
      " 0.20689655 0.24137931 0.27586207 0.31034483 0.34482759 0.37931034",
      " 0.4137931  0.44827586 0.48275862 0.51724138 0.55172414 0.5862069",
      " 0.62068966 0.65517241 0.68965517 0.72413793 0.75862069 0.79310345",
      " 0.82758621 0.86206897 0.89655172 0.93103448 0.96551724 1.        ]"}, "\n"),
      body(ts.linspace(0, 1, 30)))
  end)

  it("follows set_printoptions", function()
    local previous = ts.set_printoptions({precision = 3})
    assert.are.equal(8, previous.precision)
    assert.are.equal("[0.333 0.667]", body(ts.array({1, 2}) / 3))
    ts.set_printoptions({threshold = 5, edgeitems = 2})
    assert.are.equal("[ 1  2 ...  9 10]", body(ts.arange(10)))
    ts.set_printoptions()
    ts.set_printoptions({linewidth = 20})
    assert.are.equal("[ 1  2  3  4  5  6\n  7  8  9 10]", body(ts.arange(10)))
    ts.set_printoptions()
    assert.are.equal("[0.33333333 0.66666667]", body(ts.array({1, 2}) / 3))
  end)

  it("rejects bad print options", function()
    assert.has_error(function() ts.set_printoptions({colour = 1}) end,
                     "set_printoptions: unknown option 'colour'")
    assert.error_matches(function() ts.set_printoptions({precision = -1}) end,
                         "set_printoptions: precision must be")
    assert.error_matches(function() ts.set_printoptions(3) end,
                         "set_printoptions: expected a table")
  end)

  it("reads only the shown elements of huge arrays", function()
    local a = ts.zeros({4000, 2500})
    local t = os.clock()
    local s = tostring(a)
    assert.is_true(os.clock() - t < 0.1)
    assert.truthy(s:find("[float64 array of shape (4000,2500)]", 1, true))
  end)

  it("prints closed arrays without raising", function()
    local kept
    do
      local a <close> = ts.ones(3)
      kept = a
    end
    assert.are.equal("[closed array]", tostring(kept))
  end)
end)
