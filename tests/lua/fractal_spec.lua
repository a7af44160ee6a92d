-- ts.kernels.julia / mandelbrot / grid: High Performance Python's sum, counts
-- against a pure-Lua loop (the same operations in the same order, so equal
-- counts), float32 against a Lua emulation of float32 rounding, edge sizes,
-- layouts, thread-count independence and errors.
local ts = require "tessera"
local h = require "helpers"
local K = ts.kernels

-- The book's loop: while |z| < 2 (as re^2 + im^2 < 4) and n < maxiter.
-- round is identity for float64, a float32 rounding for float32.
local function count(zr, zi, cr, ci, maxiter, round)
  round = round or function(x) return x end
  local n = 0
  while n < maxiter and round(round(zr * zr) + round(zi * zi)) < 4 do
    local r2, i2, ri = round(zr * zr), round(zi * zi), round(zr * zi)
    zr, zi = round(round(r2 - i2) + cr), round(round(ri + ri) + ci)
    n = n + 1
  end
  return n
end
-- float64 -> nearest float32 (exact emulation of one float32 operation:
-- double rounding through float64 is innocuous for +, -, *).
local function f32(x) return (string.unpack("f", string.pack("f", x))) end

-- The book's grid (calc_pure_python): running sums while x < x2, y > y1.
local function book_axes(w)
  local x1, x2, y1, y2 = -1.8, 1.8, -1.8, 1.8
  local xs, ys = {}, {}
  local xstep, ystep = (x2 - x1) / w, (y1 - y2) / w
  local y = y2
  while y > y1 do ys[#ys + 1] = y; y = y + ystep end
  local x = x1
  while x < x2 do xs[#xs + 1] = x; x = x + xstep end
  return xs, ys
end

local with_threads = h.with_threads

local C = { -0.62772, -0.42193 }
local book = { width = 1000, xmin = -1.8, xmax = 1.8, ymin = -1.8, ymax = 1.8, maxiter = 300 }

describe("ts.kernels.julia", function()
  it("reproduces High Performance Python's sum, 33219980", function()
    local xs, ys = book_axes(1000)
    assert.are.equal(1000, #xs)
    assert.are.equal(1000, #ys)
    local counts = K.julia(ts.array(xs):reshape(1, 1000), ts.array(ys):reshape(1000, 1), C, 300)
    assert.are.equal("int32", counts.dtype)
    assert.are.same({ 1000, 1000 }, counts.shape)
    assert.are.equal(33219980, counts:sum())
    local spec = {}
    for k, v in pairs(book) do spec[k] = v end
    spec.accumulate = true
    assert.are.equal(33219980, K.julia(C, spec):sum())
    assert.is_true(K.julia(C, spec):eq(counts):all())
  end)

  it("builds the book's grid with accumulate and the exact one without", function()
    local xs, ys = book_axes(1000)
    local gx, gy = K.grid { width = 1000, xmin = -1.8, xmax = 1.8, ymin = -1.8, ymax = 1.8,
                            accumulate = true }
    assert.are.same(xs, gx:totable())
    assert.are.same(ys, gy:totable())
    local ex, ey = K.grid { width = 4, height = 2, xmin = -1, xmax = 1, ymin = 0, ymax = 1 }
    assert.are.same({ -1, -0.5, 0, 0.5 }, ex:totable())
    assert.are.same({ 1, 0.5 }, ey:totable())
  end)

  it("matches the Lua loop on scattered points, broadcast and 1-d", function()
    local rnd = h.lcg(7)
    for _, c in ipairs { C, { 0.285, 0.01 }, { -0.8, 0.156 }, { 0, 0 }, { -2, 0 } } do
      local n = 1001  -- not a multiple of any group size: exercises the tail
      local re, im = {}, {}
      for i = 1, n do
        re[i] = (rnd(40001) - 20001) / 10000
        im[i] = (rnd(40001) - 20001) / 10000
      end
      re[1], im[1] = 2, 0  -- |z0| = 2 exactly: 0 steps
      re[2], im[2] = 1.9999999999999998, 0
      local got = K.julia(ts.array(re), ts.array(im), c, 200):totable()
      for i = 1, n do
        assert(got[i] == count(re[i], im[i], c[1], c[2], 200), "point " .. i)
      end
    end
  end)

  it("computes float32 inputs in float32", function()
    local rnd = h.lcg(11)
    local re, im = {}, {}
    for i = 1, 1001 do
      re[i] = f32((rnd(30001) - 15001) / 10000)
      im[i] = f32((rnd(30001) - 15001) / 10000)
    end
    local c = { f32(-0.62772), f32(-0.42193) }
    local got = K.julia(ts.array(re, "float32"), ts.array(im, "float32"), C, 200):totable()
    for i = 1, #re do
      assert(got[i] == count(re[i], im[i], c[1], c[2], 200, f32), "point " .. i)
    end
  end)

  it("handles maxiter 0 and 1, 0-size and 1-size inputs", function()
    local re, im = ts.array { 0, 1.5, 2, 3 }, ts.array { 0, 1.5, 0, 0 }
    assert.are.same({ 0, 0, 0, 0 }, K.julia(re, im, C, 0):totable())
    assert.are.same({ 1, 0, 0, 0 }, K.julia(re, im, C, 1):totable())  -- 1.5^2 * 2 > 4
    local e = K.julia(ts.empty(0), ts.empty(0), C, 10)
    assert.are.same({ 0 }, e.shape)
    local g = K.julia(C, { width = 0, xmin = -1, xmax = 1, ymin = -1, ymax = 1, maxiter = 5 })
    assert.are.same({ 0, 0 }, g.shape)
    local one = K.julia(ts.array { 0.1 }, ts.array { 0.2 }, C, 300)
    assert.are.same({ count(0.1, 0.2, C[1], C[2], 300) }, one:totable())
    local s = K.julia(ts.array(0.1), ts.array(0.2), C, 300)  -- 0-d
    assert.are.equal(0, s.ndim)
    assert.are.equal(count(0.1, 0.2, C[1], C[2], 300), s:get())
  end)

  it("reads strided, reversed, broadcast and integer inputs", function()
    local base = ts.linspace(-1.5, 1.5, 64)
    local rev = base:slice({ -1, 1, -1 })
    local want = K.julia(rev:copy(), base, C, 100)
    assert.is_true(K.julia(rev, base, C, 100):eq(want):all())
    local m = ts.linspace(-1.6, 1.6, 24 * 30):reshape(24, 30)
    local t = m:T()  -- (30, 24), strided
    local tw = K.julia(t, t:copy():mul(0.5), C, 50)
    assert.is_true(tw:eq(K.julia(t:copy(), t:copy():mul(0.5), C, 50)):all())
    local ev = m:slice({ 1, -1, 2 }, { 2, -1, 3 })
    assert.is_true(K.julia(ev, ev, C, 50):eq(K.julia(ev:copy(), ev:copy(), C, 50)):all())
    -- a 2-d grid from broadcasting a row of x and a column of y
    local xs, ys = ts.linspace(-1.8, 1.8, 37), ts.linspace(1.8, -1.8, 21)
    local b = K.julia(xs:reshape(1, 37), ys:reshape(21, 1), C, 40)
    assert.are.same({ 21, 37 }, b.shape)
    local xv, yv = xs:totable(), ys:totable()
    for i = 1, 21, 5 do
      for j = 1, 37, 6 do
        assert.are.equal(count(xv[j], yv[i], C[1], C[2], 40), b:get(i, j))
      end
    end
    local ints = K.julia(ts.array({ -1, 0, 1 }, "int32"), ts.array({ 0, 0, 1 }, "int64"), C, 9)
    assert.are.same({ count(-1, 0, C[1], C[2], 9), count(0, 0, C[1], C[2], 9),
                      count(1, 1, C[1], C[2], 9) }, ints:totable())
  end)

  it("gives 0 steps for NaN and infinite points", function()
    local r = K.julia(ts.array { 0 / 0, math.huge, 0 }, ts.array { 0, 0, -math.huge }, C, 10)
    assert.are.same({ 0, 0, 0 }, r:totable())
  end)

  it("is the same at 1 and 2 threads", function()
    local spec = { width = 300, height = 200, xmin = -1.8, xmax = 1.8, ymin = -1.2, ymax = 1.2,
                   maxiter = 200 }
    local one = with_threads(1, function() return K.julia(C, spec) end)
    local two = with_threads(2, function() return K.julia(C, spec) end)
    assert.is_true(one:eq(two):all())
    assert.are.equal(one:sum(), two:sum())
  end)

  it("raises on bad arguments", function()
    local a = ts.zeros(3)
    h.errors(function() K.julia(a, a, C, -1) end, "kernels.julia: maxiter must be in [0")
    h.errors(function() K.julia(a, a, C, 2.5) end, "kernels.julia:")
    h.errors(function() K.julia(a, a, C) end, "expected maxiter")
    h.errors(function() K.julia(a, a, { 1 }, 5) end, "expected c as a number, a complex or a table")
    h.errors(function() K.julia(a, C, 5) end,
             "kernels.julia: expected a complex array (or arrays of real and imaginary parts), got float64")
    h.errors(function() K.julia(a, a, "x", 5) end, "expected c as a number")
    h.errors(function() K.julia(a, ts.zeros(4), C, 5) end, "cannot broadcast")
    h.errors(function() K.julia(a, "b", C, 5) end, "expected c as a number, a complex")
    h.errors(function() K.julia(C, { width = 10, xmin = 0, xmax = 1, ymin = 0, ymax = 1 }) end,
             "expected maxiter")
    h.errors(function() K.julia(C, { width = 10, xmin = 0, xmax = 1, ymin = 0, maxiter = 3 }) end,
             "grid field 'ymax'")
    h.errors(function() K.julia(C, { width = -1, xmin = 0, xmax = 1, ymin = 0, ymax = 1,
                                     maxiter = 3 }) end, "must not be negative")
    h.errors(function() K.julia(C, 5) end, "expected a grid table")
    h.errors(function() K.grid { width = 2.5, xmin = 0, xmax = 1, ymin = 0, ymax = 1 } end,
             "expected an integer for grid field 'width'")
  end)
end)

describe("ts.kernels.mandelbrot", function()
  it("counts known points", function()
    -- c = 0, -1, i stay bounded; c = 2 and -2 reach |z| = 2 after one step; c = 1 after two
    local re = ts.array { 0, -1, 0, 2, -2, 1, 0.25, 3 }
    local im = ts.array { 0, 0, 1, 0, 0, 0, 0, 0 }
    assert.are.same({ 100, 100, 100, 1, 1, 2, 100, 1 }, K.mandelbrot(re, im, 100):totable())
  end)

  it("matches the Lua loop, with z0 = 0 or given", function()
    local xs, ys = ts.linspace(-2.2, 0.8, 41), ts.linspace(1.3, -1.3, 27)
    local m = K.mandelbrot(xs:reshape(1, 41), ys:reshape(27, 1), 70)
    local m2 = K.mandelbrot(xs:reshape(1, 41), ys:reshape(27, 1), 70, { 0.1, -0.2 })
    local xv, yv = xs:totable(), ys:totable()
    for i = 1, 27 do
      for j = 1, 41 do
        assert.are.equal(count(0, 0, xv[j], yv[i], 70), m:get(i, j))
        assert.are.equal(count(0.1, -0.2, xv[j], yv[i], 70), m2:get(i, j))
      end
    end
    local g = K.mandelbrot { width = 41, height = 27, xmin = -2.2, xmax = 0.8, ymin = -1.3,
                             ymax = 1.3, maxiter = 70 }
    local gx, gy = K.grid { width = 41, height = 27, xmin = -2.2, xmax = 0.8, ymin = -1.3,
                            ymax = 1.3 }
    assert.is_true(g:eq(K.mandelbrot(gx:reshape(1, 41), gy:reshape(27, 1), 70)):all())
  end)

  it("counts past 2^20 steps exactly", function()
    local n = (1 << 21) + 3
    local r = K.mandelbrot(ts.array { 0, -1, 2 }, ts.array { 0, 0, 0 }, n)
    assert.are.same({ n, n, 1 }, r:totable())
  end)

  it("is the same at 1 and 2 threads", function()
    local spec = { width = 257, height = 130, xmin = -2, xmax = 0.6, ymin = -1.2, ymax = 1.2,
                   maxiter = 300 }
    local one = with_threads(1, function() return K.mandelbrot(spec) end)
    local two = with_threads(2, function() return K.mandelbrot(spec) end)
    assert.is_true(one:eq(two):all())
  end)

  it("raises on bad arguments", function()
    h.errors(function() K.mandelbrot(ts.zeros(2), ts.zeros(2), 3, "z") end,
             "kernels.mandelbrot: expected z0 as a number")
    h.errors(function() K.mandelbrot(ts.zeros(2), ts.zeros(2)) end, "expected maxiter")
    h.errors(function() K.mandelbrot(ts.zeros(2), ts.zeros(2), 1 << 40) end, "maxiter must be")
  end)
end)

describe("complex points and constants", function()
  it("takes a complex array and complex scalars", function()
    local re = ts.linspace(-1.8, 1.8, 61):reshape(1, 61)
    local im = ts.linspace(1.6, -1.6, 43):reshape(43, 1)
    local z = re + im * ts.j  -- (43, 61) complex128
    assert.are.equal("complex128", z.dtype)
    local c = ts.complex(C[1], C[2])
    local pair = K.julia(re, im, C, 90)
    assert.is_true(K.julia(z, c, 90):eq(pair):all())
    assert.is_true(K.julia(z, C, 90):eq(pair):all())
    assert.is_true(K.julia(re, im, c, 90):eq(pair):all())
    assert.is_true(K.julia(z:slice({ -1, 1, -1 }, { 1, -1, 3 }), c, 90)
      :eq(pair:slice({ -1, 1, -1 }, { 1, -1, 3 })):all())
    assert.is_true(K.mandelbrot(z, 90):eq(K.mandelbrot(re, im, 90)):all())
    assert.is_true(K.mandelbrot(z, 90, ts.complex(0.1, -0.2))
      :eq(K.mandelbrot(re, im, 90, { 0.1, -0.2 })):all())
  end)

  it("computes complex64 in float32", function()
    local re = ts.linspace(-1.5, 1.5, 77):astype("float32")
    local im = ts.linspace(1.2, -1.2, 77):astype("float32")
    local z = (re:astype("float64") + im:astype("float64") * ts.j):astype("complex64")
    assert.is_true(K.julia(z, C, 120):eq(K.julia(re, im, C, 120)):all())
  end)
end)
