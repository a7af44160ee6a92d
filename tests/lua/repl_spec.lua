-- The Lua side of the prompt: ts.inspect, ts.timeit / ts.time, ts.progress
-- and Tab completion (ts._candidates, ts._complete). The prompt itself is
-- driven through a pseudo-terminal by tests/repl/repl_pty.py.
local ts = require "tessera"

-- A file-like object that records what is written.
local function recorder()
  local r = {text = ""}
  function r:write(...)
    for i = 1, select("#", ...) do self.text = self.text .. tostring((select(i, ...))) end
    return self
  end
  function r:flush() return self end
  return r
end

local function capture_print(f)
  local lines, saved = {}, print
  _G.print = function(...)
    local parts = table.pack(...)
    for i = 1, parts.n do parts[i] = tostring(parts[i]) end
    lines[#lines + 1] = table.concat(parts, "\t")
  end
  local ok, r = pcall(f)
  _G.print = saved
  if not ok then error(r, 0) end
  return table.concat(lines, "\n"), r
end

describe("inspect", function()
  it("prints scalars as Lua literals", function()
    assert.are.equal('"a\\"b\\n"', ts.inspect('a"b\n'))
    assert.are.equal("42", ts.inspect(42))
    assert.are.equal("2.0", ts.inspect(2.0))
    assert.are.equal("0.5", ts.inspect(0.5))
    assert.are.equal("nil", ts.inspect(nil))
    assert.are.equal("true", ts.inspect(true))
  end)

  it("prints the sequence first, then sorted keys", function()
    assert.are.equal("{}", ts.inspect({}))
    assert.are.equal('{1, 2, "x", [10] = 3, a = 1, b = {c = true}, ["not id"] = 4}',
                     ts.inspect({1, 2, "x", b = {c = true}, a = 1, [10] = 3, ["not id"] = 4}))
    assert.are.equal('{["end"] = 1}', ts.inspect({["end"] = 1}))
  end)

  it("marks cycles and shared tables", function()
    local t = {name = "t"}
    t.self = t
    assert.are.equal('<1>{name = "t", self = <table 1>}', ts.inspect(t))
    local shared = {1}
    assert.are.equal("{<1>{1}, <table 1>}", ts.inspect({shared, shared}))
  end)

  it("indents what does not fit in the width", function()
    local t = {alpha = string.rep("a", 30), beta = string.rep("b", 30), gamma = {1, 2}}
    assert.are.equal('{\n  alpha = "' .. string.rep("a", 30) .. '",\n  beta = "'
                     .. string.rep("b", 30) .. '",\n  gamma = {1, 2}\n}', ts.inspect(t))
    assert.are.equal("{\n  1,\n  2\n}", ts.inspect({1, 2}, {width = 4}))
  end)

  it("limits depth and items", function()
    assert.are.equal("{{{...}}}", ts.inspect({{{{1}}}}, {depth = 2}))
    assert.are.equal("{1, 2, ... (3 more)}", ts.inspect({1, 2, 3, 4, 5}, {items = 2}))
  end)

  it("shows arrays and documented functions briefly", function()
    assert.are.equal("{<float64 array (3): [1. 1. 1.]>}", ts.inspect({ts.ones(3)}))
    assert.are.equal("<int64 array of shape (100,2)>", ts.inspect(ts.zeros({100, 2}, "int64")))
    assert.are.equal("<int32 array (0): []>", ts.inspect(ts.zeros(0, "int32")))
    assert.are.equal("<function ts.zeros>", ts.inspect(ts.zeros))
    assert.truthy(ts.inspect(function() end):match("^<function: 0x%x+>$")
                  or ts.inspect(function() end):match("^<function: "))
  end)

  it("names the function in errors", function()
    assert.error_matches(function() ts.inspect({}, 3) end, "inspect: expected an options table", 1, true)
    assert.error_matches(function() ts.inspect({}, {deep = 1}) end, "inspect: unknown option 'deep'", 1, true)
    assert.error_matches(function() ts.inspect({}, {depth = "x"}) end, "inspect: option depth must be a number", 1, true)
  end)
end)

describe("timeit", function()
  it("calls the function number times per repeat", function()
    local calls = 0
    local r = ts.timeit(function() calls = calls + 1 end, {repeats = 3, number = 5, quiet = true})
    assert.are.equal(15, calls)
    assert.are.equal(5, r.number)
    assert.are.equal(3, r.repeats)
    assert.are.equal(3, r["repeat"])
    assert.are.equal(3, #r.times)
    local sorted = {table.unpack(r.times)}
    table.sort(sorted)
    assert.are.equal(sorted[1], r.best)
    assert.are.equal(sorted[2], r.median)
  end)

  it("chooses the loop count from 1, 2, 5, 10, ... until a loop takes min_time", function()
    local calls = 0
    local r = ts.timeit(function() calls = calls + 1 end, {["repeat"] = 1, min_time = 0, quiet = true})
    assert.are.equal(1, r.number)  -- any time is enough
    -- A function that takes 1 ms of a fake clock: a loop of >= 5 ms needs 5
    -- calls (1 and 2 are too few); 30 ms needs 50.
    local clock, now = 0, ts.now
    ts.now = function() return clock end
    local slow = function() clock = clock + 0.001 end
    local ok, err = pcall(function()
      r = ts.timeit(slow, {repeats = 2, min_time = 0.005, quiet = true})
      assert.are.equal(5, r.number)
      assert.is_true(math.abs(r.best - 0.001) < 1e-12)
      r = ts.timeit(slow, {repeats = 2, min_time = 0.03, quiet = true})
      assert.are.equal(50, r.number)
    end)
    ts.now = now
    assert(ok, err)
  end)

  it("times code strings and prints a report", function()
    local out, r = capture_print(function()
      return ts.timeit("x_timeit_spec = (x_timeit_spec or 0) + 1", {repeats = 2, number = 3})
    end)
    assert.are.equal(6, x_timeit_spec)
    assert.truthy(out:match("^[%d.]+ %S+ per loop %(best of 2 runs, median [%d.]+ %S+, 3 loops each%)$"), out)
    assert.are.equal(3, r.number)
  end)

  it("runs code once with ts.time and returns its results", function()
    local out, r = capture_print(function() return ts.time("1 + 2") end)
    assert.are.equal(3, r)
    assert.truthy(out:match("^Wall time: [%d.]+ %S+$"), out)
  end)

  it("formats durations with three digits", function()
    assert.are.equal("1.23 ms", ts.format_time(0.00123))
    assert.are.equal("12.3 s", ts.format_time(12.3))
    assert.are.equal("123 ns", ts.format_time(1.23e-7))
    assert.are.equal("5.00 \u{B5}s", ts.format_time(5e-6))
    assert.are.equal("0.00 ns", ts.format_time(0))
  end)

  it("names the function in errors", function()
    assert.error_matches(function() ts.timeit(42) end, "timeit: expected a function or a string", 1, true)
    assert.error_matches(function() ts.timeit("x = = 1") end, "timeit: ", 1, true)
    assert.error_matches(function() ts.timeit(print, {number = 0}) end, "timeit: number must be a positive integer", 1, true)
    assert.error_matches(function() ts.timeit(print, {loops = 1}) end, "timeit: unknown option 'loops'", 1, true)
    assert.error_matches(function() ts.format_time("1") end, "format_time: expected a number", 1, true)
  end)
end)

describe("progress", function()
  it("counts like a numeric for loop", function()
    local seen = {}
    for i in ts.progress(4, {disable = true}) do seen[#seen + 1] = i end
    assert.are.same({1, 2, 3, 4}, seen)
    for _ in ts.progress(0, {disable = true}) do error("no iteration expected") end
  end)

  it("iterates lists like ipairs and wraps other iterators", function()
    local got = {}
    for i, v in ts.progress({"a", "b"}, {disable = true}) do got[#got + 1] = i .. v end
    assert.are.same({"1a", "2b"}, got)
    local keys = {}
    for k, v in ts.progress(pairs({x = 1, y = 2})) do keys[#keys + 1] = k .. v end
    table.sort(keys)
    assert.are.same({"x1", "y2"}, keys)
  end)

  it("draws nothing when standard error is not a terminal", function()
    if ts._isatty(2) then return end  -- ctest runs specs with stderr in a pipe
    local r, saved = recorder(), io.stderr
    io.stderr = r
    local ok, err = pcall(function() for _ in ts.progress(3) do end end)
    io.stderr = saved
    assert(ok, err)
    assert.are.equal("", r.text)
  end)

  it("draws a bar with count, times and rate, and ends the line", function()
    local r = recorder()
    for _ in ts.progress(4, {out = r, desc = "work"}) do end
    local last = r.text:match("\r([^\r]*)\n$")
    assert.truthy(last, r.text)
    assert.truthy(last:match("^work: 100%%|[\u{2588}]+| 4/4 %[00:00<00:00, [%d.]+[kM]? it/s%]$"), last)
    -- The first draw shows 0%.
    assert.truthy(r.text:match("^\rwork:   0%%|%s+| 0/4 "), r.text)
  end)

  it("ends the line when the loop is left by break", function()
    local r = recorder()
    for i in ts.progress(10, {out = r}) do if i == 3 then break end end
    assert.truthy(r.text:match(" 3/10 %[[^\n]*\n$"), r.text)
  end)

  it("shows counts without a total", function()
    local r = recorder()
    for _ in ts.progress(function(_, i) if i < 5 then return i + 1 end end, nil, 0, {out = r}) do end
    assert.truthy(r.text:match("\r5 %[00:00, [%d.]+[kM]? it/s%]%s*\n$"), r.text)
  end)

  it("names the function in errors", function()
    assert.error_matches(function() ts.progress("x") end, "progress: expected a count, a table or an iterator", 1, true)
    assert.error_matches(function() ts.progress(3, {color = 1}) end, "progress: unknown option 'color'", 1, true)
    assert.error_matches(function() ts.progress(math.huge) end, "progress: the count must be finite", 1, true)
  end)

  it("of native operations is drawn only on a terminal", function()
    -- ctest captures standard error, so asking for bars cannot turn them on.
    assert.is_false(ts.progress_native(true))
    assert.is_false(ts.progress_native())
    assert.is_false(ts.progress_native(false))
    local ok, err = pcall(ts.progress_native, 1)
    assert.is_false(ok)
    assert.matches("progress_native: expected a boolean, got number", err, 1, true)
  end)
end)

describe("completion", function()
  it("completes fields of modules", function()
    local list, partial = ts._candidates("x = ts.linsp")
    assert.are.same({"ts.linspace"}, list)
    assert.are.equal("ts.linsp", partial)
    assert.are.equal("ace", (ts._complete("x = ts.linsp", 80)))
    list = ts._candidates("string.fo")
    assert.are.same({"string.format"}, list)
  end)

  it("lists array methods after a colon and fields after a dot", function()
    _G.spec_array = ts.ones(2)
    local list = ts._candidates("spec_array:su")
    assert.truthy(#list >= 1)
    for _, w in ipairs(list) do assert.truthy(w:match("^spec_array:su")) end
    local found = {}
    for _, w in ipairs(list) do found[w] = true end
    assert.is_true(found["spec_array:sum"])
    local fields = {}
    for _, w in ipairs((ts._candidates("spec_array.s"))) do fields[w] = true end
    assert.is_true(fields["spec_array.shape"] and fields["spec_array.size"])
    _G.spec_array = nil
  end)

  it("follows __index chains and lists only callables after a colon", function()
    local base = {greet = function() end, label = "x"}
    _G.spec_obj = setmetatable({own = 1}, {__index = setmetatable({mid = function() end},
                                                                   {__index = base})})
    assert.are.same({"spec_obj:greet", "spec_obj:mid"}, (ts._candidates("spec_obj:")))
    assert.are.same({"spec_obj.greet", "spec_obj.label", "spec_obj.mid", "spec_obj.own"},
                    (ts._candidates("spec_obj.")))
    _G.spec_obj = nil
  end)

  it("completes globals and keywords, not inside comments", function()
    local list = ts._candidates("local x = collectg")
    assert.are.same({"collectgarbage"}, list)
    assert.are.same({"function"}, (ts._candidates("x = functio")))
    assert.are.same({}, (ts._candidates("-- ts.linsp")))
    assert.are.same({}, (ts._candidates("undefined_thing.")))
  end)

  it("completes file names inside strings", function()
    local dir = os.tmpname()
    os.remove(dir)
    assert(os.execute("mkdir -p '" .. dir .. "/sub'"))
    assert(io.open(dir .. "/data_one.h5", "w")):close()
    assert(io.open(dir .. "/data_two.h5", "w")):close()
    local list, partial = ts._candidates('f = io.open("' .. dir .. "/da")
    assert.are.same({dir .. "/data_one.h5", dir .. "/data_two.h5"}, list)
    assert.are.equal(dir .. "/da", partial)
    assert.are.equal("ta_", (ts._complete('io.open("' .. dir .. "/da", 80)))
    assert.are.same({dir .. "/sub/"}, (ts._candidates("x = '" .. dir .. "/su")))
    -- Closed strings are code again.
    assert.are.same({}, (ts._candidates('x = "' .. dir .. '/da" .. ')))
    os.execute("rm -r '" .. dir .. "'")
  end)

  it("lists ambiguous choices in columns", function()
    _G.spec_t = {alpha = 1, alps = 2, beta = 3}
    local insert, listing = ts._complete("spec_t.al", 80)
    assert.are.equal("p", insert)
    assert.is_nil(listing)
    insert, listing = ts._complete("spec_t.alp", 80)
    assert.are.equal("", insert)
    assert.are.equal("alpha  alps", listing)
    insert, listing = ts._complete("spec_t.alp", 6)
    assert.are.equal("alpha\nalps", listing)
    _G.spec_t = nil
  end)
end)

describe("API reference", function()
  it("is generated from the help registry with every public entry", function()
    local build = assert(os.getenv("TESSERA_BUILD"), "TESSERA_BUILD is not set")
    local p = assert(io.popen("'" .. build .. "/tessera' ../../scripts/api_reference.lua"))
    local text = p:read("a")
    assert.is_true(p:close())
    local listed = {}
    for sig in text:gmatch("\n%- `([^`]*)`: ") do listed[sig] = true end
    local public = 0
    for _, e in ipairs(ts.docs()) do
      if not e.name:match("^_") then
        public = public + 1
        assert.is_true(listed[e.signature] ~= nil, e.signature)
      end
    end
    assert.truthy(text:find("\n## ts%.par\n"))
    assert.truthy(text:find("(" .. public .. " entries)", 1, true))
    assert.truthy(text:find("\n%- `ts%.linspace%(start, stop"))
  end)
end)
