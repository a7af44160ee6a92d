-- Native memory stays bounded: temporaries made in a loop are collected by
-- the runtime's pacing, and to-be-closed arrays free their storage at the
-- end of their scope. Measured with the kernel's own numbers
-- (/proc/self/status), in kB.
local ts = require "tessera"

local function status(field)
  for line in io.lines("/proc/self/status") do
    local v = line:match("^" .. field .. ":%s+(%d+) kB")
    if v then return tonumber(v) end
  end
  error("no " .. field .. " in /proc/self/status")
end

local MB = 1024  -- kB

-- Under AddressSanitizer freed blocks wait in a quarantine (256 MB by
-- default) before they are reused, which adds to RSS without being a leak.
local function under_asan()
  for line in io.lines("/proc/self/maps") do
    if line:find("libasan", 1, true) then return true end
  end
  return false
end
local SLACK = under_asan() and 320 * MB or 0

describe("memory", function()
  it("temporaries in a loop keep the peak bounded", function()
    collectgarbage()
    local before = status("VmHWM")
    for _ = 1, 2000 do
      local t = ts.ones(1000000) * 2  -- two 8 MB arrays per iteration, 32 GB in all
      assert(t ~= nil)
    end
    local after = status("VmHWM")
    assert.is_true(after < 400 * MB + SLACK, ("peak RSS %d MB"):format(after // MB))
    assert.is_true(after - before < 300 * MB + SLACK, ("peak grew by %d MB"):format((after - before) // MB))
  end)

  it("views of temporaries do not pin more than they must", function()
    collectgarbage()
    local before = status("VmHWM")
    local keep = {}
    for i = 1, 500 do
      local t = ts.arange(1000000) * 1.5
      if i % 100 == 0 then keep[#keep + 1] = t[{ { 1, 3 } }] end  -- 5 small views pin 5 blocks
    end
    local after = status("VmHWM")
    assert.is_true(after - before < 300 * MB + SLACK, ("peak grew by %d MB"):format((after - before) // MB))
    assert.are.equal(5, #keep)
    assert.are.equal(1.5, keep[1]:get(1))
    assert.are.equal(4.5, keep[5]:get(3))
  end)

  it("to-be-closed arrays free their storage at the end of the scope", function()
    -- Every handle stays reachable, so only <close> can free the storage
    -- (the runtime's collection pacing cannot).
    local handles = {}
    local ok, err = pcall(function()
      for i = 1, 20 do
        local z <close> = ts.zeros(100000000)  -- 800 MB, all pages touched
        handles[i] = z
        assert(z.size == 100000000)
        local rss = status("VmRSS")
        assert(rss < 1200 * MB + SLACK, ("iteration %d: RSS %d MB"):format(i, rss // MB))
      end
    end)
    assert(ok, err)
    assert.is_true(status("VmRSS") < 1200 * MB + SLACK)
    assert.are.equal(20, #handles)
    assert.has_error(function() handles[20]:get(1) end)
  end)

  it("to-be-closed arrays free their storage when the scope is left by an error", function()
    local handles = {}
    local ok, err = pcall(function()
      for i = 1, 10 do
        pcall(function()
          local z <close> = ts.ones(50000000)  -- 400 MB
          handles[i] = z
          error("leave " .. i)
        end)
        local rss = status("VmRSS")
        assert(rss < 1000 * MB + SLACK, ("iteration %d: RSS %d MB"):format(i, rss // MB))
      end
    end)
    assert(ok, err)
    assert.are.equal(10, #handles)
  end)

  it("element-wise results in a long loop do not accumulate", function()
    local a = ts.ones(250000)
    collectgarbage()
    local before = status("VmRSS")
    for _ = 1, 3000 do
      a = ts.sqrt(a + 1) - 1 + ts.zeros_like(a)  -- 2 MB arrays, several per iteration
    end
    collectgarbage()
    local after = status("VmRSS")
    assert.is_true(after - before < 200 * MB + SLACK, ("RSS grew by %d MB"):format((after - before) // MB))
    assert.are.same({ 250000 }, a.shape)
  end)
end)
