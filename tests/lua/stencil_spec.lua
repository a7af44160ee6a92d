-- Stencils: ts.kernels.laplacian / diffuse_step / diffuse against plain-loop
-- references in Lua (same operation order, so float64 agrees bit for bit and
-- float32 too, rounding each operation with string.pack), ts.roll against
-- index formulas, ts.convolve / correlate / convolve2d / correlate2d against
-- NumPy 1.24 and SciPy 1.10 outputs computed offline and pasted here.
local ts = require "tessera"
local h = require "helpers"

local K = ts.kernels

local function f32(x) return (string.unpack("f", string.pack("f", x))) end
local function same_bits(x) return x end

-- The grid as a Lua table of rows.
local function rows_of(a) return a:totable() end

-- Reference Laplacian / step of a table grid, in the kernels' order:
-- ((((-4*c + up) + down) + left) + right), then lap*k + c; `round` rounds
-- each operation to the dtype.
local function reference(t, boundary, k, round)
  local r, c = #t, #t[1]
  local out = {}
  for i = 1, r do
    out[i] = {}
    for j = 1, c do
      local v = t[i][j]
      local border = boundary == "fixed" and (i == 1 or i == r or j == 1 or j == c)
      if border then
        out[i][j] = k and v or 0.0
      else
        local up, down = t[(i - 2) % r + 1][j], t[i % r + 1][j]
        local left, right = t[i][(j - 2) % c + 1], t[i][j % c + 1]
        local lap = round(-4 * v)
        lap = round(lap + up); lap = round(lap + down)
        lap = round(lap + left); lap = round(lap + right)
        out[i][j] = k and round(round(lap * k) + v) or lap
      end
    end
  end
  return out
end

-- A reproducible grid of shape (r, c) with values in [0, 1).
local function grid(r, c, dtype, seed)
  local rnd = h.lcg(seed or 7)
  local t = {}
  for i = 1, r do
    t[i] = {}
    for j = 1, c do t[i][j] = rnd(1000) / 1000 end
  end
  return ts.array(t, dtype or "float64")
end

local function assert_same(expected, actual, what)
  for i = 1, #expected do
    for j = 1, #expected[i] do
      if expected[i][j] ~= actual[i][j] then
        error(("%s: element (%d, %d): expected %.17g, got %.17g"):format(
          what or "grid", i, j, expected[i][j], actual[i][j]))
      end
    end
  end
  assert.are.equal(#expected, #actual)
end

local function assert_equal_arrays(a, b, what)
  assert.are.same(a.shape, b.shape)
  assert.are.equal(a.dtype, b.dtype)
  assert_same(a:totable(), b:totable(), what)
end

local function near(expected, actual, tol)
  assert.are.equal(#expected, #actual)
  for i = 1, #expected do
    if type(expected[i]) == "table" then
      near(expected[i], actual[i], tol)
    else
      local d = math.abs(expected[i] - actual[i])
      assert(d <= tol * (1 + math.abs(expected[i])),
             ("element %d: expected %.17g, got %.17g"):format(i, expected[i], actual[i]))
    end
  end
end

local SHAPES = { { 1, 1 }, { 1, 6 }, { 6, 1 }, { 2, 2 }, { 3, 7 }, { 5, 3 }, { 9, 33 } }

describe("kernels.laplacian", function()
  it("matches the plain-loop reference, periodic and fixed, float64 and float32", function()
    for _, s in ipairs(SHAPES) do
      for _, b in ipairs { "periodic", "fixed" } do
        local g = grid(s[1], s[2])
        assert_same(reference(rows_of(g), b, nil, same_bits),
                    K.laplacian(g, { boundary = b }):totable(), "float64 " .. b)
        local g32 = g:astype("float32")
        local lap32 = K.laplacian(g32, { boundary = b })
        assert.are.equal("float32", lap32.dtype)
        assert_same(reference(rows_of(g32), b, nil, f32), lap32:totable(), "float32 " .. b)
      end
    end
  end)

  it("gives hand values for a point source", function()
    local g = ts.zeros({ 3, 4 })
    g:set(2, 2, 1.0)
    assert.are.same({ { 0, 1, 0, 0 }, { 1, -4, 1, 0 }, { 0, 1, 0, 0 } }, K.laplacian(g):totable())
    g = ts.zeros({ 3, 4 })
    g:set(1, 1, 1.0)  -- wraps to the last row and column
    assert.are.same({ { -4, 1, 0, 1 }, { 1, 0, 0, 0 }, { 1, 0, 0, 0 } }, K.laplacian(g):totable())
    -- fixed: border cells have no Laplacian; interior cells see them
    assert.are.same({ { 0, 0, 0, 0 }, { 0, 0, 0, 0 }, { 0, 0, 0, 0 } },
                    K.laplacian(g, { boundary = "fixed" }):totable())
    g = ts.zeros({ 3, 4 })
    g:set(1, 2, 1.0)
    assert.are.same({ { 0, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 0, 0 } },
                    K.laplacian(g, { boundary = "fixed" }):totable())
  end)

  it("equals the np.roll formula built from ts.roll", function()
    local g = grid(8, 11)
    local lap = (((g * -4 + ts.roll(g, 1, 1)) + ts.roll(g, -1, 1)) + ts.roll(g, 1, 2)) +
                ts.roll(g, -1, 2)
    assert_equal_arrays(lap, K.laplacian(g))
  end)

  it("writes into out and returns it; out may be the grid", function()
    local g = grid(4, 5)
    local expected = K.laplacian(g)
    local out = ts.zeros({ 4, 5 })
    assert.is_true(rawequal(out, K.laplacian(g, { out = out })))
    assert_equal_arrays(expected, out)
    local g2 = g:copy()
    K.laplacian(g2, { out = g2 })
    assert_equal_arrays(expected, g2)
  end)

  it("reads strided and negative-step grids and writes strided out", function()
    local big = grid(9, 14)
    local views = { big:slice({ -1, 1, -1 }, {}), big:slice({ 1, -1, 2 }, { 1, -1, 3 }),
                    big:slice({}, { -1, 1, -2 }), big:T() }
    for _, v in ipairs(views) do
      assert_equal_arrays(K.laplacian(v:copy()), K.laplacian(v))
      local host = ts.zeros({ v.shape[1] * 2, v.shape[2] * 2 })
      local out = host:slice({ 1, -1, 2 }, { -1, 1, -2 })
      K.diffuse_step(v, 1, 0.1, out)
      assert_equal_arrays(K.diffuse_step(v:copy(), 1, 0.1), out)
    end
  end)

  it("handles 0-size grids", function()
    assert.are.same({ 0, 5 }, K.laplacian(ts.zeros({ 0, 5 })).shape)
    assert.are.same({ 3, 0 }, K.diffuse(ts.zeros({ 3, 0 }), 4, 1, 0.1).shape)
  end)

  it("rejects bad arguments", function()
    h.errors(function() K.laplacian(ts.zeros(5)) end, "kernels.laplacian: expected a 2-d grid")
    h.errors(function() K.laplacian(ts.zeros({ 2, 2 }, "int64")) end, "float32 or float64 grid")
    h.errors(function() K.laplacian(ts.zeros({ 2, 2 }), { out = ts.zeros({ 2, 3 }) }) end,
             "expected out of shape (2,2)")
    h.errors(function() K.laplacian(ts.zeros({ 2, 2 }), { out = ts.zeros({ 2, 2 }, "float32") }) end,
             "dtype float64")
    h.errors(function() K.laplacian(ts.zeros({ 2, 2 }), { boundary = "reflect" }) end,
             "expected boundary 'periodic' or 'fixed', got reflect")
    h.errors(function() K.laplacian(ts.zeros({ 2, 2 }), 3) end, "expected an options table")
    h.errors(function() K.laplacian(h.closed()) end, "closed")
  end)
end)

describe("kernels.diffuse_step", function()
  it("matches the reference step, periodic and fixed, float64 and float32", function()
    for _, s in ipairs(SHAPES) do
      for _, b in ipairs { "periodic", "fixed" } do
        local g = grid(s[1], s[2], "float64", 11)
        assert_same(reference(rows_of(g), b, 1.0 * 0.1, same_bits),
                    K.diffuse_step(g, 1.0, 0.1, { boundary = b }):totable(), "float64 " .. b)
        local g32 = g:astype("float32")
        assert_same(reference(rows_of(g32), b, f32(0.5 * 0.3), f32),
                    K.diffuse_step(g32, 0.5, 0.3, { boundary = b }):totable(), "float32 " .. b)
      end
    end
  end)

  it("equals the book's NumPy update out *= D*dt; out += grid", function()
    local g = grid(6, 9)
    local expected = K.laplacian(g) * (2.0 * 0.05) + g
    assert_equal_arrays(expected, K.diffuse_step(g, 2.0, 0.05))
  end)

  it("keeps fixed border cells", function()
    local g = grid(5, 6)
    local s = K.diffuse_step(g, 1, 0.2, { boundary = "fixed" })
    for j = 1, 6 do
      assert.are.equal(g:get(1, j), s:get(1, j))
      assert.are.equal(g:get(5, j), s:get(5, j))
    end
    for i = 1, 5 do
      assert.are.equal(g:get(i, 1), s:get(i, 1))
      assert.are.equal(g:get(i, 6), s:get(i, 6))
    end
  end)

  it("rejects bad arguments", function()
    h.errors(function() K.diffuse_step(ts.zeros({ 2, 2 }), "x", 0.1) end,
             "expected a number for D at argument 2")
    h.errors(function() K.diffuse_step(ts.zeros({ 2, 2 }), 1) end, "expected a number for dt")
    h.errors(function() K.diffuse_step(ts.zeros({ 2, 2 }), 1, 0.1, ts.zeros({ 3, 3 })) end,
             "expected out of shape")
  end)
end)

describe("kernels.diffuse", function()
  it("equals n single steps bit for bit", function()
    -- Shapes from one row to several bands of the temporal blocking.
    local shapes = { { 1, 1 }, { 2, 3 }, { 7, 5 }, { 40, 33 }, { 300, 170 }, { 130, 4100 } }
    for _, s in ipairs(shapes) do
      for _, b in ipairs { "periodic", "fixed" } do
        for _, dtype in ipairs { "float64", "float32" } do
          local g = grid(s[1], s[2], dtype, 3)
          for _, n in ipairs { 1, 2, 8, 9, 19 } do
            if s[1] * s[2] * n < 3e6 then
              local x = g
              for _ = 1, n do x = K.diffuse_step(x, 1, 0.1, { boundary = b }) end
              assert_equal_arrays(x, K.diffuse(g, n, 1, 0.1, { boundary = b }),
                                  ("%dx%d %s %s %d steps"):format(s[1], s[2], dtype, b, n))
            end
          end
        end
      end
    end
  end)

  it("gives the same bits at 1, 2 and 3 threads (bands follow the threads)", function()
    local before = ts.threads()
    local g = grid(520, 300, "float64", 5)
    ts.threads(1)
    local one = K.diffuse(g, 21, 1, 0.1)
    local one_fixed = K.diffuse(g, 21, 1, 0.1, { boundary = "fixed" })
    ts.threads(2)
    local two = K.diffuse(g, 21, 1, 0.1)
    local two_fixed = K.diffuse(g, 21, 1, 0.1, { boundary = "fixed" })
    ts.threads(3)
    local three = K.diffuse(g, 21, 1, 0.1)
    local three_fixed = K.diffuse(g, 21, 1, 0.1, { boundary = "fixed" })
    ts.threads(before)
    assert_equal_arrays(one, two)
    assert_equal_arrays(one_fixed, two_fixed)
    assert_equal_arrays(one, three)
    assert_equal_arrays(one_fixed, three_fixed)
  end)

  it("conserves the sum under periodic boundaries", function()
    -- Small integers and D*dt = 1/8 keep every value dyadic: all sums are exact.
    local rnd = h.lcg(1)
    local t = {}
    for i = 1, 24 do
      t[i] = {}
      for j = 1, 31 do t[i][j] = rnd(9) - 1 end
    end
    local g = ts.array(t, "float64")
    local total = g:sum()
    for _, n in ipairs { 1, 5, 12 } do
      assert.are.equal(total, K.diffuse(g, n, 1, 0.125):sum())
    end
  end)

  it("leaves the grid alone, or works in place with out = grid", function()
    local g = grid(30, 20)
    local keep = g:copy()
    local r = K.diffuse(g, 10, 1, 0.1)
    assert_equal_arrays(keep, g)
    local out = ts.zeros({ 30, 20 })
    assert.is_true(rawequal(out, K.diffuse(g, 10, 1, 0.1, { out = out })))
    assert_equal_arrays(r, out)
    for _, n in ipairs { 3, 10 } do
      local inplace = g:copy()
      K.diffuse(inplace, n, 1, 0.1, { out = inplace })
      assert_equal_arrays(K.diffuse(g, n, 1, 0.1), inplace)
    end
    assert_equal_arrays(g, K.diffuse(g, 0, 1, 0.1))
  end)

  it("allocates nothing per step", function()
    local g = grid(64, 64)
    local out = ts.zeros({ 64, 64 })
    K.diffuse(g, 1, 1, 0.1, { out = out })
    local a0 = ts.memory().allocations
    K.diffuse(g, 10, 1, 0.1, { out = out })
    local a10 = ts.memory().allocations - a0
    local a1 = ts.memory().allocations
    K.diffuse(g, 200, 1, 0.1, { out = out })
    assert.are.equal(a10, ts.memory().allocations - a1)
  end)

  it("rejects bad arguments", function()
    h.errors(function() K.diffuse(ts.zeros({ 2, 2 }), -1, 1, 0.1) end, "expected steps >= 0")
    h.errors(function() K.diffuse(ts.zeros({ 2, 2 }), 1.5, 1, 0.1) end, "kernels.diffuse")
    h.errors(function() K.diffuse(ts.zeros({ 2, 2 }), 2, 1, 0.1, { out = ts.zeros(4) }) end,
             "expected out of shape")
    h.errors(function() K.diffuse(ts.zeros({ 2, 2, 2 }), 2, 1, 0.1) end, "2-d grid")
  end)
end)

-- np.roll by its definition: result[i] = a[(i - shift) mod n] along the axis.
local function rolled_1d(t, s)
  local n, r = #t, {}
  for i = 1, n do r[i] = t[(i - 1 - s) % n + 1] end
  return r
end

describe("roll", function()
  it("rolls 1-d arrays by -7..7", function()
    local a = ts.array({ 10, 20, 30, 40, 50 })
    for s = -7, 7 do
      assert.are.same(rolled_1d(a:totable(), s), ts.roll(a, s):totable())
      assert.are.same(rolled_1d(a:totable(), s), ts.roll(a, s, 1):totable())
      assert.are.same(rolled_1d(a:totable(), s), a:roll(s, -1):totable())
    end
    assert.are.same({ 40, 50, 10, 20, 30 }, ts.roll(a, 2):totable())
    assert.are.same({ 30, 40, 50, 10, 20 }, ts.roll(a, -2):totable())
  end)

  it("rolls along each axis of a 2-d array by -7..7", function()
    local a = h.grid(3, 4)
    local t = a:totable()
    for s = -7, 7 do
      local by_rows, by_cols = {}, {}
      for i = 1, 3 do
        by_rows[i] = t[(i - 1 - s) % 3 + 1]
        by_cols[i] = rolled_1d(t[i], s)
      end
      assert.are.same(by_rows, ts.roll(a, s, 1):totable())
      assert.are.same(by_rows, ts.roll(a, s, -2):totable())
      assert.are.same(by_cols, ts.roll(a, s, 2):totable())
      assert.are.same(by_cols, ts.roll(a, s, -1):totable())
      -- no axis: the flattened array rolls
      local flat = rolled_1d(h.values(a), s)
      assert.are.same(flat, h.values(ts.roll(a, s)))
      assert.are.same({ 3, 4 }, ts.roll(a, s).shape)
    end
  end)

  it("rolls along several axes; repeated axes add up", function()
    local a = h.grid(3, 4)
    assert.are.same({ { 34, 31, 32, 33 }, { 14, 11, 12, 13 }, { 24, 21, 22, 23 } },
                    ts.roll(a, { 1, 1 }, { 1, 2 }):totable())
    assert.are.same(ts.roll(ts.roll(a, 2, 1), -3, 2):totable(),
                    ts.roll(a, { 2, -3 }, { 1, 2 }):totable())
    assert.are.same(ts.roll(a, 3, 2):totable(), ts.roll(a, { 1, 2 }, { 2, 2 }):totable())
    assert.are.same(ts.roll(a, { 1, 1 }, { 1, 2 }):totable(), ts.roll(a, 1, { 1, 2 }):totable())
  end)

  it("handles 0-size, 1-size and 0-d arrays", function()
    assert.are.same({ 0 }, ts.roll(ts.zeros(0), 3).shape)
    assert.are.same({ 2, 0 }, ts.roll(ts.zeros({ 2, 0 }), 1, 2).shape)
    assert.are.same({ 2, 0 }, ts.roll(ts.zeros({ 2, 0 }), 1, 1).shape)
    assert.are.same({ 7 }, ts.roll(ts.array({ 7 }), -5):totable())
    assert.are.same(4, ts.roll(ts.array(4), 2):totable())
  end)

  it("reads strided and negative-step views", function()
    local a = h.grid(5, 6)
    local v = a:slice({ -1, 1, -2 }, { 2, -1, 2 })
    assert.are.same(ts.roll(v:copy(), 1, 2):totable(), ts.roll(v, 1, 2):totable())
    assert.are.same(ts.roll(v:copy(), -4):totable(), ts.roll(v, -4):totable())
    assert.are.same(ts.roll(v:copy(), { 1, 2 }, { 1, 2 }):totable(),
                    ts.roll(v, { 1, 2 }, { 1, 2 }):totable())
  end)

  it("keeps every dtype", function()
    for _, dt in ipairs { "bool", "uint8", "int32", "int64", "float32", "float64" } do
      local a = ts.array({ 1, 0, 1, 1 }):astype(dt)
      local r = ts.roll(a, 1)
      assert.are.equal(dt, r.dtype)
      assert.are.same(rolled_1d(a:totable(), 1), r:totable())
    end
  end)

  it("writes into out without allocating and returns it", function()
    local a = h.grid(30, 40, "float64")
    local out = ts.zeros({ 30, 40 })
    ts.roll(a, { 3, -5 }, { 1, 2 }, { out = out })  -- warm-up
    local before = ts.memory().allocations
    local r1 = ts.roll(a, { 3, -5 }, { 1, 2 }, { out = out })
    local r2 = ts.roll(a, 7, 2, { out = out })
    local r3 = ts.roll(a, -11, nil, { out = out })
    assert.are.equal(before, ts.memory().allocations)
    assert.is_true(rawequal(out, r1) and rawequal(out, r2) and rawequal(out, r3))
    assert.are.same(ts.roll(a, -11):totable(), out:totable())
    -- out that shares memory with a still gives np.roll's result
    local b = a:copy()
    ts.roll(b, 1, 1, { out = b })
    assert.are.same(ts.roll(a, 1, 1):totable(), b:totable())
    -- a strided out for the flattened roll
    local host = ts.zeros({ 30, 80 })
    local sout = host:slice({}, { 1, -1, 2 })
    ts.roll(a, 5, nil, { out = sout })
    assert.are.same(ts.roll(a, 5):totable(), sout:totable())
  end)

  it("rejects bad arguments", function()
    local a = ts.zeros({ 2, 3 })
    h.errors(function() ts.roll(a, 1, 3) end, "roll: axis 3 out of range for 2-d array")
    h.errors(function() ts.roll(a, 1, 0) end, "axis 0 out of range")
    h.errors(function() ts.roll(a, 1.5) end, "expected an integer shift")
    h.errors(function() ts.roll(a, { 1, 2 }) end, "needs a list of as many axes")
    h.errors(function() ts.roll(a, { 1, 2 }, { 1, 2, 1 }) end, "as many shifts as axes")
    h.errors(function() ts.roll(a, 1, 1, { out = ts.zeros({ 3, 2 }) }) end, "expected out of shape")
    h.errors(function() ts.roll(a, 1, 1, { out = ts.zeros({ 2, 3 }, "int64") }) end,
             "dtype float64")
    h.errors(function() ts.roll(a, 1, "x") end, "expected an integer axis")
    h.errors(function() ts.roll(h.closed(), 1) end, "closed")
  end)
end)

describe("convolve and correlate (1-d)", function()
  local a, v = ts.array({ 1.0, 2, 3, 4, 5 }), ts.array({ 0.5, -1, 2 })
  it("match np.convolve and np.correlate in every mode", function()
    -- np.convolve(a, v, mode), np.correlate(a, v, mode)
    near({ 0.5, 0.0, 1.5, 3.0, 4.5, 3.0, 10.0 }, ts.convolve(a, v):totable(), 1e-15)
    near({ 0.0, 1.5, 3.0, 4.5, 3.0 }, ts.convolve(a, v, "same"):totable(), 1e-15)
    near({ 1.5, 3.0, 4.5 }, ts.convolve(a, v, "valid"):totable(), 1e-15)
    near({ 4.5, 6.0, 7.5 }, ts.correlate(a, v):totable(), 1e-15)
    near({ 3.0, 4.5, 6.0, 7.5, -3.0 }, ts.correlate(a, v, "same"):totable(), 1e-15)
    near({ 2.0, 3.0, 4.5, 6.0, 7.5, -3.0, 2.5 }, ts.correlate(a, v, "full"):totable(), 1e-15)
  end)

  it("follow NumPy when v is longer than a", function()
    local s, l = ts.array({ 2.0, -1, 3 }), ts.array({ 1.0, -2, 3, 0.25 })
    near({ 2.0, -5.0, 11.0, -8.5, 8.75, 0.75 }, ts.convolve(s, l):totable(), 1e-15)
    near({ -5.0, 11.0, -8.5, 8.75 }, ts.convolve(s, l, "same"):totable(), 1e-15)
    near({ 11.0, -8.5 }, ts.convolve(s, l, "valid"):totable(), 1e-15)
    near({ 0.5, 5.75, -6.25, 13.0, -7.0, 3.0 }, ts.correlate(s, l, "full"):totable(), 1e-15)
    near({ 5.75, -6.25, 13.0, -7.0 }, ts.correlate(s, l, "same"):totable(), 1e-15)
    near({ -6.25, 13.0 }, ts.correlate(s, l):totable(), 1e-15)
    -- even lengths: 'same' is not symmetric under swapping
    local e = ts.array({ 1.0, 10 })
    near({ 10.0, 21.0, 32.0, 43.0, 54.0 }, ts.correlate(a, e, "same"):totable(), 1e-15)
    near({ 54.0, 43.0, 32.0, 21.0, 10.0 }, ts.correlate(e, a, "same"):totable(), 1e-15)
    near({ 5.0, 54.0, 43.0, 32.0, 21.0, 10.0 }, ts.correlate(e, a, "full"):totable(), 1e-15)
    near({ 1.0, 12.0, 23.0, 34.0, 45.0 }, ts.convolve(e, a, "same"):totable(), 1e-15)
  end)

  it("keep integer and bool dtypes, wrapping like NumPy", function()
    local r = ts.convolve(ts.array({ 100, 200, 50 }, "int32"), ts.array({ 30000000, 2 }, "int32"))
    assert.are.equal("int32", r.dtype)
    assert.are.same({ -1294967296, 1705032904, 1500000400, 100 }, r:totable())
    local u = ts.array({ 200, 100 }, "uint8")
    assert.are.same({ 64, 64, 16 }, ts.convolve(u, u):totable())
    local b = ts.convolve(ts.array({ true, false, true }), ts.array({ true, true }))
    assert.are.same({ true, true, true, true }, b:totable())
    assert.are.equal("float64", ts.convolve(ts.array({ 1, 2 }), ts.array({ 0.5 })).dtype)
    assert.are.equal("float32", ts.convolve(ts.array({ 1, 2 }, "float32"), ts.array({ 2 }, "float32")).dtype)
  end)

  it("sum every tap for long inputs (vector body and tails)", function()
    local n = 1003
    local x = ts.arange(n):astype("float64")
    local w = ts.array({ 1.0, -2, 0.5, 4 })
    local r = ts.correlate(x, w)  -- valid: r[k] = sum_j x[k+j]*w[j] with x[i] = i
    assert.are.equal(n - 3, r.size)
    for k = 1, n - 3, 97 do
      assert.are.equal(k * 1 + (k + 1) * -2 + (k + 2) * 0.5 + (k + 3) * 4, r:get(k))
    end
    local r32 = ts.correlate(x:astype("float32"), w:astype("float32"))
    assert.are.equal(r:get(-1), r32:get(-1))
  end)

  it("read strided and negative-step inputs", function()
    local x = ts.array({ 1.0, 9, 2, 9, 3, 9, 4 })
    local s = x:slice({ 1, -1, 2 })
    near({ 1.0, 4.0, 10.0, 16.0, 17.0, 12.0 }, ts.convolve(s, ts.array({ 1.0, 2, 3 })):totable(), 0)
    near(ts.convolve(ts.array({ 4.0, 3, 2, 1 }), v):totable(),
         ts.convolve(x:slice({ -1, 1, -2 }), v):totable(), 0)
  end)

  it("reject bad arguments", function()
    h.errors(function() ts.convolve(ts.zeros(0), v) end, "convolve: a cannot be empty")
    h.errors(function() ts.correlate(a, ts.zeros(0)) end, "correlate: v cannot be empty")
    h.errors(function() ts.convolve(ts.zeros({ 2, 2 }), v) end, "expected two 1-d arrays")
    h.errors(function() ts.convolve(a, v, "middle") end,
             "expected mode 'full', 'same' or 'valid' at argument 3, got middle")
    h.errors(function() ts.correlate(a, 3) end, "expected an array at argument 2")
  end)
end)

describe("convolve2d and correlate2d", function()
  local x = ts.arange(12.0):reshape(3, 4)  -- 1..12
  local k2 = ts.array({ { 1.0, 2 }, { -1, 0.5 } })
  local k3 = ts.array({ { 0.0, 1, 0 }, { 1, -4, 1 }, { 0, 1, 0 } })
  -- scipy.signal.{convolve2d, correlate2d}(x, k, mode, boundary)
  local expected = {
    convolve2d = {
      full = {
        fill = { { 1, 4, 7, 10, 8 }, { 4, 14.5, 17, 19.5, 18 }, { 4, 24.5, 27, 29.5, 28 },
                 { -9, -5.5, -6, -6.5, 6 } },
        wrap = { { 6, -1.5, 1, 3.5, 6 }, { 22, 14.5, 17, 19.5, 22 }, { 32, 24.5, 27, 29.5, 32 },
                 { 6, -1.5, 1, 3.5, 6 } },
        symm = { { 2.5, 2.5, 5, 7.5, 10 }, { 14.5, 14.5, 17, 19.5, 22 },
                 { 24.5, 24.5, 27, 29.5, 32 }, { 22.5, 22.5, 25, 27.5, 30 } },
      },
      same = {
        fill = { { 1, 4, 7, 10 }, { 4, 14.5, 17, 19.5 }, { 4, 24.5, 27, 29.5 } },
        wrap = { { 6, -1.5, 1, 3.5 }, { 22, 14.5, 17, 19.5 }, { 32, 24.5, 27, 29.5 } },
        symm = { { 2.5, 2.5, 5, 7.5 }, { 14.5, 14.5, 17, 19.5 }, { 24.5, 24.5, 27, 29.5 } },
      },
      valid = { fill = { { 14.5, 17, 19.5 }, { 24.5, 27, 29.5 } } },
    },
    correlate2d = {
      full = {
        fill = { { 0.5, 0, -0.5, -1, -4 }, { 4.5, 3, 5.5, 8, -4 }, { 14.5, 13, 15.5, 18, -4 },
                 { 18, 29, 32, 35, 12 } },
        wrap = { { 26.5, 29, 31.5, 34, 26.5 }, { 0.5, 3, 5.5, 8, 0.5 },
                 { 10.5, 13, 15.5, 18, 10.5 }, { 26.5, 29, 31.5, 34, 26.5 } },
        symm = { { 2.5, 5, 7.5, 10, 10 }, { 0.5, 3, 5.5, 8, 8 }, { 10.5, 13, 15.5, 18, 18 },
                 { 22.5, 25, 27.5, 30, 30 } },
      },
      same = {
        fill = { { 3, 5.5, 8, -4 }, { 13, 15.5, 18, -4 }, { 29, 32, 35, 12 } },
        wrap = { { 3, 5.5, 8, 0.5 }, { 13, 15.5, 18, 10.5 }, { 29, 31.5, 34, 26.5 } },
        symm = { { 3, 5.5, 8, 8 }, { 13, 15.5, 18, 18 }, { 25, 27.5, 30, 30 } },
      },
      valid = { fill = { { 3, 5.5, 8 }, { 13, 15.5, 18 } } },
    },
  }

  it("match SciPy for a 2x2 kernel in every mode and boundary", function()
    for fname, modes in pairs(expected) do
      for mode, bounds in pairs(modes) do
        for b, values in pairs(bounds) do
          near(values, ts[fname](x, k2, mode, b):totable(), 0)
        end
      end
    end
    -- valid mode ignores the boundary
    near(expected.correlate2d.valid.fill, ts.correlate2d(x, k2, "valid", "wrap"):totable(), 0)
    near({ { 3, 5.5, 8, 2.25 }, { 13, 15.5, 18, 2.25 }, { 27.75, 30.75, 33.75, 15.75 } },
         ts.correlate2d(x, k2, "same", "fill", 2.5):totable(), 0)
  end)

  it("match SciPy for the 3x3 Laplacian kernel", function()
    near({ { 3, 2, 1, -5 }, { -4, 0, 0, -9 }, { -21, -14, -15, -29 } },
         ts.convolve2d(x, k3, "same"):totable(), 0)
    near({ { 16, 12, 12, 8 }, { 4, 0, 0, -4 }, { -8, -12, -12, -16 } },
         ts.correlate2d(x, k3, "same", "wrap"):totable(), 0)
    near({ { 5, 4, 4, 3 }, { 1, 0, 0, -1 }, { -3, -4, -4, -5 } },
         ts.correlate2d(x, k3, "same", "symm"):totable(), 0)
    near({ { 0, 0 } }, ts.convolve2d(x, k3, "valid"):totable(), 0)
    -- with wrap, 'same' of the Laplacian kernel is the periodic Laplacian
    local g = grid(7, 9)
    near(K.laplacian(g):totable(), ts.correlate2d(g, k3, "same", "wrap"):totable(), 1e-15)
  end)

  it("default to full mode with zero fill; keep integer dtypes", function()
    near(expected.convolve2d.full.fill, ts.convolve2d(x, k2):totable(), 0)
    local r = ts.convolve2d(ts.array({ { 1, 2 }, { 3, 4 } }), ts.array({ { 1, 1 } }))
    assert.are.equal("int64", r.dtype)
    assert.are.same({ { 1, 3, 2 }, { 3, 7, 4 } }, r:totable())
  end)

  it("read strided and negative-step inputs", function()
    local big = ts.arange(48.0):reshape(6, 8)
    local v = big:slice({ -1, 1, -2 }, { 1, -1, 3 })
    near(ts.correlate2d(v:copy(), k2, "same", "symm"):totable(),
         ts.correlate2d(v, k2:T():T(), "same", "symm"):totable(), 0)
    near(ts.convolve2d(v:copy(), k3:slice({ -1, 1, -1 }, {}):copy()):totable(),
         ts.convolve2d(v, k3:slice({ -1, 1, -1 }, {})):totable(), 0)
  end)

  it("reject bad arguments", function()
    h.errors(function() ts.convolve2d(ts.zeros(3), k2) end, "expected two 2-d arrays")
    h.errors(function() ts.convolve2d(ts.zeros({ 1, 1 }), k2, "valid") end,
             "mode 'valid' needs a kernel no larger than the input")
    h.errors(function() ts.correlate2d(x, k2, "full", "reflect") end,
             "expected boundary 'fill', 'wrap' or 'symm' at argument 4, got reflect")
    h.errors(function() ts.correlate2d(x, ts.zeros({ 0, 2 })) end, "the kernel cannot be empty")
    h.errors(function() ts.correlate2d(ts.zeros({ 0, 2 }), k2) end, "the input cannot be empty")
    h.errors(function() ts.correlate2d(x, k2, "full", "fill", "x") end,
             "expected a number for fillvalue")
  end)
end)
