-- ts.inspect(value [, opts]): a readable, Lua-like rendering of any value,
-- used by the prompt to show results. Tables print with nesting (one line
-- when they fit in the width, else indented), array part first, then other
-- keys sorted; a table met again (a cycle or a shared table) prints as
-- <table N> and its first appearance is marked <N>. Arrays show their dtype
-- and shape (and their elements when short); documented functions their name.
local ts, _, meta = ...

local fmt, concat = string.format, table.concat

local defaults = {depth = 8, width = 80, items = 100, indent = "  "}

local keywords = {}
for w in ([[and break do else elseif end false for function goto if in local nil not or
  repeat return then true until while]]):gmatch("%a+") do keywords[w] = true end

local function is_identifier(k)
  return type(k) == "string" and k:match("^[%a_][%w_]*$") ~= nil and not keywords[k]
end

local function quote(s) return (fmt("%q", s):gsub("\\\n", "\\n"):gsub("\r", "\\r")) end

local function array_text(a)
  local ok, shape = pcall(function() return a.shape end)
  if not ok then return "<closed array>" end
  local dims = concat(shape, ",")
  if a.size <= 12 and a.ndim <= 1 then
    local body = tostring(a):match("^(.-)\n%[")
    if body and not body:find("\n") then return fmt("<%s array (%s): %s>", a.dtype, dims, body) end
  end
  return fmt("<%s array of shape (%s)>", a.dtype, dims)
end

local function function_text(f)
  local e = ts._help and ts._help[f]
  if e then return "<function " .. e.signature:match("^[^(]*") .. ">" end
  return "<" .. tostring(f) .. ">"
end

local function scalar_text(v)
  local t = type(v)
  if t == "string" then return quote(v) end
  if t == "number" then
    if math.type(v) == "float" and v == math.floor(v) and v > -1e16 and v < 1e16 then
      return fmt("%.1f", v)
    end
    return tostring(v)
  end
  if t == "function" then return function_text(v) end
  if t == "userdata" and getmetatable(v) == meta then return array_text(v) end
  if t == "table" or t == "nil" or t == "boolean" then return tostring(v) end
  local ok, s = pcall(tostring, v)
  return ok and s or ("<" .. t .. ">")
end

-- Keys in print order: 1..n of the sequence, then numbers, strings, others.
local kind_rank = {number = 1, string = 2, boolean = 3}
local function sorted_keys(t, n)
  local keys = {}
  for k in pairs(t) do
    if not (math.type(k) == "integer" and k >= 1 and k <= n) then keys[#keys + 1] = k end
  end
  table.sort(keys, function(a, b)
    local ra, rb = kind_rank[type(a)] or 4, kind_rank[type(b)] or 4
    if ra ~= rb then return ra < rb end
    if ra <= 2 then return a < b end
    return tostring(a) < tostring(b)
  end)
  return keys
end

local function sequence_length(t)
  local n = 0
  while rawget(t, n + 1) ~= nil do n = n + 1 end
  return n
end

-- Pass 1: which tables appear more than once (cycles, shared references).
local function count_refs(v, counts, depth, limit)
  if type(v) ~= "table" then return end
  counts[v] = (counts[v] or 0) + 1
  if counts[v] > 1 or depth >= limit then return end
  for k, x in next, v do
    count_refs(k, counts, depth + 1, limit)
    count_refs(x, counts, depth + 1, limit)
  end
end

local function render(v, o, state, depth, indent)
  if type(v) ~= "table" then return scalar_text(v) end
  local id = state.ids[v]
  if id then return fmt("<table %d>", id) end
  local mark = ""
  if state.counts[v] > 1 then
    state.next_id = state.next_id + 1
    state.ids[v] = state.next_id
    mark = fmt("<%d>", state.next_id)
  end
  if depth >= o.depth then return mark .. "{...}" end
  local n = sequence_length(v)
  local keys = sorted_keys(v, n)
  if n == 0 and #keys == 0 then return mark .. "{}" end
  local inner = indent .. o.indent
  local parts = {}
  local shown = 0
  for i = 1, n do
    if shown >= o.items then break end
    shown = shown + 1
    parts[#parts + 1] = render(rawget(v, i), o, state, depth + 1, inner)
  end
  for _, k in ipairs(keys) do
    if shown >= o.items then break end
    shown = shown + 1
    local key = is_identifier(k) and k or ("[" .. render(k, o, state, depth + 1, inner) .. "]")
    parts[#parts + 1] = key .. " = " .. render(rawget(v, k), o, state, depth + 1, inner)
  end
  if n + #keys > shown then parts[#parts + 1] = fmt("... (%d more)", n + #keys - shown) end
  local mt = getmetatable(v)
  if mt ~= nil and type(mt) == "table" then
    parts[#parts + 1] = "<metatable> = " .. render(mt, o, state, depth + 1, inner)
  end
  local line = mark .. "{" .. concat(parts, ", ") .. "}"
  if #line + #indent <= o.width and not line:find("\n") then return line end
  return mark .. "{\n" .. inner .. concat(parts, ",\n" .. inner) .. "\n" .. indent .. "}"
end

local function options(opts)
  if opts ~= nil and type(opts) ~= "table" then
    error(fmt("inspect: expected an options table at argument 2, got %s", type(opts)), 3)
  end
  local o = {}
  for k, v in pairs(defaults) do o[k] = v end
  for k, v in pairs(opts or {}) do
    if defaults[k] == nil then error(fmt("inspect: unknown option '%s'", tostring(k)), 3) end
    if type(v) ~= type(defaults[k]) then
      error(fmt("inspect: option %s must be a %s, got %s", k, type(defaults[k]), type(v)), 3)
    end
    o[k] = v
  end
  return o
end

function ts.inspect(value, opts)
  local o = options(opts)
  local counts = {}
  count_refs(value, counts, 0, o.depth)
  return render(value, o, {counts = counts, ids = {}, next_id = 0}, 0, "")
end

ts.doc(ts.inspect, "ts.inspect(value [, {depth =, width =, items =, indent =}])",
  "A readable rendering of any value, as the prompt shows results: strings quoted, tables "
  .. "with their sequence first and other keys sorted, on one line when they fit in width "
  .. "(80) characters, else indented; nesting deeper than depth (8) shows {...}, more than "
  .. "items (100) entries per table are elided; a table reached twice (a cycle or a shared "
  .. "table) prints as <table N> where its first appearance is marked <N>. Arrays show their "
  .. "dtype and shape (and their elements when there are few).")
