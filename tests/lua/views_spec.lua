-- Views never copy: every test writes through the view and reads the parent
-- (or the reverse). Expected elements are computed by hand from the
-- row-major layout of ts.arange(n), whose element k is k.
local ts = require "tessera"
local h = require "helpers"

local values, errors, grid = h.values, h.errors, h.grid

describe("slice", function()
  it("selects inclusive ranges, with steps", function()
    local a = ts.arange(10)
    assert.are.same({ 3, 4, 5 }, values(a:slice({ 3, 5 })))
    assert.are.same({ 1, 4, 7, 10 }, values(a:slice({ 1, 10, 3 })))
    assert.are.same({ 2, 4, 6, 8 }, values(a:slice({ 2, 9, 2 })))
    assert.are.same({ 8, 9, 10 }, values(a:slice({ -3, -1 })))
    assert.are.same({ 8, 9, 10 }, values(a:slice({ -3 })))
    assert.are.same({ 1, 2, 3 }, values(a:slice({ nil, 3 })))
    assert.are.same({ 1, 3, 5, 7, 9 }, values(a:slice({ nil, nil, 2 })))
    assert.are.same(values(a), values(a:slice({})))
    assert.are.same(values(a), values(a:slice(":")))
  end)

  it("walks backwards with a negative step", function()
    local a = ts.arange(10)
    assert.are.same({ 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, values(a:slice({ -1, 1, -1 })))
    assert.are.same({ 10, 9, 8, 7, 6, 5, 4, 3, 2, 1 }, values(a:slice({ nil, nil, -1 })))
    assert.are.same({ 9, 6, 3 }, values(a:slice({ 9, 1, -3 })))
    assert.are.same({ 5, 3, 1 }, values(a:slice({ 5, nil, -2 })))
    assert.are.same({ 10, 8 }, values(a:slice({ nil, 7, -2 })))
    assert.are.same({ -1 }, a:slice({ -1, 1, -1 }):strides())
    assert.are.equal(0, a:slice({ 2, 5, -1 }).size)
  end)

  it("clamps out-of-range bounds like string.sub", function()
    local a = ts.arange(5)
    assert.are.same({ 1, 2, 3, 4, 5 }, values(a:slice({ -100, 100 })))
    assert.are.same({ 4, 5 }, values(a:slice({ 4, 100 })))
    assert.are.equal(0, a:slice({ 6, 10 }).size)
    assert.are.equal(0, a:slice({ 4, 2 }).size)
    assert.are.equal(0, a:slice({ 0, 0 }).size)  -- like ("abcde"):sub(0, 0)
    assert.are.same({ 1 }, values(a:slice({ 0, 1 })))
    assert.are.same({ 5, 4, 3, 2, 1 }, values(a:slice({ 100, -100, -1 })))
    -- the same bounds string.sub uses
    local s = "12345"
    for _, r in ipairs({ { 2, 4 }, { -2, -1 }, { -9, 2 }, { 3, 9 }, { 4, 3 }, { 0, 2 } }) do
      local expected = {}
      for c in s:sub(r[1], r[2]):gmatch(".") do expected[#expected + 1] = tonumber(c) end
      assert.are.same(expected, values(a:slice(r)), r[1] .. "," .. r[2])
    end
  end)

  it("selects with a number and drops the dimension", function()
    local a = grid(3, 4)
    local r = a:slice(2)
    assert.are.same({ 4 }, r.shape)
    assert.are.same({ 21, 22, 23, 24 }, values(r))
    local c = a:slice(":", -1)
    assert.are.same({ 3 }, c.shape)
    assert.are.same({ 14, 24, 34 }, values(c))
    local e = a:slice(3, 2)
    assert.are.equal(0, e.ndim)
    assert.are.equal(32, e:get())
  end)

  it("slices several dimensions at once", function()
    local a = grid(3, 4)
    local s = a:slice({ 1, 3, 2 }, { -1, 1, -2 })
    assert.are.same({ 2, 2 }, s.shape)
    assert.are.same({ 14, 12, 34, 32 }, values(s))
  end)

  it("writes through to the parent", function()
    local a = ts.arange(10)
    local v = a:slice({ 2, 8, 3 })  -- 2, 5, 8
    v:set(2, -5)
    assert.are.equal(-5, a:get(5))
    local r = a:slice({ -1, 1, -1 })
    r:set(1, 100)
    assert.are.equal(100, a:get(10))
    a:set(1, 42)
    assert.are.equal(42, r:get(10))
    v:fill_(0)
    assert.are.same({ 42, 0, 3, 4, 0, 6, 7, 0, 9, 100 }, values(a))
  end)

  it("rejects bad ranges", function()
    local a = ts.zeros(3, 4)
    errors(function() a:slice({ 1, 2, 0 }) end, "slice: step must not be zero for dimension 1")
    errors(function() a:slice({}, {}, {}) end, "slice: 3 ranges given for a 2-d array")
    errors(function() a:slice("x") end, "slice: expected a range {first, last [, step]} or ':' for dimension 1, got 'x'")
    errors(function() a:slice(true) end, "slice: expected a range {first, last [, step]} for dimension 1, got boolean")
    errors(function() a:slice({ 1.5, 2 }) end, "slice: expected an integer range start, got 1.5")
    errors(function() a:slice({ 1, "b" }) end, "slice: expected an integer range end, got string")
    errors(function() a:slice(5) end, "slice: index 5 out of range for dimension 1 of size 3")
    errors(function() a:slice(":", 0) end, "slice: index 0 out of range for dimension 2 of size 4")
    errors(function() ts.slice(a) end, "")  -- a method, not a function
  end)
end)

describe("select and narrow", function()
  it("select removes the dimension", function()
    local a = grid(3, 4)
    assert.are.same({ 21, 22, 23, 24 }, values(a:select(1, 2)))
    assert.are.same({ 13, 23, 33 }, values(a:select(2, 3)))
    assert.are.same({ 14, 24, 34 }, values(a:select(-1, -1)))
    local s = a:select(2, 1)
    s:set(3, 0)
    assert.are.equal(0, a:get(3, 1))
    local x = ts.arange(24):reshape(2, 3, 4):select(2, 3)
    assert.are.same({ 2, 4 }, x.shape)
    assert.are.same({ 9, 10, 11, 12, 21, 22, 23, 24 }, values(x))
  end)

  it("narrow keeps a run of indices", function()
    local a = grid(3, 4)
    local n = a:narrow(2, 2, 2)
    assert.are.same({ 3, 2 }, n.shape)
    assert.are.same({ 12, 13, 22, 23, 32, 33 }, values(n))
    assert.are.same({ 31, 32, 33, 34 }, values(a:narrow(1, -1, 1)))
    assert.are.equal(0, a:narrow(1, 2, 0).size)
    n:fill_(0)
    assert.are.same({ 11, 0, 0, 14 }, values(a[1]))
  end)

  it("reject bad arguments", function()
    local a = grid(3, 4)
    errors(function() a:select(3, 1) end, "select: axis 3 out of range for 2-d array")
    errors(function() a:select(0, 1) end, "select: axis 0 out of range for 2-d array")
    errors(function() a:select(1, 4) end, "select: index 4 out of range for dimension 1 of size 3")
    errors(function() a:select(2, -5) end, "select: index -5 out of range for dimension 2 of size 4")
    errors(function() a:select(1) end, "select: expected an integer index, got no value")
    errors(function() ts.array(1):select(1, 1) end, "select: cannot select from a 0-d array")
    errors(function() a:narrow(2, 3, 3) end, "narrow: length 3 from index 3 exceeds dimension 2 of size 4")
    errors(function() a:narrow(2, 1, -1) end, "narrow:")
    errors(function() a:narrow(2, 5, 1) end, "narrow: index 5 out of range")
    errors(function() a:narrow(9, 1, 1) end, "narrow: axis 9 out of range")
  end)
end)

describe("transposes", function()
  it("T reverses all dimensions", function()
    local a = grid(2, 3)
    local t = a:T()
    assert.are.same({ 3, 2 }, t.shape)
    assert.are.same({ 11, 21, 12, 22, 13, 23 }, values(t))
    t:set(3, 1, -1)
    assert.are.equal(-1, a:get(1, 3))
    local b = ts.arange(24):reshape(2, 3, 4)
    local bt = b:T()
    assert.are.same({ 4, 3, 2 }, bt.shape)
    assert.are.same({ 1, 4, 12 }, bt:strides())
    -- bt[k][j][i] = b[i][j][k] = 12(i-1) + 4(j-1) + k
    assert.are.equal(12 * 1 + 4 * 2 + 3, bt:get(3, 3, 2))
    assert.are.same({ 5 }, ts.arange(5):T().shape)
    assert.are.equal(7, ts.array(7):T():get())
  end)

  it("transpose swaps two dimensions (all without arguments)", function()
    local b = ts.arange(24):reshape(2, 3, 4)
    local t = b:transpose(1, 3)
    assert.are.same({ 4, 3, 2 }, t.shape)
    assert.are.equal(b:get(2, 1, 4), t:get(4, 1, 2))
    local u = b:transpose(-1, -2)
    assert.are.same({ 2, 4, 3 }, u.shape)
    assert.are.equal(b:get(1, 3, 2), u:get(1, 2, 3))
    assert.are.same({ 4, 3, 2 }, b:transpose().shape)
    assert.are.same(values(b:T()), values(b:transpose()))
    errors(function() b:transpose(1, 4) end, "transpose: axis 4 out of range for 3-d array")
    errors(function() b:transpose(1) end, "transpose: expected an integer axis, got no value")
  end)

  it("permute reorders dimensions", function()
    local b = ts.arange(24):reshape(2, 3, 4)
    local p = b:permute(2, 3, 1)
    assert.are.same({ 3, 4, 2 }, p.shape)
    assert.are.same({ 4, 1, 12 }, p:strides())
    for i = 1, 2 do
      for j = 1, 3 do
        for k = 1, 4 do assert.are.equal(b:get(i, j, k), p:get(j, k, i)) end
      end
    end
    assert.are.same(p.shape, b:permute({ 2, 3, 1 }).shape)
    assert.are.same({ 4, 2, 3 }, b:permute(-1, 1, 2).shape)
    p:set(1, 1, 2, -7)
    assert.are.equal(-7, b:get(2, 1, 1))
    errors(function() b:permute(1, 1, 2) end, "permute: dimension 1 repeated in permutation")
    errors(function() b:permute(1, 2) end, "permute: expected 3 axes, got 2")
    errors(function() b:permute({ 1, 2, 3, 1 }) end, "permute: expected 3 axes, got 4")
    errors(function() b:permute(1, 2, 4) end, "permute: axis 4 out of range for 3-d array")
  end)
end)

describe("reshape", function()
  it("is a view of contiguous data", function()
    local a = ts.arange(12)
    local r = a:reshape(3, 4)
    assert.are.same({ 3, 4 }, r.shape)
    assert.are.equal(7, r:get(2, 3))
    r:set(2, 3, -7)
    assert.are.equal(-7, a:get(7))
    local r2 = a:reshape({ 2, 2, 3 })
    assert.are.same({ 2, 2, 3 }, r2.shape)
    r2:set(2, 2, 3, 0)
    assert.are.equal(0, a:get(12))
    assert.are.same({ 12 }, r:reshape(-1).shape)
    assert.are.same({ 4, 3 }, a:reshape(-1, 3).shape)
    assert.are.same({ 2, 6 }, a:reshape({ 2, -1 }).shape)
    assert.are.same({ 1, 12, 1 }, a:reshape(1, -1, 1).shape)
    assert.are.same({ 3, 4 }, ts.reshape(a, 3, 4).shape)
  end)

  it("is a view of views whose strides allow it", function()
    local a = ts.arange(24):reshape(4, 6)
    local rows = a[{ { 1, 4, 2 } }]  -- rows 1 and 3: each row contiguous
    local r = rows:reshape(2, 2, 3)
    r:set(2, 1, 1, -1)
    assert.are.equal(-1, a:get(3, 1))
    -- transposed, then reshaped only along its split dimension
    local t = ts.arange(6):reshape(2, 3):T()  -- (3,2) strides (1,3)
    local tv = t:reshape(3, 2, 1)
    tv:set(2, 2, 1, 100)
    assert.are.equal(100, t:get(2, 2))
    -- reversed: splitting a negative-stride dimension is still a view
    local rev = ts.arange(6):slice({ -1, 1, -1 })
    local rr = rev:reshape(2, 3)
    assert.are.same({ 6, 5, 4, 3, 2, 1 }, values(rr))
    rr:set(1, 1, 60)
    assert.are.equal(60, rev:get(1))
  end)

  it("copies when the strides do not allow a view", function()
    local a = ts.arange(6):reshape(2, 3)
    local t = a:T()
    local flat = t:reshape(6)
    assert.are.same({ 1, 4, 2, 5, 3, 6 }, values(flat))
    flat:set(1, 100)
    assert.are.equal(1, a:get(1, 1))  -- a copy
    local cols = ts.arange(12):reshape(3, 4)[{ {}, { 1, 3 } }]
    local c = cols:reshape(9)
    assert.are.same({ 1, 2, 3, 5, 6, 7, 9, 10, 11 }, values(c))
    c:set(1, -1)
    assert.are.equal(1, cols:get(1, 1))
  end)

  it("handles empty and 0-d shapes", function()
    assert.are.same({}, ts.array({ 5 }):reshape({}).shape)
    assert.are.equal(5, ts.array({ 5 }):reshape({}):get())
    assert.are.same({ 1 }, ts.array(5):reshape(1).shape)
    assert.are.same({ 0, 3 }, ts.zeros(0):reshape(0, 3).shape)
    assert.are.same({ 3, 0 }, ts.zeros(2, 0):reshape(3, -1).shape)
  end)

  it("rejects impossible shapes", function()
    local a = ts.arange(12)
    errors(function() a:reshape(5) end, "reshape: cannot reshape array of size 12 into 1-d shape of size 5")
    errors(function() a:reshape(-1, -1) end, "reshape: only one dimension can be -1")
    errors(function() a:reshape(5, -1) end, "reshape: cannot reshape array of size 12 into shape with -1")
    errors(function() a:reshape(-2, 6) end, "reshape: negative dimension -2")
    errors(function() a:reshape(2.5) end, "reshape: expected an integer dimension, got 2.5")
    errors(function() a:reshape(1 << 40, 1 << 40, 1 << 40) end, "reshape: cannot reshape array of size 12")
    errors(function() ts.zeros(0):reshape(0, -1) end, "reshape:")
  end)
end)

describe("reshape, randomised", function()
  -- Property: for any view v and any shape s of the same size, the row-major
  -- elements of v:reshape(s) are those of v; and a write through the result
  -- shows in v exactly when the result is a view (it never half-aliases).
  local function random_shape(size, rnd)
    local dims, left = {}, size
    while left > 1 and #dims < 4 do
      local divisors = {}
      for d = 1, left do if left % d == 0 then divisors[#divisors + 1] = d end end
      local d = divisors[rnd(#divisors)]
      dims[#dims + 1] = d
      left = left // d
    end
    if left > 1 or #dims == 0 then dims[#dims + 1] = left end
    if rnd(3) == 1 then table.insert(dims, rnd(#dims + 1), 1) end
    return dims
  end

  it("keeps row-major order for views of every layout", function()
    local rnd = h.lcg(12345)  -- so failures reproduce
    for _ = 1, 300 do
      local base = ts.arange(360):reshape(random_shape(360, rnd))
      local v = base
      -- a random permutation, then random steps/reversals per dimension
      local order = {}
      for d = 1, v.ndim do order[d] = d end
      for d = v.ndim, 2, -1 do
        local j = rnd(d)
        order[d], order[j] = order[j], order[d]
      end
      v = v:permute(order)
      local ranges = {}
      for d = 1, v.ndim do
        local step = ({ 1, 1, 2, -1, -2 })[rnd(5)]
        ranges[d] = { nil, nil, step }
      end
      v = v:slice(table.unpack(ranges))
      if v.size > 0 then
        local expected = values(v)
        local r = v:reshape(random_shape(v.size, rnd))
        assert.are.same(expected, values(r))
        local k = rnd(v.size)
        -- the k-th row-major element of r
        local idx, rest = {}, k - 1
        local shape = r.shape
        for d = #shape, 1, -1 do
          idx[d] = rest % shape[d] + 1
          rest = rest // shape[d]
        end
        idx[#idx + 1] = -1
        local contiguous = v:is_contiguous()
        r:set(table.unpack(idx))
        local after = values(v)
        local as_view = {}
        for i = 1, #expected do as_view[i] = expected[i] end
        as_view[k] = -1
        if contiguous then
          assert.are.same(as_view, after)  -- contiguous data always reshapes as a view
        else
          assert.is_true(require("luassert.util").deepcompare(after, expected) or
                         require("luassert.util").deepcompare(after, as_view))
        end
      end
    end
  end)
end)

describe("flatten", function()
  it("is a row-major copy", function()
    local a = ts.arange(6):reshape(2, 3)
    local f = a:T():flatten()
    assert.are.same({ 6 }, f.shape)
    assert.are.same({ 1, 4, 2, 5, 3, 6 }, values(f))
    local g = a:flatten()
    g:set(1, 100)
    assert.are.equal(1, a:get(1, 1))
    assert.are.same({ 1 }, ts.array(3):flatten().shape)
  end)
end)

describe("squeeze and unsqueeze", function()
  it("squeeze drops extent-1 dimensions", function()
    local a = ts.arange(6):reshape(1, 2, 1, 3, 1)
    local s = a:squeeze()
    assert.are.same({ 2, 3 }, s.shape)
    s:set(2, 1, -4)
    assert.are.equal(-4, a:get(1, 2, 1, 1, 1))
    assert.are.same({ 2, 1, 3, 1 }, a:squeeze(1).shape)
    assert.are.same({ 1, 2, 3, 1 }, a:squeeze(3).shape)
    assert.are.same({ 1, 2, 1, 3 }, a:squeeze(-1).shape)
    assert.are.same({}, ts.zeros(1, 1):squeeze().shape)
    errors(function() a:squeeze(2) end, "squeeze: cannot squeeze dimension 2 of size 2")
    errors(function() a:squeeze(6) end, "squeeze: axis 6 out of range for 5-d array")
    errors(function() ts.array(1):squeeze(1) end, "squeeze: cannot squeeze a dimension of a 0-d array")
  end)

  it("unsqueeze inserts an extent-1 dimension", function()
    local a = ts.arange(6):reshape(2, 3)
    assert.are.same({ 1, 2, 3 }, a:unsqueeze(1).shape)
    assert.are.same({ 2, 1, 3 }, a:unsqueeze(2).shape)
    assert.are.same({ 2, 3, 1 }, a:unsqueeze(3).shape)
    assert.are.same({ 2, 3, 1 }, a:unsqueeze(-1).shape)
    assert.are.same({ 2, 1, 3 }, a:unsqueeze(-2).shape)
    assert.are.same({ 1, 2, 3 }, a:unsqueeze(-3).shape)
    assert.are.same({ 1 }, ts.array(4):unsqueeze(1).shape)
    local u = a:unsqueeze(2)
    assert.are.same(values(a), values(u))
    u:set(2, 1, 3, -6)
    assert.are.equal(-6, a:get(2, 3))
    -- unsqueeze of a transposed view keeps its element order
    local t = a:T():unsqueeze(1)
    assert.are.same({ 1, 3, 2 }, t.shape)
    assert.are.same({ 1, 4, 2, 5, 3, -6 }, values(t))
    errors(function() a:unsqueeze(4) end, "unsqueeze: dimension 4 out of range for 2-d array")
    errors(function() a:unsqueeze(-4) end, "unsqueeze: dimension -4 out of range for 2-d array")
    errors(function() a:unsqueeze(0) end, "unsqueeze: dimension 0 out of range")
  end)
end)

describe("broadcast_to", function()
  it("repeats along new and extent-1 dimensions with stride 0", function()
    local a = ts.array({ 1, 2, 3 })
    local b = a:broadcast_to({ 2, 3 })
    assert.are.same({ 2, 3 }, b.shape)
    assert.are.same({ 0, 1 }, b:strides())
    assert.are.same({ 1, 2, 3, 1, 2, 3 }, values(b))
    local c = ts.array({ { 1 }, { 2 } }):broadcast_to(2, 4)
    assert.are.same({ 1, 1, 1, 1, 2, 2, 2, 2 }, values(c))
    assert.are.same({ 2, 3 }, ts.broadcast_to(a, { 2, 3 }).shape)
    assert.are.same({ 4 }, ts.array(9):broadcast_to(4).shape)
    assert.are.same({ 9, 9, 9, 9 }, values(ts.array(9):broadcast_to(4)))
    assert.are.same({ 0, 3 }, a:broadcast_to(0, 3).shape)
    -- writing the parent shows in every repetition
    a:set(2, 20)
    assert.are.same({ 1, 20, 3, 1, 20, 3 }, values(b))
  end)

  it("rejects incompatible shapes", function()
    local a = ts.zeros(3)
    errors(function() a:broadcast_to(4) end, "broadcast_to: cannot broadcast shape (3) to (4)")
    errors(function() ts.zeros(2, 3):broadcast_to(3) end, "broadcast_to: cannot broadcast shape (2,3) to (3)")
    errors(function() a:broadcast_to(-1, 3) end, "broadcast_to: negative dimension -1")
    errors(function() a:broadcast_to("x") end, "broadcast_to: expected a shape")
  end)
end)

describe("views of views", function()
  it("compose offsets and strides", function()
    local a = ts.arange(60):reshape(3, 4, 5)
    local v = a:slice({ 2, 3 }, { -1, 1, -2 }, { 2, 5, 2 })  -- (2, 2, 2)
    assert.are.same({ 2, 2, 2 }, v.shape)
    -- v[i][j][k] = a[rows[i]][cols[j]][deps[k]]
    local rows, cols, deps = { 2, 3 }, { 4, 2 }, { 2, 4 }
    for i = 1, 2 do
      for j = 1, 2 do
        for k = 1, 2 do
          local expected = (rows[i] - 1) * 20 + (cols[j] - 1) * 5 + deps[k]
          assert.are.equal(expected, v:get(i, j, k))
        end
      end
    end
    -- v:T() is (k, j, i); select k = 2 leaves (j, i); the slice reverses j:
    -- w[j][i] = v[i][3-j][2]
    local w = v:T():select(1, 2):slice({ -1, 1, -1 })
    assert.are.same({ 2, 2 }, w.shape)
    assert.are.equal(v:get(1, 2, 2), w:get(1, 1))
    assert.are.equal(v:get(2, 1, 2), w:get(2, 2))
    assert.are.equal((3 - 1) * 20 + (2 - 1) * 5 + 4, w:get(1, 2))  -- v[2][2][2] = a[3][2][4]
    w:set(2, 1, -1)  -- v[1][1][2] = a[2][4][4]
    assert.are.equal(-1, v:get(1, 1, 2))
    assert.are.equal(-1, a:get(2, 4, 4))
  end)

  it("keep the storage alive after the parent handle is gone", function()
    local v
    do
      local a = ts.arange(5)
      v = a:slice({ 2, 4 })
    end
    collectgarbage()
    collectgarbage()
    assert.are.same({ 2, 3, 4 }, values(v))
  end)

  it("index a view with a[...] and write with a[...] = v", function()
    local a = ts.zeros(4, 4, "i32")
    local inner = a[{ { 2, 3 }, { 2, 3 } }]
    inner[{ {}, 1 }] = 5
    inner[2] = ts.array({ 7, 8 })
    assert.are.same({ 0, 0, 0, 0, 0, 5, 0, 0, 0, 7, 8, 0, 0, 0, 0, 0 }, values(a))
  end)
end)
