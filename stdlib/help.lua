-- The help system over the registry ts._help (function -> {name, signature,
-- doc}), filled by the C parts from their entry tables and by Lua code
-- through ts.doc.
--
--   ts.help(ts.zeros)  ts.help("zeros")  ts.help("ts.zeros")  ts.help("reshape")
--   ts.help()          -- every documented function, grouped
--   ts.help_text(f)    -- the same text, returned instead of printed
--   ts.docs()          -- sorted list of entries (API reference, tests)
local ts = ...

local registry = ts._help
local methods = ts._methods
local fmt = string.format

-- The entry's name from a signature: "ts.zeros(...)" -> zeros,
-- "a:reshape(...)" -> reshape, "ts.set_printoptions{...}" -> set_printoptions.
local function name_of(signature)
  return signature:match("^ts[%.:]([%w_]+)") or signature:match("^%a[%w_]*[%.:]([%w_]+)")
      or signature:match("^([%w_]+)")
end

function ts.doc(fn, signature, doc)
  if type(fn) ~= "function" then
    error(fmt("doc: expected a function at argument 1, got %s", type(fn)), 2)
  end
  if type(signature) ~= "string" or signature == "" then
    error(fmt("doc: expected a signature string at argument 2, got %s", type(signature)), 2)
  end
  if type(doc) ~= "string" or doc == "" then
    error(fmt("doc: expected a docstring at argument 3, got %s", type(doc)), 2)
  end
  registry[fn] = {name = name_of(signature) or signature, signature = signature, doc = doc}
  return fn
end

-- Where fn is reachable: "function" (ts.name), "method" (a:name()) or "both".
local function kind_of(fn, name)
  local f = name and rawget(ts, name) == fn
  local m = name and rawget(methods, name) == fn
  if f and m then return "both" end
  if m then return "method" end
  if f then return "function" end
  for _, v in pairs(ts) do if v == fn then return "function" end end
  for _, v in pairs(methods) do if v == fn then return "method" end end
  return "other"
end

function ts.docs()
  local list = {}
  for fn, e in pairs(registry) do
    list[#list + 1] = {name = e.name, signature = e.signature, doc = e.doc, fn = fn,
                       kind = kind_of(fn, e.name)}
  end
  table.sort(list, function(x, y)
    if x.name ~= y.name then return x.name < y.name end
    return x.signature < y.signature
  end)
  return list
end

-- The entry for a function or a name ("zeros", "ts.zeros", "a:reshape").
local function lookup(what)
  if type(what) == "function" then
    local e = registry[what]
    if not e then return nil, "help: no documentation for this function" end
    return e
  end
  if type(what) ~= "string" then
    return nil, fmt("help: expected a function or a name, got %s", type(what))
  end
  local name = what:match("^%s*(.-)%s*$")
  local bare = name:match("^ts%.([%w_]+)$") or name:match("^tessera%.([%w_]+)$")
      or name:match("^a[:%.]([%w_]+)$") or name
  local candidates = {rawget(ts, bare), rawget(methods, bare)}
  for i = 1, 2 do
    local fn = candidates[i]
    if type(fn) == "function" and registry[fn] then return registry[fn] end
  end
  for _, e in pairs(registry) do
    if e.name == bare or e.signature == name then return e end
  end
  return nil, fmt("help: no documentation for '%s'", what)
end

local function entry_text(e) return e.signature .. "\n\n" .. e.doc end

function ts.help_text(what)
  if what == nil then
    local groups = {["function"] = {}, both = {}, method = {}, other = {}}
    local width = 0
    for _, e in ipairs(ts.docs()) do
      local g = groups[e.kind]
      g[#g + 1] = e
      if #e.signature > width then width = #e.signature end
    end
    width = math.min(width, 40)
    local out = {}
    local function section(title, list)
      if #list == 0 then return end
      if #out > 0 then out[#out + 1] = "" end
      out[#out + 1] = title
      for _, e in ipairs(list) do
        local summary = e.doc:match("^(.-%.)%s") or e.doc:match("^(.-%.)$") or e.doc
        local room = 100 - 4 - width
        if #summary > room then
          summary = summary:sub(1, room - 3):gsub("%s+%S*$", "") .. "..."
        end
        local sig = e.signature
        if #sig > width then
          out[#out + 1] = "  " .. sig
          out[#out + 1] = "  " .. string.rep(" ", width) .. "  " .. summary
        else
          out[#out + 1] = "  " .. sig .. string.rep(" ", width - #sig) .. "  " .. summary
        end
      end
    end
    section("Functions (ts.name):", groups["function"])
    section("Functions that are also array methods (ts.name(a, ...) or a:name(...)):",
            groups.both)
    section("Array methods (a:name(...)):", groups.method)
    section("Other:", groups.other)
    out[#out + 1] = ""
    out[#out + 1] = "ts.help(f) or ts.help(\"name\") shows one function in full."
    return table.concat(out, "\n")
  end
  local e, err = lookup(what)
  if not e then error(err, 2) end
  return entry_text(e)
end

function ts.help(what)
  if what == nil then
    print(ts.help_text())
    return
  end
  local e, err = lookup(what)
  if not e then error(err, 2) end
  print(entry_text(e))
end

ts.doc(ts.help, "ts.help([f])",
  "Prints the signature and documentation of f: a function (ts.help(ts.zeros)) or a name "
  .. "(ts.help(\"zeros\"), ts.help(\"ts.zeros\"), ts.help(\"reshape\") for the method). "
  .. "With no argument, lists every documented function.")
ts.doc(ts.help_text, "ts.help_text([f])",
  "The text ts.help(f) would print, as a string.")
ts.doc(ts.doc, "ts.doc(fn, signature, doc)",
  "Registers the signature and docstring of a Lua function for ts.help; returns fn.")
ts.doc(ts.docs, "ts.docs()",
  "A list of every documented function, sorted by name: tables with name, signature, doc, "
  .. "fn and kind (\"function\", \"method\", \"both\" or \"other\").")
