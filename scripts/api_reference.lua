-- The API reference in Markdown, generated from the help registry (the
-- docstrings that ts.help and the prompt's ?name show):
--
--   build/tessera scripts/api_reference.lua > docs/api.md
--
-- Functions are grouped by sub-module (ts.h5, ts.par, ...), then the core
-- functions, the array methods and the methods of other objects.
local docs = {}
for _, e in ipairs(ts.docs()) do
  if not e.name:match("^_") then docs[#docs + 1] = e end  -- internal helpers stay out
end

local function group_of(e)
  local module = e.signature:match("^ts%.([%w_]+)%.")
  if module then return "ts." .. module end
  if e.kind == "function" or e.kind == "both" then return "ts" end
  if e.kind == "method" then return "array methods" end
  local object = e.signature:match("^([%w_]+):")
  return object and (object .. " methods") or "other"
end

local groups, order = {}, {}
for _, e in ipairs(docs) do
  local g = group_of(e)
  if not groups[g] then
    groups[g] = {}
    order[#order + 1] = g
  end
  table.insert(groups[g], e)
end
local rank = {ts = 1, ["array methods"] = 2}
table.sort(order, function(a, b)
  local ra, rb = rank[a] or (a:match("^ts%.") and 3) or 4, rank[b] or (b:match("^ts%.") and 3) or 4
  if ra ~= rb then return ra < rb end
  return a < b
end)

local out = {"# API reference", "",
             "Generated from the help registry by `scripts/api_reference.lua` (" .. #docs
             .. " entries); at the prompt, `?name` or `ts.help(name)` shows the same text.", ""}
for _, g in ipairs(order) do
  out[#out + 1] = "## " .. g
  out[#out + 1] = ""
  for _, e in ipairs(groups[g]) do
    out[#out + 1] = "- `" .. e.signature .. "`: " .. e.doc:gsub("\n", " ")
  end
  out[#out + 1] = ""
end
io.write(table.concat(out, "\n"))
