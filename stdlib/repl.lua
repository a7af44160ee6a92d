-- ts._repl([term]): the interactive prompt of the `tessera` executable. The
-- policy lives here; `term` (repl/line_editor.hpp) is the terminal plumbing:
-- with line editing (standard input is a terminal) term.readline reads lines
-- with history and Tab completion (ts._complete), else lines come from
-- io.read.
--
-- Expressions print their values (arrays NumPy-style, tables with ts.inspect)
-- and the first is kept in `_`; a trailing ';' suppresses printing;
-- incomplete chunks continue on the next line (one history entry per chunk);
-- `?name` or `name?` shows help, `%time code` and `%timeit code` time code;
-- errors are reported with a traceback ("interrupted" alone after Ctrl-C)
-- and the session goes on; Ctrl-C at the prompt abandons the input, Ctrl-D
-- (end of input) ends the session.
local ts = ...

local PROMPT, CONTINUE = "ts> ", ">> "

local term  -- the terminal of the running prompt
local history_path

local function read_line(prompt)
  if term and term.readline then return term.readline(prompt) end
  io.write(prompt)
  io.flush()
  return io.read("l")
end

local function history_file()
  local path = os.getenv("TESSERA_HISTORY")
  if path == nil then
    local home = os.getenv("HOME")
    path = home and home ~= "" and (home .. "/.tessera_history") or ""
  end
  return path ~= "" and path or nil
end

local function remember(entry)
  if not (term and term.add_history) or not entry:find("%S") then return end
  term.add_history(entry)
  if history_path then term.save_history(history_path) end
end

-- A syntax error that only says the chunk ended too soon.
local function incomplete(err) return err:sub(-5) == "<eof>" end

-- Compiles a chunk that starts with the line src, reading continuation
-- lines while it is incomplete: the function and its source, or nil and a
-- syntax error, or false (Ctrl-C).
-- An expression line as a chunk returning its values (a trailing ';' only
-- silences them). The values pass through an identity function so that the
-- line's last call is not a tail call: errors raised with a level
-- (error(msg, 2)) then point at stdin, not at the prompt's code.
local function expression(src)
  local body = src:gsub(";%s*$", "")
  local plain = load("return " .. body, "=stdin", "t")
  if not plain then return nil end
  return load("return (function(...) return ... end)(" .. body .. ")", "=stdin", "t") or plain
end

local function read_chunk(src)
  local fn = expression(src)
  if fn then
    remember(src)
    return fn, src
  end
  while true do
    local err
    fn, err = load(src, "=stdin", "t")
    if fn or not incomplete(err) then
      remember(src)
      if fn then return fn, src end
      return nil, err
    end
    local more = read_line(CONTINUE)
    if more == false then return false end
    if more == nil then return nil, err end
    src = src .. "\n" .. more
  end
end

-- The traceback from the user's code, without the prompt's own frames; an
-- interruption is reported alone.
local function handler(msg)
  if type(msg) ~= "string" then
    local mt = getmetatable(msg)
    msg = (mt and mt.__tostring) and tostring(msg)
        or ("(error object is a " .. type(msg) .. " value)")
  end
  if msg:match("interrupted$") then return msg end
  local tb = debug.traceback("", 2)
  local keep = {msg}
  for line in tb:gmatch("[^\n]+") do
    if line:find("in function 'xpcall'", 1, true) or line:find("tessera/repl", 1, true) then
      break
    end
    keep[#keep + 1] = line
  end
  return table.concat(keep, "\n")
end

local function text_of(v)
  local t = type(v)
  if t == "string" then return v end
  if t == "function" then return ts.inspect(v) end  -- documented ones by name
  if t == "table" then
    local mt = getmetatable(v)
    if not (type(mt) == "table" and rawget(mt, "__tostring")) then return ts.inspect(v) end
  end
  local ok, s = pcall(tostring, v)
  return ok and s or ("(tostring failed: " .. tostring(s) .. ")")
end

local function show(results)
  local parts = {}
  for i = 1, results.n do parts[i] = text_of(results[i]) end
  io.write(table.concat(parts, "\t"), "\n")
end

local function report(err)
  io.stdout:flush()
  io.stderr:write(err, "\n")
  io.stderr:flush()
end

-- Runs fn (Ctrl-C interrupts it), prints its results unless quiet and keeps
-- the first in _. Printing is part of what an interrupt may stop.
local function run(fn, quiet)
  local ok, err = xpcall(function()
    local results = table.pack(fn())
    if results.n == 0 then return end
    _G._ = results[1]
    if not quiet then show(results) end
  end, handler)
  if term then term.clear_interrupt() end
  if not ok then report(err) end
end

-- ?name, name?: help for what name evaluates to (or for the name itself).
local function help_for(name)
  return function()
    local get = load("return " .. name, "=stdin", "t")
    local ok, v = false, nil
    if get then ok, v = pcall(get) end
    if ok and type(v) == "function" and ts._help[v] then return ts.help(v) end
    local found, text = pcall(ts.help_text, name)
    if not found then text = tostring(text):gsub("^[^\n]-:%d+: ", "") end
    print(text)
  end
end

-- The prompt's own commands; returns a function to run, or nil.
local function command(src)
  local name = src:match("^%s*%?%s*([%w_%.:]+)%s*$") or src:match("^%s*([%w_%.:]+)%?%s*$")
  if name then return help_for(name) end
  local magic, code = src:match("^%s*%%(%a+)%s+(.-)%s*$")
  if magic == "time" then return function() return ts.time(code) end end
  if magic == "timeit" then return function() ts.timeit(code) end end
  return nil
end

local function step()
  local first = read_line(PROMPT)
  if first == nil then return false end
  if first == false then return true end
  local cmd = command(first)
  if cmd then
    remember(first)
    run(cmd, false)
    return true
  end
  local fn, src = read_chunk(first)
  if fn then
    run(fn, src:match(";%s*$") ~= nil)
  elseif fn == nil then
    report(src)  -- a syntax error (maybe cut short by the end of input)
  end
  return true
end

local function start(t)
  term = t
  history_path = nil
  if term and term.readline then
    history_path = history_file()
    if history_path then term.load_history(history_path) end
    term.set_completer(ts._complete)
    ts.progress_native(true)
    io.write("Tessera (", _VERSION, "): ?name for help, %timeit code, Ctrl-D to quit\n")
  end
  if rawget(_G, "help") == nil then _G.help = ts.help end
end

function ts._repl(t)
  start(t)
  while true do
    -- A stray interrupt (arriving between evaluations) must not end the session.
    local ok, more = pcall(step)
    if term then term.clear_interrupt() end
    if not ok then
      report(tostring(more))
    elseif not more then
      break
    end
  end
  io.write("\n")
  io.flush()
end

ts.doc(ts._repl, "ts._repl([term])",
  "Runs the interactive prompt until input ends: expressions print their values (kept in _; "
  .. "a trailing ';' prints nothing; tables print with ts.inspect), statements run, incomplete "
  .. "input continues on the next line, ?name shows help, %time / %timeit code time it, errors "
  .. "are reported without ending the session. term is the line-editing terminal of the "
  .. "tessera executable (history, Tab completion, Ctrl-C); without it lines come from io.read.")
