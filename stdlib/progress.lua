-- ts.progress(n | table | iterator ...): wraps a generic for loop and draws a
-- progress bar (percentage, count, elapsed time, ETA, rate) on standard error
-- when it is a terminal, and nothing otherwise:
--
--   for i in ts.progress(100) do ... end          -- i = 1..100
--   for i, v in ts.progress(list) do ... end      -- like ipairs(list)
--   for k, v in ts.progress(pairs(t)) do ... end  -- any iterator (no total)
--
-- Redraws are throttled (every 0.1 s); the last one, when the loop ends (also
-- by break or error: the loop's closing value), ends the line.
local ts = ...

local fmt, rep, floor = string.format, string.rep, math.floor

local kInterval = 0.1
local blocks = {"\u{258F}", "\u{258E}", "\u{258D}", "\u{258C}", "\u{258B}", "\u{258A}", "\u{2589}"}

local function clock(seconds)
  seconds = floor(seconds + 0.5)
  local h, m, s = seconds // 3600, seconds // 60 % 60, seconds % 60
  if h > 0 then return fmt("%d:%02d:%02d", h, m, s) end
  return fmt("%02d:%02d", m, s)
end

local function rate_text(rate)
  if rate <= 0 then return "? it/s" end
  if rate < 1 then return fmt("%.2f s/it", 1 / rate) end
  if rate >= 1e6 then return fmt("%.2fM it/s", rate / 1e6) end
  if rate >= 1e4 then return fmt("%.2fk it/s", rate / 1e3) end
  return fmt("%.2f it/s", rate)
end

local function bar_text(fraction, width)
  local cells = fraction * width
  local full = floor(cells)
  local part = floor((cells - full) * 8)
  local s = rep("\u{2588}", full)
  if full < width then s = s .. (part > 0 and blocks[part] or " ") .. rep(" ", width - full - 1) end
  return s
end

-- The status line for count items done after `elapsed` seconds.
local function status(p, elapsed)
  local rate = elapsed > 0 and p.count / elapsed or 0
  local prefix = p.desc and (p.desc .. ": ") or ""
  if not p.total then
    return fmt("%s%d [%s, %s]", prefix, p.count, clock(elapsed), rate_text(rate))
  end
  local fraction = p.total > 0 and math.min(p.count / p.total, 1) or 1
  local eta = rate > 0 and (p.total - p.count) / rate or 0
  local tail = fmt(" %d/%d [%s<%s, %s]", p.count, p.total, clock(elapsed), clock(eta),
                   rate_text(rate))
  local head = fmt("%s%3d%%|", prefix, floor(fraction * 100))
  local width = p.columns - utf8.len(head) - #tail - 2
  if width < 4 then return head:sub(1, -2) .. tail end
  return head .. bar_text(fraction, width) .. "|" .. tail
end

local function draw(p, now)
  local line = status(p, now - p.start)
  local pad = p.shown > utf8.len(line) and rep(" ", p.shown - utf8.len(line)) or ""
  p.out:write("\r", line, pad)
  p.out:flush()
  p.shown = utf8.len(line)
  p.last = now
end

local function tick(p)
  p.count = p.count + 1
  if p.enabled then
    local now = ts.now()
    if now - p.last >= kInterval then draw(p, now) end
  end
end

local Closer = {__close = function(c)
  local p = c.p
  if p.enabled and not p.closed then
    draw(p, ts.now())
    p.out:write("\n")
    p.out:flush()
  end
  p.closed = true
end}

local function check_options(opts)
  if opts == nil then return {} end
  if type(opts) ~= "table" then
    error(fmt("progress: expected an options table, got %s", type(opts)), 3)
  end
  for k in pairs(opts) do
    if k ~= "total" and k ~= "desc" and k ~= "out" and k ~= "disable" then
      error(fmt("progress: unknown option '%s'", tostring(k)), 3)
    end
  end
  if opts.total ~= nil and (type(opts.total) ~= "number" or opts.total < 0) then
    error("progress: total must be a non-negative number", 3)
  end
  return opts
end

local function new_progress(total, opts)
  local out = opts.out or io.stderr
  local enabled = not opts.disable and (opts.out ~= nil or ts._isatty(2))
  local columns = 80
  if enabled and io.type(out) == "file" then columns = ts._columns(out) end
  local p = {total = opts.total or total, desc = opts.desc and tostring(opts.desc), out = out,
             enabled = enabled, columns = columns, count = 0, shown = 0, start = ts.now(),
             last = -math.huge}
  if enabled then draw(p, p.start) end
  return p
end

function ts.progress(what, ...)
  local kind = type(what)
  if kind == "number" then
    if what ~= what or what == math.huge then error("progress: the count must be finite", 2) end
    local n = floor(what)
    local p = new_progress(math.max(n, 0), check_options((...)))
    local function step(_, i)
      if i >= n then return nil end
      tick(p)
      return i + 1
    end
    return step, nil, 0, setmetatable({p = p}, Closer)
  elseif kind == "table" then
    local p = new_progress(#what, check_options((...)))
    local function step(t, i)
      local v = t[i + 1]
      if v == nil then return nil end
      tick(p)
      return i + 1, v
    end
    return step, what, 0, setmetatable({p = p}, Closer)
  elseif kind == "function" then
    local state, control, opts = ...
    local p = new_progress(nil, check_options(opts))
    local function step(s, c)
      local results = table.pack(what(s, c))
      if results[1] == nil then return nil end
      tick(p)
      return table.unpack(results, 1, results.n)
    end
    return step, state, control, setmetatable({p = p}, Closer)
  end
  error(fmt("progress: expected a count, a table or an iterator at argument 1, got %s", kind), 2)
end

ts.doc(ts.progress, "ts.progress(n | list | iterator, ... [, {total =, desc =, out =, disable =}])",
  "Wraps a generic for loop and draws a progress bar with percentage, count, elapsed time, "
  .. "ETA and rate on standard error when it is a terminal (nothing otherwise; out = a file "
  .. "draws there in any case): for i in ts.progress(100) do ... end counts 1..100, "
  .. "ts.progress(list) iterates like ipairs, ts.progress(pairs(t)) wraps any iterator (options "
  .. "then come fourth; total = gives the length for the bar). Redraws at most every 0.1 s; the "
  .. "line ends when the loop does, also by break or error.")
