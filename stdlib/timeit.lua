-- ts.timeit(fn or "code" [, opts]): timing like IPython's %timeit. The loop
-- count per repeat (number) is the first of 1, 2, 5, 10, 20, ... whose loop
-- takes at least 0.2 s, unless given; the loop runs `repeat` times (7) and the
-- best and median time per loop are reported. ts.format_time(seconds) is the
-- shared formatting ("1.23 ms").
local ts = ...

local fmt = string.format

local units = {{1, "s"}, {1e-3, "ms"}, {1e-6, "\u{B5}s"}, {1e-9, "ns"}}

function ts.format_time(seconds)
  if type(seconds) ~= "number" then
    error(fmt("format_time: expected a number of seconds, got %s", type(seconds)), 2)
  end
  if seconds ~= seconds then return "nan s" end
  for _, u in ipairs(units) do
    if seconds >= u[1] or u[1] == 1e-9 then
      local v = seconds / u[1]
      local digits = v >= 100 and 0 or v >= 10 and 1 or 2
      return fmt("%." .. digits .. "f %s", v, u[2])
    end
  end
end

-- A function from fn or a chunk of code (an expression or statements).
local function compile(what, fname)
  if type(what) == "function" then return what end
  if type(what) ~= "string" then
    error(fmt("%s: expected a function or a string of code at argument 1, got %s", fname,
              type(what)), 3)
  end
  local f = load("return " .. what, "=" .. fname, "t")
  if not f then
    local err
    f, err = load(what, "=" .. fname, "t")
    if not f then error(fmt("%s: %s", fname, err), 3) end
  end
  return f
end

local function positive_integer(o, key, fname)
  local v = o[key]
  if v == nil then return nil end
  if type(v) ~= "number" or v ~= math.floor(v) or v < 1 then
    error(fmt("%s: %s must be a positive integer, got %s", fname, key, tostring(v)), 3)
  end
  return math.tointeger(v)
end

local known = {["repeat"] = true, repeats = true, number = true, quiet = true, min_time = true}

local function options(opts, fname)
  if opts == nil then opts = {} end
  if type(opts) ~= "table" then
    error(fmt("%s: expected an options table at argument 2, got %s", fname, type(opts)), 3)
  end
  for k in pairs(opts) do
    if not known[k] then error(fmt("%s: unknown option '%s'", fname, tostring(k)), 3) end
  end
  local min_time = opts.min_time or 0.2
  if type(min_time) ~= "number" or min_time < 0 then
    error(fmt("%s: min_time must be a non-negative number of seconds", fname), 3)
  end
  return {
    repeats = positive_integer(opts, "repeat", fname) or positive_integer(opts, "repeats", fname)
        or 7,
    number = positive_integer(opts, "number", fname),
    quiet = opts.quiet,
    min_time = min_time,
  }
end

-- Seconds for `number` calls of f.
local function loop(f, number)
  local now = ts.now
  local t0 = now()
  for _ = 1, number do f() end
  return now() - t0
end

local function median(sorted)
  local n = #sorted
  if n % 2 == 1 then return sorted[(n + 1) // 2] end
  return (sorted[n // 2] + sorted[n // 2 + 1]) / 2
end

function ts.timeit(what, opts)
  local f = compile(what, "timeit")
  local o = options(opts, "timeit")
  collectgarbage()
  local number = o.number
  if not number then  -- IPython's autorange: 1, 2, 5, 10, 20, 50, ... until a loop takes min_time
    local base, k = 1, 1
    number = 1
    while loop(f, number) < o.min_time and number < 1e9 do
      k = k == 1 and 2 or k == 2 and 5 or 1
      if k == 1 then base = base * 10 end
      number = base * k
    end
  end
  local times = {}
  for r = 1, o.repeats do times[r] = loop(f, number) / number end
  local sorted = table.move(times, 1, #times, 1, {})
  table.sort(sorted)
  local result = {best = sorted[1], median = median(sorted), number = number,
                  ["repeat"] = o.repeats, repeats = o.repeats, times = times}
  if not o.quiet then
    print(fmt("%s per loop (best of %d runs, median %s, %d loop%s each)",
              ts.format_time(result.best), o.repeats, ts.format_time(result.median), number,
              number == 1 and "" or "s"))
  end
  return result
end

-- %time at the prompt: runs once and reports the wall time; returns what
-- the code returned.
function ts.time(what)
  local f = compile(what, "time")
  local t0 = ts.now()
  local results = table.pack(f())
  print("Wall time: " .. ts.format_time(ts.now() - t0))
  return table.unpack(results, 1, results.n)
end

ts.doc(ts.timeit, "ts.timeit(fn | \"code\" [, {repeats =, number =, quiet =, min_time =}])",
  "Times fn() (or a chunk of code: an expression or statements) like IPython's %timeit: "
  .. "unless number is given, the loop count is the first of 1, 2, 5, 10, 20, 50, ... whose loop takes "
  .. "at least min_time (0.2) seconds; the loop runs repeats (7; also [\"repeat\"]) times and "
  .. "\"best per loop (best of R runs, median M, N loops each)\" is printed (not with quiet = "
  .. "true). Returns {best =, median =, number =, repeats =, times =} (seconds per loop; "
  .. "times has one entry per repeat). At the prompt, %timeit code is shorthand.")
ts.doc(ts.time, "ts.time(fn | \"code\")",
  "Runs fn() (or a chunk of code) once, prints \"Wall time: ...\" and returns its results. "
  .. "At the prompt, %time code is shorthand.")
ts.doc(ts.format_time, "ts.format_time(seconds)",
  "A duration with three significant digits in s, ms, \u{B5}s or ns: ts.format_time(0.00123) is "
  .. "\"1.23 ms\".")
