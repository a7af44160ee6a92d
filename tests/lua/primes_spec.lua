-- ts.kernels prime functions: Miller-Rabin against known primes, Carmichael
-- numbers and strong pseudoprimes; sieve counts against pi(10^k) and a pure-Lua
-- sieve; trial division against the sieve; thread-count independence; errors.
local ts = require "tessera"
local h = require "helpers"
local K = ts.kernels

-- Primes up to n by a plain Lua sieve of Eratosthenes (the reference).
local function lua_sieve(n)
  local composite, out = {}, {}
  for i = 2, n do
    if not composite[i] then
      out[#out + 1] = i
      for m = i * i, n, i do composite[m] = true end
    end
  end
  return out
end

-- Primality by trial division in Lua (the reference for scattered values).
local function lua_is_prime(n)
  if n < 2 then return false end
  if n % 2 == 0 then return n == 2 end
  local d = 3
  while d * d <= n do
    if n % d == 0 then return false end
    d = d + 2
  end
  return true
end

local with_threads = h.with_threads

describe("ts.kernels.is_prime", function()
  it("agrees with trial division below 20000", function()
    local a = ts.arange(-10, 20000)
    local got = K.is_prime(a):totable()
    for i, v in ipairs(a:totable()) do
      assert(got[i] == lua_is_prime(v), "wrong at " .. v)
    end
  end)

  it("rejects Carmichael numbers and strong pseudoprimes", function()
    local composites = { 561, 1105, 1729, 2465, 2821, 6601, 8911, 41041, 62745, 825265, 321197185,
                         -- strong pseudoprime to bases 2, 3, 5, 7 (151 * 751 * 28351)
                         3215031751,
                         -- strong pseudoprime to bases 2..23 (149491 * 747451 * 34233211)
                         3825123056546413051,
                         -- 2^61 - 1 times 3 does not fit; a square of a large prime instead
                         4611686014132420609 }  -- (2^31 - 1)^2
    local r = K.is_prime(ts.array(composites, "int64")):totable()
    for i, c in ipairs(composites) do
      assert.is_false(r[i], tostring(c))
      assert.is_false(K.is_prime(c), tostring(c))
    end
  end)

  it("finds the primes just below 2^63 and 2^61 - 1", function()
    -- primes 2^63 - k for k in this list and no other k <= 471 (the table of
    -- primes just less than a power of two)
    local ks = { [25] = true, [165] = true, [259] = true, [301] = true, [375] = true, [387] = true,
                 [391] = true, [409] = true, [457] = true, [471] = true }
    local vals = {}
    for k = 1, 471 do vals[k] = math.maxinteger - (k - 1) end  -- 2^63 - k
    local r = K.is_prime(ts.array(vals, "int64")):totable()
    for k = 1, 471 do assert(r[k] == (ks[k] == true), "2^63 - " .. k) end
    assert.is_true(K.is_prime(9223372036854775783))
    assert.is_true(K.is_prime((1 << 61) - 1))
    assert.is_false(K.is_prime(math.maxinteger))  -- 7^2 * 73 * ...
    assert.is_false(K.is_prime(math.mininteger))
  end)

  it("handles 0, 1, 2, negatives and every dtype", function()
    local r = K.is_prime(ts.array({ -7, -2, -1, 0, 1, 2, 3, 4 }, "int32")):totable()
    assert.are.same({ false, false, false, false, false, true, true, false }, r)
    local u = K.is_prime(ts.arange(0, 255):astype("uint8"))
    assert.are.equal("bool", u.dtype)
    assert.are.equal(54, u:sum())  -- primes below 256
    assert.is_false(K.is_prime(0))
    assert.is_false(K.is_prime(-13))
    assert.is_true(K.is_prime(2))
  end)

  it("keeps the shape and reads strided and reversed views", function()
    local a = ts.arange(1, 24):reshape(4, 6)
    local r = K.is_prime(a)
    assert.are.same({ 4, 6 }, r.shape)
    assert.are.equal(9, r:sum())  -- 2 3 5 7 11 13 17 19 23
    local b = ts.arange(1, 30)
    local rev = b:slice({ -1, 1, -2 })  -- 30, 28, ..., 2
    assert.are.same({ false, false, false, false, false, false, false, false, false, false,
                      false, false, false, false, true }, K.is_prime(rev):totable())
    local odd = b:slice({ 1, -1, 2 })  -- 1, 3, ..., 29
    assert.are.same({ false, true, true, true, false, true, true, false, true, true, false,
                      true, false, false, true }, K.is_prime(odd):totable())
    assert.are.equal(0, K.is_prime(ts.empty(0, "int64")).size)
    assert.are.same({ true }, K.is_prime(ts.array({ 7 })):totable())
  end)

  it("is the same at 1 and 2 threads", function()
    local a = ts.random.new(5):integers(1, 1 << 62, 20000)
    local one = with_threads(1, function() return K.is_prime(a) end)
    local two = with_threads(2, function() return K.is_prime(a) end)
    assert.is_true(one:eq(two):all())
  end)

  it("raises on float arrays, fractional numbers and other types", function()
    h.errors(function() K.is_prime(ts.ones(3)) end, "kernels.is_prime: expected an integer array")
    h.errors(function() K.is_prime(ts.array({ true })) end, "got bool")
    h.errors(function() K.is_prime(7.5) end, "expected an integer value")
    h.errors(function() K.is_prime("7") end, "expected an array")
  end)
end)

describe("ts.kernels.count_primes", function()
  it("gives pi(10^k) for k = 1..8", function()
    local expected = { 4, 25, 168, 1229, 9592, 78498, 664579, 5761455 }
    for k = 1, 8 do assert.are.equal(expected[k], K.count_primes(10 ^ k)) end
  end)

  it("counts inclusive ranges across segment boundaries like a Lua sieve", function()
    local ref = lua_sieve(700000)
    local function ref_count(lo, hi)
      local c = 0
      for _, p in ipairs(ref) do if p >= lo and p <= hi then c = c + 1 end end
      return c
    end
    -- a segment holds 2^17 odd numbers: 262144 numbers from its first odd one
    local cuts = { { 1, 2 }, { 2, 2 }, { 3, 3 }, { 4, 4 }, { 0, 262145 }, { 262140, 262160 },
                   { 262147, 524300 }, { 100, 699999 }, { 524287, 524289 }, { 13, 13 } }
    for _, c in ipairs(cuts) do
      assert.are.equal(ref_count(c[1], c[2]), K.count_primes(c[1], c[2]), c[1] .. ".." .. c[2])
      assert.are.equal(ref_count(c[1], c[2]), K.count_primes(c[1], c[2], { method = "trial" }))
    end
  end)

  it("is zero for empty and negative ranges", function()
    assert.are.equal(0, K.count_primes(10, 9))
    assert.are.equal(0, K.count_primes(-100, 1))
    assert.are.equal(0, K.count_primes(-5))
    assert.are.equal(1, K.count_primes(-100, 2))
    assert.are.equal(0, K.count_primes(24, 28, { method = "trial" }))
    assert.are.equal(168, K.count_primes(1000, { method = "trial" }))
  end)

  it("trial division and the sieve agree on [1e8, 1e8 + 1e5)", function()
    local lo, hi = 100000000, 100000000 + 99999
    local sieve = K.count_primes(lo, hi)
    assert.are.equal(sieve, K.count_primes(lo, hi, { method = "trial" }))
    assert.are.equal(sieve, K.is_prime(ts.arange(lo, hi)):sum())
    assert.are.equal(5411, sieve)  -- by trial division in Python
  end)

  it("is the same at 1 and 2 threads", function()
    for _, m in ipairs { "sieve", "trial" } do
      local one = with_threads(1, function() return K.count_primes(1e7, 1.2e7, { method = m }) end)
      local two = with_threads(2, function() return K.count_primes(1e7, 1.2e7, { method = m }) end)
      assert.are.equal(one, two)
    end
  end)

  it("raises on bad arguments", function()
    h.errors(function() K.count_primes(1.5, 10) end, "kernels.count_primes: expected an integer lower bound")
    h.errors(function() K.count_primes(1, 10, { method = "magic" }) end, "expected method 'sieve' or 'trial'")
    h.errors(function() K.count_primes(1, 10, 5) end, "expected an options table")
    h.errors(function() K.count_primes(1, 1 << 60) end, "the sieve reaches up to 2^53")
    h.errors(function() K.count_primes(1, 1 << 50, { method = "trial" }) end, "trial division reaches up to 2^42")
    h.errors(function() K.primes(1, { method = "trial" }) end, "kernels.primes: expected an integer upper bound")
    h.errors(function() K.primes("a") end, "kernels.primes: expected an integer upper bound")
    h.errors(function() K.primes(1, 1 << 60) end, "the sieve reaches up to 2^53")
  end)
end)

describe("ts.kernels.primes", function()
  it("lists the primes of inclusive ranges like a Lua sieve", function()
    local ref = lua_sieve(300000)
    assert.are.same(ref, K.primes(300000):totable())
    local part = {}
    for _, p in ipairs(ref) do if p >= 262139 and p <= 262211 then part[#part + 1] = p end end
    assert.are.same(part, K.primes(262139, 262211):totable())
    assert.are.same({ 2, 3, 5, 7 }, K.primes(-3, 7):totable())
    assert.are.same({ 7 }, K.primes(7, 7):totable())
    assert.are.equal(0, K.primes(8, 10).size)
    assert.are.equal(0, K.primes(10, 1).size)
    assert.are.equal("int64", K.primes(10).dtype)
  end)

  it("is the same at 1 and 2 threads", function()
    local one = with_threads(1, function() return K.primes(5e6, 7e6) end)
    local two = with_threads(2, function() return K.primes(5e6, 7e6) end)
    assert.are.equal(one.size, two.size)
    assert.is_true(one:eq(two):all())
    assert.is_true(K.is_prime(one):all())
  end)
end)

describe("ts.kernels.is_prime_split", function()
  it("checks one large number with the factor range split", function()
    assert.is_true(K.is_prime_split(18014398777917439))
    -- 134217689 * 134217757: both primes near 2^27, the worst case of a semiprime
    local ok, f = K.is_prime_split(134217689 * 134217757)
    assert.is_false(ok)
    assert.are.equal(134217689, f)
    ok, f = K.is_prime_split(3 * 18014398777917439)
    assert.is_false(ok)
    assert.are.equal(3, f)
    ok, f = K.is_prime_split(1 << 40)
    assert.are.same({ false, 2 }, { ok, f })
    assert.is_true(K.is_prime_split(2))
    assert.is_true(K.is_prime_split(3))
    assert.is_false(K.is_prime_split(1))
    assert.is_false(K.is_prime_split(-7))
    ok, f = K.is_prime_split(49)
    assert.are.same({ false, 7 }, { ok, f })
  end)

  it("returns the smallest factor at any thread count", function()
    -- pieces hold 2^18 odd divisors: 1000003 lies in the second piece, 10000019 in
    -- the 20th (all four factors are prime)
    for _, n in ipairs { 1000003 * 1000033 * 1000037, 10000019 * 10000079 } do
      local _, one = with_threads(1, function() return K.is_prime_split(n) end)
      local _, two = with_threads(2, function() return K.is_prime_split(n) end)
      assert.are.equal(one, two)
    end
    local _, f = K.is_prime_split(10000019 * 10000079)
    assert.are.equal(10000019, f)
    _, f = K.is_prime_split(1000003 * 1000033 * 1000037)
    assert.are.equal(1000003, f)
  end)

  it("raises on non-integers", function()
    h.errors(function() K.is_prime_split(2.5) end, "kernels.is_prime_split: expected an integer value")
  end)
end)
