-- ts._repl(): the basic interactive prompt of the `tessera` executable.
-- Lines are read from standard input; an expression's values are printed
-- (arrays NumPy-style) and the first is kept in `_`; a trailing ';'
-- suppresses printing; incomplete chunks continue on the next line; errors
-- are reported with a traceback and the session goes on; end of input ends it.
local ts = ...

local PROMPT, CONTINUE = "ts> ", ">> "

local function read(prompt)
  io.write(prompt)
  io.flush()
  return io.read("l")
end

-- A syntax error that only says the chunk ended too soon.
local function incomplete(err) return err:sub(-5) == "<eof>" end

-- Compiles a line as an expression first (as lua.c does), then as a
-- statement, reading continuation lines while the chunk is incomplete.
-- Returns the function and the source, or nil and an error (nil at EOF).
local function read_chunk()
  local src = read(PROMPT)
  if src == nil then return nil end
  local fn = load("return " .. src, "=stdin", "t")
  if fn then return fn, src end
  while true do
    local err
    fn, err = load(src, "=stdin", "t")
    if fn then return fn, src end
    if not incomplete(err) then return nil, err end
    local more = read(CONTINUE)
    if more == nil then return nil, err end
    src = src .. "\n" .. more
  end
end

-- The traceback from the user's code, without the prompt's own frames.
local function handler(msg)
  if type(msg) ~= "string" then
    local mt = getmetatable(msg)
    msg = (mt and mt.__tostring) and tostring(msg)
        or ("(error object is a " .. type(msg) .. " value)")
  end
  local tb = debug.traceback(msg, 2)
  local keep = {}
  for line in tb:gmatch("[^\n]+") do
    if line:find("in function 'xpcall'", 1, true) or line:find("tessera/repl.lua", 1, true) then
      break
    end
    keep[#keep + 1] = line
  end
  return table.concat(keep, "\n")
end

local function show(n, ...)
  local parts = {}
  for i = 1, n do
    local ok, s = pcall(tostring, (select(i, ...)))
    parts[i] = ok and s or ("(tostring failed: " .. tostring(s) .. ")")
  end
  io.write(table.concat(parts, "\t"), "\n")
end

local function report(err)
  io.stdout:flush()
  io.stderr:write(err, "\n")
  io.stderr:flush()
end

local function run(fn, src)
  local results = table.pack(xpcall(fn, handler))
  if not results[1] then return report(results[2]) end
  if results.n < 2 then return end
  _G._ = results[2]
  if not src:match(";%s*$") then show(results.n - 1, table.unpack(results, 2, results.n)) end
end

function ts._repl()
  while true do
    local fn, src = read_chunk()
    if fn then
      run(fn, src)
    elseif src then
      report(src)  -- a syntax error
    else
      io.write("\n")
      io.flush()
      return
    end
  end
end

ts.doc(ts._repl, "ts._repl()",
  "Runs the interactive prompt on standard input until it ends: expressions print their "
  .. "values (kept in _; a trailing ';' prints nothing), statements run, incomplete input "
  .. "continues on the next line and errors are reported without ending the session.")
