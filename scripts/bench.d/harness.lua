-- Tessera side of the benchmark harness (scripts/bench runs it; see docs/benchmarks.md).
-- A workload file calls H.case{...} once per case. Each case runs once as a warm-up, then
-- `--repeat` times; only run() is timed, with ts.now(). One JSON line per case goes to stdout
-- ("BENCH {...}") for scripts/bench.d/driver.py.
--   build/tessera scripts/bench.d/add_new.lua [--threads N] [--repeat N] [--quick]
local ts = ts or require "tessera"
local H = {}

local opts = { threads = nil, rep = 7, quick = false }
local i = 1
while i <= #arg do
  local v = arg[i]
  if v == "--threads" then
    opts.threads = assert(math.tointeger(tonumber(arg[i + 1])), "--threads needs an integer"); i = i + 1
  elseif v == "--repeat" then
    opts.rep = assert(math.tointeger(tonumber(arg[i + 1])), "--repeat needs an integer"); i = i + 1
  elseif v == "--quick" then
    opts.quick = true
  else
    error("harness: unknown argument " .. tostring(v))
  end
  i = i + 1
end
if opts.threads then ts.threads(opts.threads) end
H.quick = opts.quick
H.threads = ts.threads()

-- full-size value, or the smaller one under --quick
function H.size(full, quick) if opts.quick then return quick end return full end

-- "1e7" for powers of ten, the plain number otherwise
function H.fmt_n(n)
  local e = math.log(n, 10)
  if n >= 1000 and math.abs(e - math.floor(e + 0.5)) < 1e-12 then return ("1e%d"):format(math.floor(e + 0.5)) end
  return tostring(math.tointeger(n) or n)
end

local function json(v)
  local t = type(v)
  if t == "nil" then return "null"
  elseif t == "boolean" then return tostring(v)
  elseif t == "number" then
    if v ~= v then return "NaN" elseif v == math.huge then return "Infinity"
    elseif v == -math.huge then return "-Infinity" end
    if math.type(v) == "integer" then return tostring(v) end
    return ("%.17g"):format(v)
  elseif t == "string" then
    return '"' .. v:gsub('[%c"\\]', function(c)
      return ({ ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\t'] = '\\t' })[c]
        or ("\\u%04x"):format(c:byte())
    end) .. '"'
  elseif t == "table" then
    local parts = {}
    if #v > 0 or next(v) == nil then
      for k = 1, #v do parts[k] = json(v[k]) end
      return "[" .. table.concat(parts, ",") .. "]"
    end
    local keys = {}
    for k in pairs(v) do keys[#keys + 1] = tostring(k) end
    table.sort(keys)
    for _, k in ipairs(keys) do parts[#parts + 1] = json(k) .. ":" .. json(v[k]) end
    return "{" .. table.concat(parts, ",") .. "}"
  end
  return json(tostring(v))
end

local function emit(t)
  io.write("BENCH ", json(t), "\n")
  io.flush()
end

local function median(xs)
  local s = {}
  for k = 1, #xs do s[k] = xs[k] end
  table.sort(s)
  local m = #s // 2
  if #s % 2 == 1 then return s[m + 1] end
  return (s[m] + s[m + 1]) / 2
end

-- c.name: row name; c.what: what is measured (sizes, dtypes); c.code: the Lua expression;
-- c.run(): the timed operation, returns its result; c.inner: operations per run() (the time
-- is divided by it); c.check(result): a few values to compare with NumPy's (dtype strings and
-- numbers).
function H.case(c)
  local inner = c.inner or 1
  local ok, err = pcall(function()
    local r = c.run() -- warm-up
    local samples = {}
    for k = 1, opts.rep do
      r = nil
      local t0 = ts.now()
      r = c.run()
      samples[k] = (ts.now() - t0) / inner
    end
    local check = c.check and c.check(r) or nil
    emit { kind = "result", case = c.name, impl = "tessera", what = c.what, code = c.code,
           threads = H.threads, median = median(samples), samples = samples, check = check }
  end)
  if not ok then
    emit { kind = "error", case = c.name, impl = "tessera", what = c.what, code = c.code,
           threads = H.threads, error = tostring(err) }
  end
  collectgarbage()
  collectgarbage()
end

return H
