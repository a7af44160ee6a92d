-- ts.linalg and the BLAS paths of ts.matmul / ts.dot: identities computed
-- independently (A @ inv(A) = I, Q R = A, U diag(S) Vh = A, A v = w v, ...),
-- hand values, NumPy 1.24 values (noted), layouts, 0-size and error paths.
local ts = require "tessera"
local h = require "helpers"
local la = ts.linalg

-- largest |a - b| over all elements (a, b arrays of one shape; real or complex)
local function maxdiff(a, b)
  assert.are.same(a.shape, b.shape)
  if a.size == 0 then return 0 end
  if a.dtype:find("complex") or b.dtype:find("complex") then return ts.abs(a - b):max() end
  return ts.abs(a:astype("float64") - b:astype("float64")):max()
end

local function near(a, b, tol)
  local d = maxdiff(a, b)
  assert(d <= tol, ("max difference %g > %g"):format(d, tol))
end

local function near_values(a, expected, tol)
  local got = h.values(a)
  assert.are.equal(#expected, #got)
  for i = 1, #got do
    assert(math.abs(got[i] - expected[i]) <= tol, ("%d: %.17g vs %.17g"):format(i, got[i], expected[i]))
  end
end

-- symmetric positive definite 3x3, det 70 (by cofactors)
local function spd() return ts.array({ { 4, 1, 2 }, { 1, 5, 3 }, { 2, 3, 6 } }) end

local function rand(shape) return ts.random.uniform(-1, 1, shape) end

local function diag(v)
  local n = v.shape[1]
  local d = ts.zeros({ n, n }, v.dtype)
  for i = 1, n do d:set(i, i, v:get(i)) end
  return d
end

describe("ts.matmul on BLAS", function()
  it("multiplies float64 and float32 matrices by hand values", function()
    local a = ts.array({ { 1, 2, 3 }, { 4, 5, 6 } }, "float64")
    local b = ts.array({ { 7, 8 }, { 9, 10 }, { 11, 12 } }, "float64")
    local c = ts.matmul(a, b)
    assert.are.same({ 58, 64, 139, 154 }, h.values(c))
    assert.are.equal("float64", c.dtype)
    local c32 = ts.matmul(a:astype("float32"), b:astype("float32"))
    assert.are.equal("float32", c32.dtype)
    assert.are.same({ 58, 64, 139, 154 }, h.values(c32))
    -- int with float promotes to float64 (NumPy)
    assert.are.equal("float64", ts.matmul(a:astype("int32"), b:astype("float32")).dtype)
  end)

  it("agrees with the integer kernel for transposed, strided and negative-step operands", function()
    local ai = ts.arange(48):reshape(6, 8) - 20
    local bi = ts.arange(40):reshape(8, 5) % 7 - 3
    local views = {
      function(x) return x end,
      function(x) return x:T():copy():T() end,                                      -- column-major
      function(x) return x:slice({ -1, 1, -1 }, {}) end,                            -- negative rows
      function(x) return x:slice({}, { -1, 1, -1 }) end,                            -- negative columns
      function(x) return ts.concatenate({ x, x }, 2):slice({}, { 1, x.shape[2] }) end, -- wide rows
    }
    for i, va in ipairs(views) do
      for j, vb in ipairs(views) do
        local a, b = va(ai), vb(bi)
        local want = ts.matmul(a, b) -- int64 kernel
        local got = ts.matmul(a:astype("float64"), b:astype("float64"))
        assert(maxdiff(got, want) == 0, ("views %d, %d"):format(i, j))
      end
    end
    -- every other row and column
    local s = ai:slice({ 1, 6, 2 }, { 1, 8, 2 })
    local t = bi:slice({ 1, 8, 2 }, {})
    assert.are.equal(0, maxdiff(ts.matmul(s:astype("float32"), t:astype("float32")), ts.matmul(s, t)))
    -- a.T @ a reads one buffer both ways
    local f = ai:astype("float64")
    assert.are.equal(0, maxdiff(ts.matmul(f:T(), f), ts.matmul(ai:T(), ai)))
  end)

  it("promotes 1-d operands like np.matmul", function()
    local m = ts.array({ { 1, 2 }, { 3, 4 }, { 5, 6 } }, "float64")
    local v2 = ts.array({ 1, -1 }, "float64")
    local v3 = ts.array({ 1, 0, 2 }, "float64")
    local mv = ts.matmul(m, v2)
    assert.are.same({ 3 }, mv.shape)
    assert.are.same({ -1, -1, -1 }, h.values(mv))
    local vm = ts.matmul(v3, m)
    assert.are.same({ 2 }, vm.shape)
    assert.are.same({ 11, 14 }, h.values(vm))
    assert.are.equal(5, ts.matmul(v3, v3))
  end)

  it("handles 0-size and 1x1 products", function()
    local z = ts.matmul(ts.zeros({ 0, 3 }), ts.ones({ 3, 2 }))
    assert.are.same({ 0, 2 }, z.shape)
    local e = ts.matmul(ts.ones({ 2, 0 }), ts.ones({ 0, 3 }))
    assert.are.same({ 2, 3 }, e.shape)
    assert.are.same({ 0, 0, 0, 0, 0, 0 }, h.values(e))
    local one = ts.matmul(ts.full({ 1, 1 }, 3.0), ts.full({ 1, 1 }, -2.0))
    assert.are.same({ -6 }, h.values(one))
    assert.are.same({ 4, 0, 5 }, ts.matmul(ts.ones({ 4, 0, 3 }), ts.ones({ 3, 5 })).shape)
  end)

  it("broadcasts batch dimensions and matches per-matrix products", function()
    local ai = ts.arange(2 * 1 * 3 * 4):reshape(2, 1, 3, 4) % 5 - 2
    local bi = ts.arange(3 * 4 * 2):reshape(3, 4, 2) % 3 - 1
    local got = ts.matmul(ai:astype("float64"), bi:astype("float64"))
    assert.are.same({ 2, 3, 3, 2 }, got.shape)
    for i = 1, 2 do
      for j = 1, 3 do
        local want = ts.matmul(ai:select(1, i):select(1, 1), bi:select(1, j))
        assert.are.equal(0, maxdiff(got:select(1, i):select(1, j), want))
      end
    end
    -- a stack times one matrix (one tall gemm), and the other way round
    local s = ts.arange(4 * 3 * 5):reshape(4, 3, 5) % 11 - 5
    local m = ts.arange(5 * 2):reshape(5, 2) - 4
    assert.are.equal(0, maxdiff(ts.matmul(s:astype("float64"), m:astype("float64")), ts.matmul(s, m)))
    local st = s:transpose(2, 3) -- (4, 5, 3): non-contiguous stack
    assert.are.equal(0, maxdiff(ts.matmul(m:T():astype("float32"), st:astype("float32")), ts.matmul(m:T(), st)))
    -- vector against a stack
    local v = ts.array({ 1, 2, 3 })
    assert.are.equal(0, maxdiff(ts.matmul(v:astype("float64"), s:astype("float64")), ts.matmul(v, s)))
  end)

  -- ts.matmul splits products into panels fixed by the shape, each one
  -- single-threaded gemm; LAPACK runs on one thread (solve's right-hand sides
  -- in panels fixed by the shape): results are the
  -- same bits at any ts.threads() (docs/linalg.md). OpenBLAS's own threading
  -- changed the last bits of 300x280 @ 280x310, 500^3 and 1000x300 @ 300x7.
  it("gives the same bits at 1, 2 and 3 threads", function()
    local before = ts.threads()
    local a, b = rand({ 300, 280 }), rand({ 280, 310 })
    local c, d = rand({ 500, 500 }), rand({ 500, 500 })
    local e, f = rand({ 1000, 300 }), rand({ 300, 7 })
    local st = rand({ 3, 300, 280 })
    local function run()
      return {
        ts.matmul(a, b), ts.matmul(a:astype("float32"), b:astype("float32")), ts.matmul(c, d),
        ts.matmul(e, f), ts.matmul(st, b), ts.matmul(b:T(), a:T()), ts.dot(c, d),
        ts.linalg.solve(c, d), ts.linalg.inv(c),
      }
    end
    ts.threads(1)
    local one = run()
    -- solve and inv run the right-hand sides in 4 panels of 128 columns here
    assert(maxdiff(ts.matmul(c, one[8]), d) < 1e-9)
    assert(maxdiff(ts.matmul(c, one[9]), ts.eye(500)) < 1e-9)
    for _, n in ipairs({ 2, 3 }) do
      ts.threads(n)
      local got = run()
      for i = 1, #one do assert.are.equal(0, maxdiff(one[i], got[i])) end
    end
    ts.threads(before)
  end)

  it("runs in ts.par workers (one BLAS thread each)", function()
    local a = ts.arange(64):reshape(8, 8):astype("float64")
    local want = h.values(ts.matmul(a, a))
    local got = ts.par.map(function(i)
      local ts = require "tessera"
      local x = ts.arange(64):reshape(8, 8):astype("float64")
      local r = {}
      for _, v in ipairs(ts.matmul(x, x):totable()) do for _, e in ipairs(v) do r[#r + 1] = e end end
      return r
    end, 4)
    for i = 1, 4 do assert.are.same(want, got[i]) end
  end)

  it("reports misaligned and 0-d operands", function()
    h.errors(function() ts.matmul(ts.ones({ 2, 3 }), ts.ones({ 2, 3 })) end, "not aligned")
    h.errors(function() ts.matmul(ts.ones({ 2, 2, 3 }), ts.ones({ 3, 3, 1 })) end, "do not broadcast")
    h.errors(function() ts.matmul(ts.ones({}), ts.ones({ 2 })) end, "matmul: expected arrays of at least 1 dimension")
  end)
end)

describe("ts.dot on BLAS", function()
  it("is the matrix product for 2-d arrays and contracts n-d ones", function()
    local a = ts.arange(6):reshape(2, 3)
    local b = ts.arange(12):reshape(3, 4) - 6
    assert.are.equal(0, maxdiff(ts.dot(a:astype("float64"), b:astype("float64")), ts.dot(a, b)))
    assert.are.equal(0, maxdiff(ts.dot(a:T():astype("float32"), a:astype("float32")), ts.dot(a:T(), a)))
    local c = ts.arange(24):reshape(2, 3, 4) % 5
    local d = ts.arange(20):reshape(4, 5) - 10
    local want = ts.dot(c, d)
    assert.are.same({ 2, 3, 5 }, want.shape)
    assert.are.equal(0, maxdiff(ts.dot(c:astype("float64"), d:astype("float64")), want))
    local e = ts.arange(40):reshape(2, 4, 5) % 3
    assert.are.equal(0, maxdiff(ts.dot(c:astype("float64"), e:astype("float64")), ts.dot(c, e)))
    -- 1-d with 1-d stays the pairwise dot (a Lua number)
    assert.are.equal(32, ts.dot(ts.array({ 1, 2, 3 }, "float64"), ts.array({ 4, 5, 6 }, "float64")))
    assert.are.same({ 2 }, ts.dot(a:astype("float64"), ts.ones({ 3 })).shape)
  end)
end)

describe("ts.linalg.solve and inv", function()
  it("solves A x = b and multiplies back", function()
    local a = spd()
    local b = ts.array({ 1, 2, 3 })
    local x = la.solve(a, b)
    assert.are.equal("float64", x.dtype)
    near(ts.matmul(a, x), b, 1e-14)
    -- NumPy 1.24: np.linalg.solve(a, [1, 2, 3])
    near_values(x, { -6.93889390e-18, 1.42857143e-01, 4.28571429e-01 }, 1e-8)
    local bm = ts.array({ { 1, 0 }, { 0, 1 }, { 2, -1 } })
    near(ts.matmul(a, la.solve(a, bm)), bm, 1e-14)
    local x32 = la.solve(a:astype("float32"), b:astype("float32"))
    assert.are.equal("float32", x32.dtype)
    near(ts.matmul(a:astype("float32"), x32), b, 1e-5)
  end)

  it("solves stacks with broadcast batch dimensions", function()
    local a = ts.stack({ spd(), ts.eye(3) * 2, ts.array({ { 0, 1, 0 }, { 1, 0, 0 }, { 0, 0, 3 } }) })
    local b = ts.arange(6):reshape(1, 3, 2):astype("float64")
    local x = la.solve(a, b)
    assert.are.same({ 3, 3, 2 }, x.shape)
    for i = 1, 3 do near(ts.matmul(a:select(1, i), x:select(1, i)), b:select(1, 1), 1e-13) end
    local v = la.solve(a, ts.array({ 1, 2, 3 }))
    assert.are.same({ 3, 3 }, v.shape)
    assert.are.same({ 2, 1, 1 }, h.values(v:select(1, 3)))
  end)

  it("inverts: A @ inv(A) = I, stacks, 1x1 and 0x0", function()
    local a = spd()
    near(ts.matmul(a, la.inv(a)), ts.eye(3), 1e-15)
    near(ts.matmul(la.inv(a), a), ts.eye(3), 1e-15)
    local r = rand({ 4, 6, 6 })
    local ri = la.inv(r)
    for i = 1, 4 do near(ts.matmul(r:select(1, i), ri:select(1, i)), ts.eye(6), 1e-10) end
    assert.are.same({ 0.25 }, h.values(la.inv(ts.full({ 1, 1 }, 4.0))))
    assert.are.same({ 0, 0 }, la.inv(ts.zeros({ 0, 0 })).shape)
    local t = la.inv(a:T())
    near(ts.matmul(t, a:T()), ts.eye(3), 1e-15)
    assert.are.equal("float32", la.inv(a:astype("float32")).dtype)
    assert.are.equal("float64", la.inv(ts.array({ { 2, 0 }, { 0, 4 } }, "int32")).dtype)
  end)

  -- From n = 384 on, solve and inv factor with Tessera's blocked LU (panels of
  -- 128 columns, trailing updates in parallel; runtime/linalg/lu.hpp).
  it("blocked LU: known solutions for float64, float32 and complex128; singular panels", function()
    local n = 520 -- 4 full panels and a partial one
    local a, x = rand({ n, n }), rand({ n, 3 })
    near(la.solve(a, ts.matmul(a, x)), x, 1e-9)
    near(ts.matmul(a, la.inv(a)), ts.eye(n), 1e-9)
    local a32, x32 = a:astype("float32"), x:astype("float32")
    local got32 = la.solve(a32, ts.matmul(a32, x32))
    assert.are.equal("float32", got32.dtype)
    assert(maxdiff(got32, x32) < 1e-2)
    local i = ts.complex(0, 1)
    local ac = a + rand({ n, n }) * i
    local xc = x + rand({ n, 3 }) * i
    local gotc = la.solve(ac, ts.matmul(ac, xc))
    assert.are.equal("complex128", gotc.dtype)
    assert(maxdiff(gotc, xc) < 1e-9)
    for _, col in ipairs({ 1, 200, n }) do -- a zero column in the first, a middle and the last panel
      local m = ts.ones({ n })
      m:set(col, 0)
      h.errors(function() la.solve(a * m, x) end, "linalg.solve: singular matrix")
      h.errors(function() la.inv(a * m) end, "linalg.inv: singular matrix")
    end
  end)

  it("raises on singular matrices and wrong shapes", function()
    local s = ts.array({ { 1, 2 }, { 2, 4 } })
    h.errors(function() la.solve(s, ts.array({ 1, 2 })) end, "linalg.solve: singular matrix")
    h.errors(function() la.inv(s) end, "linalg.inv: singular matrix")
    h.errors(function() la.inv(ts.ones({ 2, 3 })) end, "linalg.inv: expected a square matrix")
    h.errors(function() la.inv(ts.ones({ 3 })) end, "got shape (3)")
    h.errors(function() la.solve(spd(), ts.ones({ 4 })) end, "linalg.solve: expected b of shape (3)")
    h.errors(function() la.solve(spd(), ts.ones({ 2, 2 })) end, "got shape (2,2)")
    h.errors(function() la.solve(ts.ones({ 2, 2, 2 }), ts.ones({ 3, 2, 1 })) end, "cannot broadcast")
    h.errors(function() la.solve(spd()) end, "linalg.solve: expected an array at argument 2")
  end)
end)

describe("ts.linalg.det and slogdet", function()
  it("matches hand values: triangular, permutation, 1x1, 0x0", function()
    assert.are.equal(-24, la.det(ts.array({ { 2, 5, 7 }, { 0, -3, 1 }, { 0, 0, 4 } })))
    assert.are.equal(-1, la.det(ts.array({ { 0, 1, 0 }, { 1, 0, 0 }, { 0, 0, 1 } })))
    assert.are.equal(1, la.det(ts.array({ { 0, 1, 0 }, { 0, 0, 1 }, { 1, 0, 0 } })))
    assert.are.equal(-7, la.det(ts.full({ 1, 1 }, -7)))
    assert.are.equal(1, la.det(ts.zeros({ 0, 0 })))
    assert.are.equal(0, la.det(ts.array({ { 1, 2 }, { 2, 4 } })))
    assert(math.abs(la.det(spd()) - 70) < 1e-12)
  end)

  it("det(AB) = det(A) det(B), and stacks give arrays", function()
    local a, b = rand({ 5, 5 }), rand({ 5, 5 })
    local dab, da, db = la.det(ts.matmul(a, b)), la.det(a), la.det(b)
    assert(math.abs(dab - da * db) <= 1e-12 * math.max(1, math.abs(dab)))
    local d = la.det(ts.stack({ spd(), ts.eye(3) * 2 }))
    assert.are.same({ 2 }, d.shape)
    near_values(d, { 70, 8 }, 1e-12)
    assert.are.equal("float32", la.det(spd():astype("float32"):reshape(1, 3, 3)).dtype)
  end)

  it("slogdet gives sign and log|det|", function()
    local sign, logabs = la.slogdet(ts.array({ { 2, 5, 7 }, { 0, -3, 1 }, { 0, 0, 4 } }))
    assert.are.equal(-1, sign)
    assert(math.abs(logabs - math.log(24)) < 1e-15)
    sign, logabs = la.slogdet(ts.array({ { 1, 2 }, { 2, 4 } }))
    assert.are.equal(0, sign)
    assert.are.equal(-math.huge, logabs)
    -- no overflow where det would: 400x400 with 10 on the diagonal
    local big = ts.eye(400) * 10
    sign, logabs = la.slogdet(big)
    assert.are.equal(1, sign)
    assert(math.abs(logabs - 400 * math.log(10)) < 1e-10)
    local s, l = la.slogdet(ts.stack({ spd(), -ts.eye(3) }))
    assert.are.same({ 1, -1 }, h.values(s))
    near_values(l, { math.log(70), 0 }, 1e-14)
  end)
end)

describe("ts.linalg factorizations", function()
  it("cholesky: lower L with L L^T = A", function()
    local a = spd()
    local l = la.cholesky(a)
    near(ts.matmul(l, l:T()), a, 1e-14)
    assert.are.equal(0, l:get(1, 2))
    assert.are.equal(0, l:get(1, 3))
    assert.are.equal(0, l:get(2, 3))
    assert.are.equal(2, l:get(1, 1))
    -- reads the lower triangle only
    local junk = a:copy()
    junk:set(1, 3, 99)
    near(la.cholesky(junk), l, 0)
    h.errors(function() la.cholesky(ts.array({ { 1, 2 }, { 2, 1 } })) end, "linalg.cholesky: matrix is not positive definite")
    local st = la.cholesky(ts.stack({ a, ts.eye(3) * 4 }))
    near(st:select(1, 2), ts.eye(3) * 2, 0)
  end)

  it("qr: Q orthonormal, R upper triangular, Q R = A in every mode", function()
    local a = ts.array({ { 1, 2 }, { 3, 4 }, { 5, 6 } })
    local q, r = la.qr(a)
    assert.are.same({ 3, 2 }, q.shape)
    assert.are.same({ 2, 2 }, r.shape)
    near(ts.matmul(q, r), a, 1e-14)
    near(ts.matmul(q:T(), q), ts.eye(2), 1e-15)
    assert.are.equal(0, r:get(2, 1))
    -- NumPy 1.24: np.linalg.qr([[1,2],[3,4],[5,6]])
    near_values(r, { -5.91607978, -7.43735744, 0, 0.82807867 }, 1e-8)
    near_values(q:slice({}, 1), { -0.16903085, -0.50709255, -0.84515425 }, 1e-8)
    local qc, rc = la.qr(a, "complete")
    assert.are.same({ 3, 3 }, qc.shape)
    assert.are.same({ 3, 2 }, rc.shape)
    near(ts.matmul(qc, rc), a, 1e-14)
    near(ts.matmul(qc:T(), qc), ts.eye(3), 1e-15)
    near(la.qr(a, { mode = "r" }), r, 1e-15)
    local w = rand({ 2, 3, 5 })
    local qw, rw = la.qr(w)
    assert.are.same({ 2, 3, 3 }, qw.shape)
    assert.are.same({ 2, 3, 5 }, rw.shape)
    near(ts.matmul(qw, rw), w, 1e-14)
    h.errors(function() la.qr(a, "full") end, "linalg.qr: expected mode 'reduced', 'complete' or 'r'")
  end)

  it("svd: U diag(S) Vh = A, shapes, and NumPy's values", function()
    local a = ts.array({ { 1, 2, 3 }, { 4, 5, 6 } })
    local u, s, vh = la.svd(a)
    assert.are.same({ 2, 2 }, u.shape)
    assert.are.same({ 3, 3 }, vh.shape)
    -- NumPy 1.24: np.linalg.svd([[1,2,3],[4,5,6]])
    near_values(s, { 9.508032, 0.77286964 }, 1e-7)
    near_values(u, { -0.3863177, -0.92236578, -0.92236578, 0.3863177 }, 1e-8)
    near_values(vh:select(1, 3), { 0.40824829, -0.81649658, 0.40824829 }, 1e-8)
    local ur, sr, vhr = la.svd(a, { full_matrices = false })
    assert.are.same({ 2, 3 }, vhr.shape)
    near(ts.matmul(ts.matmul(ur, diag(sr)), vhr), a, 1e-14)
    near(ts.matmul(vh, vh:T()), ts.eye(3), 1e-15)
    near(la.svd(a, { compute_uv = false }), s, 1e-15)
    local tall = rand({ 3, 7, 4 })
    local ut, st, vt = la.svd(tall, { full_matrices = false })
    assert.are.same({ 3, 7, 4 }, ut.shape)
    for i = 1, 3 do
      near(ts.matmul(ts.matmul(ut:select(1, i), diag(st:select(1, i))), vt:select(1, i)), tall:select(1, i), 1e-14)
      assert(st:get(i, 1) >= st:get(i, 2) and st:get(i, 2) >= st:get(i, 3))
    end
    local ue, se, ve = la.svd(ts.zeros({ 0, 3 }))
    assert.are.same({ 0, 0 }, ue.shape)
    assert.are.same({ 0 }, se.shape)
    near(ve, ts.eye(3), 0)
    h.errors(function() la.svd(a, { full = true }) end, "linalg.svd: unknown option 'full'")
  end)

  it("eigh: A v = w v with ascending w; UPLO picks the triangle", function()
    local a = spd()
    local w, v = la.eigh(a)
    near_values(w, { 2.19439717, 3.38677016, 9.41883268 }, 1e-8) -- NumPy 1.24
    near(ts.matmul(a, v), ts.matmul(v, diag(w)), 1e-14)
    near(ts.matmul(v:T(), v), ts.eye(3), 1e-15)
    -- NumPy's eigenvector signs
    near_values(v:select(2, 1), { -0.4412247, -0.57735027, 0.68701342 }, 1e-8)
    local lower, upper = a:copy(), a:copy()
    lower:set(1, 3, 100)
    upper:set(3, 1, 100)
    near(la.eigvalsh(lower), w, 1e-14)
    near(la.eigvalsh(upper, "U"), w, 1e-14)
    near(la.eigh(upper, { UPLO = "U" }), w, 1e-14)
    h.errors(function() la.eigh(a, "X") end, "linalg.eigh: expected UPLO 'L' or 'U'")
    local ws = la.eigvalsh(ts.stack({ ts.eye(2) * 3, ts.array({ { 2, 1 }, { 1, 2 } }) }))
    near_values(ws, { 3, 3, 1, 3 }, 1e-14)
  end)

  it("eig: known 2x2, A v = w v, and complex eigenvalues of a rotation", function()
    local a = ts.array({ { 4, 1 }, { 2, 3 } }) -- eigenvalues 2 and 5
    local w, v = la.eig(a)
    local ws = h.values(w)
    table.sort(ws)
    assert(math.abs(ws[1] - 2) < 1e-14 and math.abs(ws[2] - 5) < 1e-14)
    near(ts.matmul(a, v), ts.matmul(v, diag(w)), 1e-14)
    -- NumPy 1.24: np.linalg.eig([[2,1],[1,3]])
    local w2, v2 = la.eig(ts.array({ { 2, 1 }, { 1, 3 } }))
    near_values(w2, { 1.38196601, 3.61803399 }, 1e-8)
    near_values(v2, { -0.85065081, -0.52573111, 0.52573111, -0.85065081 }, 1e-8)
    near(la.eigvals(ts.array({ { 2, 0, 0 }, { 0, -1, 0 }, { 0, 0, 7 } })), ts.array({ 2, -1, 7 }), 0)
  end)

  it("eig: a rotation has complex eigenvalues and conjugate eigenvectors (NumPy's)", function()
    local r = ts.array({ { 0, -1 }, { 1, 0 } })
    local w, v = la.eig(r)
    assert.are.equal("complex128", w.dtype)
    assert.are.equal("complex128", v.dtype)
    local i = ts.complex(0, 1)
    near(w, ts.array({ 0, 0 }, "complex128") + ts.array({ 1, -1 }) * i, 1e-15)
    near(ts.matmul(r, v), ts.matmul(v, ts.array({ { 1, 0 }, { 0, -1 } }) * i), 1e-15)
    -- NumPy 1.24: v = [[0.70710678+0j, 0.70710678-0j], [-0.70710678j, +0.70710678j]]
    local s = math.sqrt(0.5)
    near(v, ts.array({ { s, s }, { 0, 0 } }, "complex128") + ts.array({ { 0, 0 }, { -s, s } }) * i, 1e-15)
    -- a real block and a rotation block: real and complex eigenvalues together
    local m = ts.array({ { 2, 0, 0 }, { 0, 0, -3 }, { 0, 3, 0 } })
    local wm, vm = la.eig(m)
    near(ts.matmul(m, vm), ts.matmul(vm, diag(wm)), 1e-14)
    assert.are.equal("complex64", la.eigvals(r:astype("float32")).dtype)
  end)

  it("complex inputs: matmul, solve, inv, det, slogdet, eigh, svd, cholesky, qr, lstsq", function()
    local i = ts.complex(0, 1)
    local c = ts.array({ { 1, -1 }, { 1, 1 } }, "complex128") + ts.array({ { 0, -2 }, { 2, 0 } }) * i
    -- (1, -1-2i; 1+2i, 1): hand products
    local cc = ts.matmul(c, c)
    near(cc, ts.array({ { 4, -2 }, { 2, 4 } }, "complex128") + ts.array({ { -4, -4 }, { 4, -4 } }) * i, 1e-15)
    assert.are.equal("complex64", ts.matmul(c:astype("complex64"), ts.ones({ 2, 2 }, "float32")).dtype)
    -- NumPy 1.24 values for this matrix
    local d = la.det(c)
    assert(math.abs(d.real + 2) < 1e-14 and math.abs(d.imag - 4) < 1e-14)
    local sign, logabs = la.slogdet(c)
    assert(math.abs(sign.real + 0.447213595499958) < 1e-14 and math.abs(sign.imag - 0.8944271909999157) < 1e-14)
    assert(math.abs(logabs - 1.4978661367769956) < 1e-14)
    near(la.inv(c), ts.array({ { -0.1, 0.3 }, { -0.3, -0.1 } }, "complex128") + ts.array({ { -0.2, -0.4 }, { 0.4, -0.2 } }) * i, 1e-15)
    local b = ts.array({ 1, 2 }, "complex128") + ts.array({ 1, 0 }) * i
    near(ts.matmul(c, la.solve(c, b)), b, 1e-14)
    local u, s, vh = la.svd(c)
    assert.are.equal("float64", s.dtype)
    near_values(s, { 3.16227766, 1.41421356 }, 1e-8)
    near(ts.matmul(ts.matmul(u, diag(s:astype("complex128"))), vh), c, 1e-14)
    -- Hermitian positive definite: c c^H
    local herm = ts.matmul(c, ts.conj(c):T())
    local l = la.cholesky(herm)
    near(ts.matmul(l, ts.conj(l):T()), herm, 1e-13)
    local w, v = la.eigh(herm)
    assert.are.equal("float64", w.dtype)
    near(ts.matmul(herm, v), ts.matmul(v, diag(w:astype("complex128"))), 1e-13)
    near_values(la.eigvalsh(ts.array({ { 2, 0 }, { 0, 3 } }, "complex64")), { 2, 3 }, 0)
    local q, r = la.qr(c)
    near(ts.matmul(q, r), c, 1e-14)
    near(ts.matmul(ts.conj(q):T(), q), ts.eye(2, "complex128"), 1e-15)
    local x, res, rank = la.lstsq(ts.concatenate({ c, c }, 1), ts.concatenate({ b, b }))
    assert.are.equal(2, rank)
    near(x, la.solve(c, b), 1e-14)
    assert.are.equal("float64", res.dtype)
  end)

  it("lstsq: exact and overdetermined fits", function()
    -- points on y = 2 + 3 t
    local a = ts.array({ { 1, 0 }, { 1, 1 }, { 1, 2 }, { 1, 3 } })
    local x, res, rank, s = la.lstsq(a, ts.array({ 2, 5, 8, 11 }))
    near_values(x, { 2, 3 }, 1e-13)
    assert.are.equal(2, rank)
    assert.are.same({ 1 }, res.shape)
    assert(res:get(1) < 1e-25)
    assert.are.same({ 2 }, s.shape)
    -- NumPy 1.24: np.linalg.lstsq([[1,0],[1,1],[1,2]], [1,3,5.1], rcond=None)
    x, res, rank, s = la.lstsq(ts.array({ { 1, 0 }, { 1, 1 }, { 1, 2 } }), ts.array({ 1, 3, 5.1 }))
    near_values(x, { 0.98333333, 2.05 }, 1e-8)
    near_values(res, { 0.00166667 }, 1e-8)
    near_values(s, { 2.6762432, 0.91527173 }, 1e-7)
    -- several right-hand sides; rank-deficient a has no residuals
    local b = ts.array({ { 2, 1 }, { 5, 1 }, { 8, 1 }, { 11, 1 } })
    x, res = la.lstsq(a, b)
    assert.are.same({ 2, 2 }, x.shape)
    near_values(x, { 2, 1, 3, 0 }, 1e-13)
    assert.are.same({ 2 }, res.shape)
    local x0, r0, rank0 = la.lstsq(ts.array({ { 1, 1 }, { 1, 1 }, { 1, 1 } }), ts.array({ 1, 2, 3 }))
    assert.are.equal(1, rank0)
    assert.are.same({ 0 }, r0.shape)
    near_values(x0, { 1, 1 }, 1e-14)
    h.errors(function() la.lstsq(ts.ones({ 2, 2, 2 }), ts.ones({ 2 })) end, "linalg.lstsq: expected a 2-d matrix a")
    h.errors(function() la.lstsq(a, ts.ones({ 3 })) end, "linalg.lstsq: expected b of shape (4)")
    h.errors(function() la.lstsq(a, ts.ones({ 4 }), "x") end, "expected a number for rcond")
  end)

  it("documents every function", function()
    for name, f in pairs(la) do
      assert(ts._help[f], "no help for linalg." .. name)
    end
  end)
end)
