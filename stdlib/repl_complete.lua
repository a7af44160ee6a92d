-- Tab completion for the prompt. ts._complete(text, columns) gets the text
-- before the cursor and returns what to insert and, when the choice is
-- ambiguous, a listing in columns; ts._candidates(text) returns the sorted
-- candidates and the partial word they replace.
--
-- Inside an unterminated string literal, file names complete (directories
-- with a trailing /). Otherwise the dotted name before the cursor is resolved
-- from the globals: `ts.lin` lists the fields of ts (and of every table along
-- its metatables' __index chain), `a:su` lists only methods, arrays offer
-- their methods (and shape, dtype, ndim, size after a dot), a bare word
-- completes globals and keywords.
local ts, methods, meta = ...

local fmt, concat = string.format, table.concat

local keywords = {}
for w in ([[and break do else elseif end false for function goto if in local nil not or
  repeat return then true until while]]):gmatch("%a+") do keywords[#keywords + 1] = w end

local array_fields = {"dtype", "ndim", "shape", "size"}

local function is_identifier(k) return type(k) == "string" and k:match("^[%a_][%w_]*$") ~= nil end

local function callable(v)
  if type(v) == "function" then return true end
  local mt = getmetatable(v)
  return type(mt) == "table" and rawget(mt, "__call") ~= nil
end

-- Where the text before the cursor sits: in a string literal (returns
-- "string" and the literal's text so far), in a comment ("comment") or in code.
local function context_of(text)
  local i, n = 1, #text
  while i <= n do
    local c = text:sub(i, i)
    if c == '"' or c == "'" then
      local j = i + 1
      while j <= n do
        local d = text:sub(j, j)
        if d == "\\" then j = j + 1 elseif d == c then break end
        j = j + 1
      end
      if j > n then return "string", text:sub(i + 1) end
      i = j
    elseif text:sub(i, i + 1) == "--" then
      return "comment"
    elseif text:match("^%[=*%[", i) then
      local eqs = text:match("^%[(=*)%[", i)
      local close = text:find("]" .. eqs .. "]", i, true)
      if not close then return "comment" end
      i = close + #eqs + 1
    end
    i = i + 1
  end
  return "code"
end

local function file_candidates(partial)
  local dir = partial:match("^(.*/)") or ""
  local base = partial:sub(#dir + 1)
  local where = dir
  if where:sub(1, 2) == "~/" then where = (os.getenv("HOME") or "") .. where:sub(2) end
  local entries = ts._listdir(where == "" and "." or where)
  local out = {}
  if not entries then return out end
  for name, is_dir in pairs(entries) do
    if name:sub(1, #base) == base and (base:sub(1, 1) == "." or name:sub(1, 1) ~= ".") then
      out[#out + 1] = dir .. name .. (is_dir and "/" or "")
    end
  end
  return out
end

-- obj[key] without raising (userdata __index functions may).
local function field(obj, key)
  if type(obj) == "table" then
    local v = rawget(obj, key)
    if v ~= nil then return v end
  end
  local ok, v = pcall(function() return obj[key] end)
  if ok then return v end
  return nil
end

-- The names reachable from obj with sep ("." fields, ":" methods only).
local function names_of(obj, sep)
  local found = {}
  local function add(t)
    for k, v in next, t do
      if is_identifier(k) and (sep ~= ":" or callable(v)) then found[k] = true end
    end
  end
  if type(obj) == "table" then add(obj) end
  if type(obj) == "userdata" and getmetatable(obj) == meta then
    add(methods)
    if sep == "." then for _, k in ipairs(array_fields) do found[k] = true end end
  end
  local mt, depth = getmetatable(obj), 0
  while type(mt) == "table" and depth < 16 do
    local index = rawget(mt, "__index")
    if type(index) ~= "table" then break end
    add(index)
    mt, depth = getmetatable(index), depth + 1
  end
  return found
end

local function name_candidates(expr)
  local path, sep, partial = expr:match("^(.-)([%.:])([%w_]*)$")
  local found, prefix = {}, ""
  if not path then
    partial = expr
    if partial == "" or partial:match("^%d") then return {}, partial end
    found = names_of(_G, ".")
    for _, k in ipairs(keywords) do found[k] = true end
  else
    if path == "" or sep == ":" and path:find(":", 1, true) then return {}, partial end
    local obj = _G
    for seg in path:gmatch("[^%.:]+") do
      if not is_identifier(seg) then return {}, partial end
      obj = field(obj, seg)
      if obj == nil then return {}, partial end
    end
    found = names_of(obj, sep)
    prefix = path .. sep
  end
  local out = {}
  for k in pairs(found) do
    if k:sub(1, #partial) == partial then out[#out + 1] = prefix .. k end
  end
  return out, prefix .. partial
end

function ts._candidates(text)
  local where, literal = context_of(text)
  local out, partial
  if where == "string" then
    partial = literal
    out = file_candidates(literal)
  elseif where == "comment" then
    return {}, ""
  else
    out, partial = name_candidates(text:match("[%w_%.:]*$"))
  end
  table.sort(out)
  return out, partial
end

local function common_prefix(list)
  local p = list[1]
  for i = 2, #list do
    local s = list[i]
    local n = 0
    while n < #p and n < #s and p:byte(n + 1) == s:byte(n + 1) do n = n + 1 end
    p = p:sub(1, n)
  end
  return p
end

-- Names in columns, sorted down each column (as ls does); at most 300.
local function listing(words, columns)
  local limit, more = 300, 0
  if #words > limit then
    more = #words - limit
    words = table.move(words, 1, limit, 1, {})
  end
  local width = 0
  for _, w in ipairs(words) do width = math.max(width, utf8.len(w) or #w) end
  width = width + 2
  local cols = math.max(1, (columns or 80) // width)
  local rows = (#words + cols - 1) // cols
  local lines = {}
  for r = 1, rows do
    local parts = {}
    for c = 0, cols - 1 do
      local w = words[c * rows + r]
      if w then
        local last = words[(c + 1) * rows + r] == nil
        parts[#parts + 1] = last and w or (w .. string.rep(" ", width - (utf8.len(w) or #w)))
      end
    end
    lines[r] = concat(parts)
  end
  if more > 0 then lines[#lines + 1] = fmt("... and %d more", more) end
  return concat(lines, "\n")
end

function ts._complete(text, columns)
  local ok, list, partial = pcall(ts._candidates, text)
  if not ok or #list == 0 then return "", nil end
  local insert = common_prefix(list):sub(#partial + 1)
  if #list == 1 or insert ~= "" then return insert, nil end
  -- Show the last part of each candidate (what differs), as shells do.
  local shown, cut = {}, #(partial:match("^(.*[/%.:])") or "")
  for i, w in ipairs(list) do shown[i] = w:sub(cut + 1) end
  return "", listing(shown, columns)
end
