-- ts.eval: numexpr-style expression strings, compiled by ts.jit.
--
--   ts.eval("2*a + 3*b*c", {a = x, b = y, c = z})
--
-- The text is parsed once into a tree (Python's precedence, as numexpr), and
-- a function evaluating that tree over its arguments is handed to ts.jit; the
-- jitted function is cached by text, so later calls with the same text skip
-- parsing and, for a known signature, tracing.
local ts = ...

local J = ts._jit
J.internal[debug.getinfo(1, "S").source] = true

local fmt, concat = string.format, table.concat

-- ---- tokens -------------------------------------------------------------------------

local symbols = { "**", "//", "<<", ">>", "<=", ">=", "==", "!=", "~=",
                  "+", "-", "*", "/", "%", "^", "<", ">", "&", "|", "~", "(", ")", "," }

local function tokenize(text)
  local tokens, i, n = {}, 1, #text
  while i <= n do
    local c = text:sub(i, i)
    if c:match("%s") then
      i = i + 1
    elseif c:match("[%d%.]") then
      local s, e = text:find("^%d*%.?%d*[eE][%+%-]?%d+", i)
      if not s then s, e = text:find("^%d*%.?%d*", i) end
      local word = text:sub(s, e)
      local v = word:find("[%.eE]") and tonumber(word) or math.tointeger(tonumber(word))
      if not v or word == "." then error(fmt("eval: malformed number '%s' at position %d in '%s'", word, i, text), 0) end
      tokens[#tokens + 1] = { kind = "number", value = v, pos = i }
      i = e + 1
    elseif c:match("[%a_]") then
      local s, e = text:find("^[%w_]+", i)
      tokens[#tokens + 1] = { kind = "name", value = text:sub(s, e), pos = i }
      i = e + 1
    else
      local found
      for _, sym in ipairs(symbols) do
        if text:sub(i, i + #sym - 1) == sym then found = sym break end
      end
      if not found then error(fmt("eval: unexpected '%s' at position %d in '%s'", c, i, text), 0) end
      tokens[#tokens + 1] = { kind = found, pos = i }
      i = i + #found
    end
  end
  tokens[#tokens + 1] = { kind = "end", pos = n + 1 }
  return tokens
end

-- ---- parser (precedence climbing) -------------------------------------------------

-- binary operators by precedence level (low to high); comparisons do not chain
local levels = {
  { ["<"] = "lt", ["<="] = "le", [">"] = "gt", [">="] = "ge", ["=="] = "eq", ["!="] = "ne", ["~="] = "ne" },
  { ["|"] = "bitwise_or" },
  { ["&"] = "bitwise_and" },
  { ["<<"] = "left_shift", [">>"] = "right_shift" },
  { ["+"] = "add", ["-"] = "subtract" },
  { ["*"] = "multiply", ["/"] = "divide", ["//"] = "floor_divide", ["%"] = "mod" },
}
local unary_ops = { ["-"] = "negative", ["+"] = "plus", ["~"] = "invert" }

local constants = { True = true, False = false, ["true"] = true, ["false"] = false }

local function parse(text)
  local tokens = tokenize(text)
  local pos = 1
  local names, seen = {}, {}
  local function peek() return tokens[pos] end
  local function fail(message, t)
    t = t or tokens[pos]
    local what = t.kind == "end" and "end of text" or fmt("'%s'", t.kind == "number" and tostring(t.value)
      or t.kind == "name" and t.value or t.kind)
    error(fmt("eval: %s at %s (position %d) in '%s'", message, what, t.pos, text), 0)
  end
  local function expect(kind)
    if tokens[pos].kind ~= kind then fail(fmt("expected '%s'", kind)) end
    pos = pos + 1
  end
  local expression
  local function atom()
    local t = peek()
    if t.kind == "number" then
      pos = pos + 1
      return { "const", t.value }
    elseif t.kind == "name" then
      pos = pos + 1
      if peek().kind == "(" then
        pos = pos + 1
        local args = {}
        if peek().kind ~= ")" then
          while true do
            args[#args + 1] = expression()
            if peek().kind ~= "," then break end
            pos = pos + 1
          end
        end
        expect(")")
        return { "call", t.value, args, t }
      end
      if constants[t.value] ~= nil then return { "const", constants[t.value] } end
      if not seen[t.value] then
        seen[t.value] = #names + 1
        names[#names + 1] = t.value
      end
      return { "var", seen[t.value] }
    elseif t.kind == "(" then
      pos = pos + 1
      local e = expression()
      expect(")")
      return e
    end
    fail("expected a number, a name or '('")
  end
  local unary
  local function power()
    local base = atom()
    local t = peek()
    if t.kind == "**" or t.kind == "^" then
      pos = pos + 1
      return { "bin", "power", base, unary() } -- right-associative; -a**-b = -(a**(-b))
    end
    return base
  end
  function unary()
    local op = unary_ops[peek().kind]
    if op then
      pos = pos + 1
      local x = unary()
      if op == "plus" then return x end
      return { "un", op, x }
    end
    return power()
  end
  local function level(k)
    if k > #levels then return (unary()) end
    local left = level(k + 1)
    while true do
      local op = levels[k][peek().kind]
      if not op then return left end
      pos = pos + 1
      left = { "bin", op, left, level(k + 1) }
      if k == 1 and levels[1][peek().kind] then
        fail("chained comparisons are not supported (use & between parenthesized comparisons)")
      end
    end
  end
  expression = function() return level(1) end
  local tree = expression()
  if peek().kind ~= "end" then fail("unexpected") end
  return tree, names
end

-- ---- evaluation over (traced) arguments ----------------------------------------------

local operators = {
  add = function(x, y) return x + y end, subtract = function(x, y) return x - y end,
  multiply = function(x, y) return x * y end, divide = function(x, y) return x / y end,
  floor_divide = function(x, y) return x // y end, mod = function(x, y) return x % y end,
  power = function(x, y) return x ^ y end, bitwise_and = function(x, y) return x & y end,
  bitwise_or = function(x, y) return x | y end, left_shift = function(x, y) return x << y end,
  right_shift = function(x, y) return x >> y end,
}

local functions = { where = 3, clip = 3 }
for name in pairs(J.binaries) do functions[name] = 2 end
for _, name in ipairs(J.unaries) do functions[name] = 1 end
for _, name in ipairs(J.reductions) do functions[name] = 1 end

local function evaluate(node, args, text)
  local kind = node[1]
  if kind == "const" then return node[2] end
  if kind == "var" then return args[node[2]] end
  if kind == "un" then
    local x = evaluate(node[3], args, text)
    if node[2] == "negative" then return -x end
    return (ts.invert(x))
  end
  if kind == "bin" then
    local x, y = evaluate(node[3], args, text), evaluate(node[4], args, text)
    local op = operators[node[2]]
    if op and (J.is_traced(x) or J.is_traced(y) or type(x) == "number" and type(y) == "number") then
      return (op(x, y))
    end
    return (ts[node[2]](x, y)) -- comparisons, and anything on booleans
  end
  -- call
  local name, list = node[2], node[3]
  local arity = functions[name]
  if not arity then
    error(fmt("eval: unknown function '%s' in '%s'", name, text), 0)
  end
  if #list ~= arity then
    error(fmt("eval: %s takes %d argument%s, got %d in '%s'", name, arity, arity == 1 and "" or "s",
      #list, text), 0)
  end
  local values = {}
  for k = 1, #list do values[k] = evaluate(list[k], args, text) end
  return (ts[name](table.unpack(values, 1, arity)))
end

-- ---- ts.eval -------------------------------------------------------------------------

local cache, cached = {}, 0
local kMaxCached = 512

local function compile(text)
  local tree, names = parse(text)
  local f = J.make(function(...)
    return (evaluate(tree, { ... }, text))
  end, false, fmt("ts.eval(%q)", text))
  return { names = names, f = f }
end

-- The caller's variable `name` (locals, then upvalues, then globals), as
-- numexpr reads the caller's frame when no dictionary is given.
local function lookup(level, name)
  local found, value = false, nil
  local i = 1
  while true do
    local k, v = debug.getlocal(level + 1, i)
    if not k then break end
    if k == name then found, value = true, v end
    i = i + 1
  end
  if found then return value end
  local info = debug.getinfo(level + 1, "f")
  if info and info.func then
    i = 1
    while true do
      local k, v = debug.getupvalue(info.func, i)
      if not k then break end
      if k == name then return v end
      i = i + 1
    end
  end
  return _G[name]
end

function ts.eval(text, vars, options)
  if type(text) ~= "string" then
    error(fmt("eval: expected an expression string at argument 1, got %s", type(text)), 2)
  end
  if vars ~= nil and type(vars) ~= "table" then
    error(fmt("eval: expected a table of variables at argument 2, got %s", type(vars)), 2)
  end
  if options ~= nil and type(options) ~= "table" then
    error(fmt("eval: expected an options table at argument 3, got %s", type(options)), 2)
  end
  local e = cache[text]
  if not e then
    e = compile(text)
    if cached >= kMaxCached then cache, cached = {}, 0 end
    cache[text] = e
    cached = cached + 1
  end
  local names = e.names
  local n = #names
  local args = {}
  for k = 1, n do
    local name = names[k]
    local v
    if vars then
      v = vars[name]
    else
      v = lookup(2, name)
    end
    if v == nil then
      error(fmt("eval: name '%s' is not defined%s", name, vars and " in the variables table" or ""), 2)
    end
    args[k] = v
  end
  if options then
    args[n + 1] = options
    return e.f(table.unpack(args, 1, n + 1))
  end
  return e.f(table.unpack(args, 1, n))
end

function ts.eval_info(text)
  local e = cache[text]
  if not e then return nil end
  local info = ts.jit_info(e.f)
  info.names = e.names
  return info
end

ts.doc(ts.eval, "ts.eval(expr [, vars] [, {out = r}])",
  "Evaluates a numexpr-style expression string over arrays and numbers in one fused pass "
  .. "(ts.jit): ts.eval(\"2*a + 3*b*c\", {a = x, b = y, c = z}). Without vars, names are "
  .. "looked up among the caller's local variables, upvalues and globals, as numexpr does. "
  .. "The text is parsed once and cached; each signature is compiled once. Syntax (Python's "
  .. "precedence): numbers, names, true/false, + - * / // % and ** or ^ (both power, "
  .. "right-associative), unary - and ~ (not), comparisons < <= > >= == != (~= also), & | "
  .. "(and/or on bools, bitwise on integers), << >>, parentheses, and calls to the element-"
  .. "wise functions (sin(x), sqrt(x), arctan2(y, x), where(c, a, b), clip(a, lo, hi), "
  .. "minimum(a, b), ...) and to a final reduction over everything (sum(a*b), prod, mean, "
  .. "min, max, any, all). Arithmetic on numbers alone follows Lua (2**3 is 8.0). Results are "
  .. "those of the same operations on arrays, bit for bit (see ts.jit).")
ts.doc(ts.eval_info, "ts.eval_info(expr)",
  "ts.jit_info for the cached compilation of an expression string, plus names (its variables "
  .. "in argument order); nil when the text has not been evaluated.")
