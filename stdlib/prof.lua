-- ts.prof's report and the printed summary of ts.prof.counters, made from
-- the tables of ts.prof.data and ts.prof._counters (runtime/lua/prof.cpp).
local ts = ...
local P = ts.prof
local fmt = string.format

local function doc(f, name, signature, text)
  ts.doc(f, signature, text)
  ts._help[f].name = "prof." .. name
end

local function bytes_text(n)
  local units = { "B", "KiB", "MiB", "GiB", "TiB" }
  local i = 1
  while math.abs(n) >= 1024 and i < #units do
    n = n / 1024
    i = i + 1
  end
  return i == 1 and fmt("%d B", n) or fmt("%.1f %s", n, units[i])
end

local function check_options(opts, fname)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    error(fmt("%s: expected an options table, got %s", fname, type(opts)), 3)
  end
  return opts
end

local function sorted(list, key)
  table.sort(list, function(a, b)
    local x, y = a[key] or 0, b[key] or 0
    if x ~= y then return x > y end
    return a.name < b.name
  end)
  return list
end

local function lua_section(out, d, sort, limit)
  local fs = sorted(d.functions, sort)
  out[#out + 1] = fmt("Lua functions (by %s%s):", sort, d.mode == "sample" and ", from samples" or "")
  out[#out + 1] = fmt("%10s %10s %10s  %s", "calls", "self s", "total s", "function")
  for i = 1, math.min(limit, #fs) do
    local f = fs[i]
    out[#out + 1] = fmt("%10s %10.4f %10.4f  %s", f.calls or "-", f.self, f.total, f.name)
  end
  if #fs > limit then out[#out + 1] = fmt("  ... %d more", #fs - limit) end
end

local function native_section(out, d, limit)
  local ns = sorted(d.natives, "time")
  local time = 0
  for _, n in ipairs(ns) do time = time + n.time end
  out[#out + 1] = fmt("Native calls (by time; %.4f s, %.0f%% of %.4f s run time):", time,
    d.duration > 0 and 100 * time / d.duration or 0, d.duration)
  out[#out + 1] = fmt("%10s %10s %12s %8s  %s", "calls", "time s", "bytes", "GB/s", "function")
  for i = 1, math.min(limit, #ns) do
    local n = ns[i]
    local rate = n.time > 0 and n.bytes / n.time / 1e9 or 0
    out[#out + 1] = fmt("%10d %10.4f %12s %8.2f  %s", n.calls, n.time, bytes_text(n.bytes), rate, n.name)
  end
  if #ns > limit then out[#out + 1] = fmt("  ... %d more", #ns - limit) end
end

local function memory_section(out, d, limit)
  local m = d.memory
  local sites = m.sites
  table.sort(sites, function(a, b)
    if a.peak ~= b.peak then return a.peak > b.peak end
    return a.where < b.where
  end)
  out[#out + 1] = fmt("Array memory by line (by peak; %d allocations, %s allocated, peak %s, live %s):",
    m.allocations, bytes_text(m.bytes), bytes_text(m.peak), bytes_text(m.live))
  out[#out + 1] = fmt("%10s %12s %12s %12s  %s", "allocs", "total", "peak", "live", "line")
  for i = 1, math.min(limit, #sites) do
    local s = sites[i]
    out[#out + 1] = fmt("%10d %12s %12s %12s  %s", s.allocations, bytes_text(s.bytes),
      bytes_text(s.peak), bytes_text(s.live), s.where)
  end
  if #sites > limit then out[#out + 1] = fmt("  ... %d more", #sites - limit) end
end

local sort_keys = { self = "self", total = "total", calls = "calls" }

function P.report(opts)
  opts = check_options(opts, "prof.report")
  local sort = opts.sort or "self"
  if not sort_keys[sort] then
    error(fmt("prof.report: expected sort 'self', 'total' or 'calls', got %s", tostring(sort)), 2)
  end
  local limit = opts.limit or 20
  if math.type(limit) ~= "integer" or limit < 1 then
    error(fmt("prof.report: expected a positive integer limit, got %s", tostring(limit)), 2)
  end
  local ok, d = pcall(P.data)
  if not ok then error(d, 2) end
  local out = {}
  if d.mode == "sample" then
    out[1] = fmt("Profile: sampling every %.2g ms, %d samples in %.4f s%s", d.interval * 1e3, d.samples,
      d.duration, d.running and " (still running)" or "")
  else
    out[1] = fmt("Profile: exact (call and return hooks), %.4f s%s", d.duration,
      d.running and " (still running)" or "")
  end
  out[#out + 1] = ""
  lua_section(out, d, sort, limit)
  out[#out + 1] = ""
  native_section(out, d, limit)
  out[#out + 1] = ""
  memory_section(out, d, limit)
  local text = table.concat(out, "\n") .. "\n"
  if io.type(opts.file) == "file" then
    opts.file:write(text)
  elseif opts.file then
    local f, err = io.open(opts.file, "w")
    if not f then error("prof.report: cannot open " .. err, 2) end
    f:write(text)
    f:close()
  else
    io.write(text)
  end
  return text
end
doc(P.report, "report", "ts.prof.report([{sort = 'self', limit = 20, file = path}])",
  "Prints (or writes to `file`, a path or an open file) the last profile as tables: Lua functions (calls, self and "
  .. "cumulative seconds), native calls (calls, seconds, bytes of array operands and results, "
  .. "GB/s) and array memory by allocating line (allocations, bytes, peak, live); returns the text.")

local counter_order = { "cycles", "instructions", "cache_references", "cache_misses",
                        "branch_misses", "page_faults", "context_switches", "task_clock" }

local function counters_text(c)
  local out = { fmt("Counters over %.4f s (every thread of the process, user space):", c.time) }
  for _, name in ipairs(counter_order) do
    if c[name] then
      local note = ""
      if name == "instructions" and c.cycles and c.cycles > 0 then
        note = fmt("   (%.2f per cycle)", c.instructions / c.cycles)
      elseif name == "cache_misses" and c.cache_references and c.cache_references > 0 then
        note = fmt("   (%.1f%% of references)", 100 * c.cache_misses / c.cache_references)
      elseif name == "task_clock" then
        note = "   ns"
      end
      out[#out + 1] = fmt("  %-18s %16d%s", name, c[name], note)
    end
  end
  if c.unavailable then out[#out + 1] = "  unavailable: " .. c.unavailable end
  return table.concat(out, "\n")
end

function P.counters(fn, opts)
  opts = check_options(opts, "prof.counters")
  local results = table.pack(P._counters(fn, opts.events))
  if not opts.quiet then print(counters_text(results[1])) end
  return table.unpack(results, 1, results.n)
end
doc(P.counters, "counters", "ts.prof.counters(fn [, {events = {...}, quiet = false}])",
  "Runs fn() and returns a table of event counts over it (cycles, instructions, "
  .. "cache_references, cache_misses, branch_misses, page_faults, task_clock in ns; or the "
  .. "listed events, context_switches too), time in seconds, and `unavailable` naming each "
  .. "event the kernel refused and why; then fn's results. Counts every thread of the process, "
  .. "user space only. Prints a summary unless quiet.")

-- `tessera --profile[=mode] [--profile-out=FILE] script.lua` (repl/main.cpp).
function P._cli_start(mode) P.start { mode = mode } end
doc(P._cli_start, "_cli_start", "ts.prof._cli_start(mode)",
  "Starts the profiler for `tessera --profile` (internal).")

function P._cli_finish(out)
  io.stdout:flush()
  P.report { file = io.stderr }
  if out then
    P.write_collapsed(out)
    io.stderr:write("collapsed stacks written to ", out, "\n")
  end
end
doc(P._cli_finish, "_cli_finish", "ts.prof._cli_finish([out])",
  "After ts.prof._cli_stop, for `tessera --profile`: reports to stderr and writes collapsed stacks to out (internal).")
