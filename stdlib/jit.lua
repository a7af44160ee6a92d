-- ts.jit: fused element-wise programs traced from Lua functions.
--
--   local f = ts.jit(function(a, b, c) return 2*a + 3*b*c end)
--   local r = f(x, y, z)            -- traced and compiled once per signature, then one pass
--   f(x, y, z, {out = r})           -- into an existing array
--
-- The first call with a new signature (argument dtypes, and which arguments
-- are numbers) calls the function once with symbolic "traced" values that
-- record every operation into an expression graph; runtime/jit compiles the
-- graph for those dtypes and runs it block by block with the core's own
-- kernels (runtime/lua/jit.cpp). Later calls with the same signature go
-- straight to the compiled program.
--
-- While tracing, the array operators and the element-wise ts functions are
-- routed to recording versions (ts.sin, ts.where, ...; methods of traced
-- values), and anything that cannot be recorded raises an error naming the
-- construct and the script line.
local ts, methods, meta = ...

local fmt, concat = string.format, table.concat
local getinfo = debug.getinfo
local select, type, pairs, rawequal = select, type, pairs, rawequal

local jit_new, jit_compile, jit_programs = ts._jit_new, ts._jit_compile, ts._jit_programs

-- Sources whose frames are skipped when naming the user's script line.
local internal = { [getinfo(1, "S").source] = true }
local J = { internal = internal } -- shared with stdlib/jit_eval.lua
ts._jit = J

-- ---- where the user's code is -----------------------------------------------

-- The stack level (as error() counts from the caller of `outside`) of the
-- first frame that is neither this library's Lua code nor a C function, and
-- whether a tail call on the way hid the user's frame (`return ts.sin(a)`
-- replaces the caller's frame with ts.sin's). This file and jit_eval.lua
-- make no tail calls among their own functions (`return (f(x))`), so a tail
-- call seen here was made by the user's code.
local function outside(level)
  level = level + 1
  local tail = false
  while true do
    local i = getinfo(level, "St")
    if not i then return nil, tail end
    if not internal[i.source] and i.what ~= "C" then return level - 1, tail end
    if i.istailcall then tail = true end
    level = level + 1
  end
end

local current -- the graph being recorded (below)

-- "file:line" of the operation being recorded.
local function here()
  local g = current
  if g and g.label then return g.label end
  local l, tail = outside(2)
  if tail or not l then return g and g.defined end
  local i = getinfo(l, "Sl")
  if i and i.currentline and i.currentline > 0 then return i.short_src .. ":" .. i.currentline end
  return g and g.defined
end

local function trace_error(message)
  local g = current
  local l, tail = outside(2)
  if g and g.label then error("jit: " .. message .. " in " .. g.label, l or 1) end
  if (tail or not l) and g and g.defined then
    error(g.defined .. ": jit: " .. message .. " (in the traced function defined here)", 0)
  end
  error("jit: " .. message, l or 1)
end

-- ---- traced values ------------------------------------------------------------

local Traced = {}                         -- metatable of traced values
local info = setmetatable({}, { __mode = "k" }) -- traced value -> {id, array, reduce, graph}

local function is_array(x) return getmetatable(x) == meta end
local function is_traced(x) return info[x] ~= nil end
J.is_traced = is_traced

local function add(line, array, reduce)
  local g = current
  g.n = g.n + 1
  local where = here()
  g.lines[#g.lines + 1] = where and (line .. " @" .. where) or line
  local t = setmetatable({}, Traced)
  info[t] = { id = g.n, array = array, reduce = reduce, graph = g }
  return t
end

local function number_text(x)
  if math.type(x) == "integer" then return "i " .. x end
  return "f " .. fmt("%a", x)
end

local function constant(x)
  local key = math.type(x) or tostring(x)
  key = key .. ":" .. tostring(x)
  local g = current
  local id = g.constants[key]
  if not id then
    local text = type(x) == "boolean" and ("b " .. (x and 1 or 0)) or number_text(x)
    g.n = g.n + 1
    g.lines[#g.lines + 1] = "const " .. text
    id = g.n
    g.constants[key] = id
  end
  return id, false
end

-- The node id of an operand, and whether it is an array.
local function operand(x, what)
  local d = info[x]
  if d then
    if d.graph ~= current then
      trace_error("a traced value was used outside the trace that made it (was it kept from an earlier call?)")
    end
    if d.reduce then
      trace_error(fmt("the result of %s() can only be returned (a final reduction); compute "
        .. "with it in Lua after the call", d.reduce))
    end
    return d.id, d.array
  end
  local tx = type(x)
  if tx == "number" or tx == "boolean" then
    local id = constant(x)
    return id, false
  end
  if is_array(x) then
    trace_error(fmt("%s: an array from outside the traced function (an upvalue or a global) "
      .. "cannot be combined with traced values; pass it as an argument", what))
  end
  trace_error(fmt("%s: cannot trace a %s operand", what, tx))
end

local function binary(name, x, y, lua_op)
  local a, aa = operand(x, name)
  local b, ba = operand(y, name)
  return (add(fmt("bin %s %d %d %s", name, a, b, lua_op and "L" or "C"), aa or ba))
end

local function unary(name, x, lua_op)
  local a, aa = operand(x, name)
  return (add(fmt("un %s %d %s", name, a, lua_op and "L" or "C"), aa))
end

local function array_operand(x, what)
  local a, aa = operand(x, what)
  if not aa then trace_error(fmt("%s: expected an array, got a number", what)) end
  return a
end

local function where(c, x, y)
  local ic = array_operand(c, "where")
  local ia, aa = operand(x, "where")
  local ib = operand(y, "where")
  return (add(fmt("where %d %d %d", ic, ia, ib), true))
end

local function clip(x, lo, hi)
  array_operand(x, "clip")
  local r = x
  if lo ~= nil then r = binary("maximum", r, lo, false) end
  if hi ~= nil then r = binary("minimum", r, hi, false) end
  return r
end

local function reduce(name, x, ...)
  if select("#", ...) > 0 and (...) ~= nil then
    trace_error(fmt("%s with an axis or options cannot be traced: only a final reduction over all "
      .. "elements, like a:%s()", name, name))
  end
  return add(fmt("red %s %d", name, array_operand(x, name)), true, name)
end

local function no_out(name, out)
  if out ~= nil then
    trace_error(fmt("%s: an out argument cannot be traced; pass {out = ...} to the jitted function",
      name))
  end
end

-- ---- the operations that can be traced ------------------------------------------

-- function name -> method name for binary operations
local binaries = {
  add = "add", subtract = "sub", multiply = "mul", divide = "div", floor_divide = "idiv",
  mod = "mod", power = "pow", minimum = "minimum", maximum = "maximum", arctan2 = "arctan2",
  eq = "eq", ne = "ne", lt = "lt", le = "le", gt = "gt", ge = "ge",
  bitwise_and = "bitwise_and", bitwise_or = "bitwise_or", bitwise_xor = "bitwise_xor",
  left_shift = "left_shift", right_shift = "right_shift",
}
local unaries = {
  "negative", "abs", "sign", "sqrt", "exp", "log", "log2", "log10", "sin", "cos", "tan", "arcsin",
  "arccos", "arctan", "sinh", "cosh", "tanh", "floor", "ceil", "round", "isnan", "isinf",
  "isfinite", "invert",
}
local reductions = { "sum", "prod", "mean", "min", "max", "any", "all" }
J.binaries, J.unaries, J.reductions = binaries, unaries, reductions

-- Methods of traced arrays.
local traced_methods = {}
-- Replacements of ts functions while tracing: recording when an argument is
-- traced, the original otherwise.
local traced_functions = {}

for fname, mname in pairs(binaries) do
  traced_methods[mname] = function(x, y, out)
    no_out("a:" .. mname, out)
    return (binary(fname, x, y, false))
  end
  traced_functions[fname] = function(original)
    return function(x, y, out, ...)
      if is_traced(x) or is_traced(y) or is_traced(out) then
        no_out("ts." .. fname, out)
        return (binary(fname, x, y, false))
      end
      return original(x, y, out, ...)
    end
  end
end
for _, name in ipairs(unaries) do
  traced_methods[name] = function(x, out)
    no_out("a:" .. name, out)
    return (unary(name, x, false))
  end
  traced_functions[name] = function(original)
    return function(x, out, ...)
      if is_traced(x) or is_traced(out) then
        no_out("ts." .. name, out)
        return (unary(name, x, false))
      end
      return original(x, out, ...)
    end
  end
end
for _, name in ipairs(reductions) do
  traced_methods[name] = function(x, ...) return (reduce(name, x, ...)) end
  traced_functions[name] = function(original)
    return function(x, ...)
      if is_traced(x) then return (reduce(name, x, ...)) end
      return original(x, ...)
    end
  end
end
traced_methods.clip = function(x, lo, hi, out)
  no_out("a:clip", out)
  return (clip(x, lo, hi))
end
traced_functions.clip = function(original)
  return function(x, lo, hi, out, ...)
    if is_traced(x) or is_traced(lo) or is_traced(hi) or is_traced(out) then
      no_out("ts.clip", out)
      return (clip(x, lo, hi))
    end
    return original(x, lo, hi, out, ...)
  end
end
traced_functions.where = function(original)
  return function(c, x, y, out, ...)
    if is_traced(c) or is_traced(x) or is_traced(y) or is_traced(out) then
      no_out("ts.where", out)
      return (where(c, x, y))
    end
    return original(c, x, y, out, ...)
  end
end
traced_methods.astype = function(x, dtype)
  if type(dtype) ~= "string" or not pcall(ts.zeros, 0, dtype) then
    trace_error(fmt("astype: expected a dtype name, got %s", tostring(dtype)))
  end
  local canonical = ts.zeros(0, dtype).dtype
  if canonical:find("^complex") then
    trace_error(fmt("astype: %s is not supported by ts.jit", canonical))
  end
  return add(fmt("cast %s %d", dtype, array_operand(x, "astype")), true)
end

-- Any other ts function given a traced value.
local function untraceable(name, original)
  return function(...)
    for k = 1, select("#", ...) do
      if is_traced((select(k, ...))) then
        trace_error(fmt("ts.%s cannot be traced (only element-wise operations, ts.where, "
          .. "ts.clip and final reductions can)", name))
      end
    end
    return original(...)
  end
end

-- ---- the metatable of traced values ----------------------------------------------

local operators = {
  __add = "add", __sub = "subtract", __mul = "multiply", __div = "divide",
  __idiv = "floor_divide", __mod = "mod", __pow = "power", __band = "bitwise_and",
  __bor = "bitwise_or", __bxor = "bitwise_xor", __shl = "left_shift", __shr = "right_shift",
}
for event, name in pairs(operators) do
  Traced[event] = function(x, y) return (binary(name, x, y, true)) end
end
Traced.__unm = function(x) return (unary("negative", x, true)) end
Traced.__bnot = function(x) return (unary("invert", x, true)) end

local function no_control(op)
  return function()
    trace_error(fmt("comparison with %s on a traced value cannot be traced: a Lua comparison "
      .. "must give true or false now, but the values are only known when the program runs "
      .. "(control flow on array values is not traceable); use a:lt(b), a:le(b), a:eq(b), ... "
      .. "and ts.where(cond, x, y)", op))
  end
end
Traced.__lt = no_control("<")
Traced.__le = no_control("<=")
Traced.__eq = no_control("==")
Traced.__len = function() trace_error("the length of a traced array (#a) cannot be traced") end
Traced.__concat = function() trace_error("concatenating a traced value (..) cannot be traced") end
Traced.__call = function() trace_error("calling a traced value cannot be traced") end
Traced.__newindex = function()
  trace_error("assigning into a traced array (a[i] = v) cannot be traced; return a new value")
end
Traced.__tostring = function(t)
  local d = info[t]
  return d and d.array and "traced array (ts.jit)" or "traced number (ts.jit)"
end
Traced.__index = function(t, k)
  local d = info[t]
  if type(k) == "string" then
    if d and not d.array then
      trace_error(fmt("a number argument has no field or method '%s' (numbers are traced as "
        .. "numbers)", k))
    end
    local m = traced_methods[k]
    if m then return m end
    if k == "shape" or k == "dtype" or k == "ndim" or k == "size" or k == "strides" then
      trace_error(fmt("a.%s cannot be read while tracing: a traced function must not depend "
        .. "on shapes or dtypes (the compiled program serves every shape)", k))
    end
    if k:sub(-1) == "_" and methods[k] then
      trace_error(fmt("the in-place method a:%s() cannot be traced; return the new value (and "
        .. "pass {out = ...} to the jitted function)", k))
    end
    if methods[k] then
      trace_error(fmt("a:%s() cannot be traced (only element-wise operations and final "
        .. "reductions can)", k))
    end
    trace_error(fmt("a traced array has no field or method '%s'", k))
  end
  trace_error("indexing a traced array (a[i]) cannot be traced")
end

-- ---- tracing ------------------------------------------------------------------------

-- Installs the recording versions of ts functions and array operators; returns
-- what restore() puts back.
local function patch()
  local saved = { ts = {}, meta = {} }
  for name, f in pairs(ts) do
    if type(f) == "function" and type(name) == "string" and name:sub(1, 1) ~= "_" then
      saved.ts[name] = f
      local make = traced_functions[name]
      ts[name] = make and make(f) or untraceable(name, f)
    end
  end
  -- an outside array meeting a traced value in an operator: the array's
  -- metamethod runs first
  for event in pairs(operators) do
    local f = meta[event]
    if f then
      saved.meta[event] = f
      meta[event] = function(x, y)
        if is_traced(x) or is_traced(y) then
          trace_error("an array from outside the traced function (an upvalue or a global) "
            .. "cannot be combined with traced values; pass it as an argument")
        end
        return f(x, y)
      end
    end
  end
  return saved
end

local function restore(saved)
  for name, f in pairs(saved.ts) do ts[name] = f end
  for event, f in pairs(saved.meta) do meta[event] = f end
end

-- Adds a hint to errors from core functions that met a traced value.
local function hint(message)
  message = tostring(message)
  if message:find("got table", 1, true) and not message:find("jit:", 1, true) then
    message = message .. " (a traced value reached a function that cannot record it: call "
      .. "element-wise functions as ts.name(...) or as methods of the traced value, not through "
      .. "a local alias made before ts.jit, and pass outside arrays as arguments)"
  end
  return message
end

-- Records fn applied to traced arguments (arrays and numbers at the positions
-- where the call has them); returns the graph text.
local function trace(fn, label, n, ...)
  local d = getinfo(fn, "S")
  local g = { lines = {}, n = 0, constants = {}, label = label,
              defined = d.short_src .. ":" .. d.linedefined }
  local args = {}
  local previous = current
  current = g
  for k = 1, n do
    local v = select(k, ...)
    if is_array(v) then
      args[k] = add("arg " .. k, true)
    elseif type(v) == "number" or type(v) == "boolean" then
      args[k] = add("param " .. k, false)
    end
  end
  local saved = patch()
  local results = table.pack(xpcall(fn, hint, table.unpack(args, 1, n)))
  restore(saved)
  current = previous
  if not results[1] then error(results[2], 0) end
  local what = label or fmt("the function defined at %s", g.defined)
  if results.n < 2 then error(fmt("jit: %s returned nothing; it must return arrays", what), 0) end
  local outs = {}
  for k = 2, results.n do
    local r = results[k]
    local d = info[r]
    local id
    if d and d.graph == g then
      id = d.id
    elseif type(r) == "number" or type(r) == "boolean" then
      current = g
      id = constant(r)
      current = previous
    else
      error(fmt("jit: result %d of %s is a %s; a traced function returns array expressions, "
        .. "numbers or final reductions", k - 1, what, d and "traced value of another call"
        or type(r)), 0)
    end
    outs[#outs + 1] = "out " .. id
  end
  return concat(g.lines, "\n") .. "\n" .. concat(outs, "\n") .. "\n"
end
J.trace = trace

-- ---- ts.jit ---------------------------------------------------------------------------

local registry = setmetatable({}, { __mode = "k" }) -- jitted function -> details

local function pattern(n, ...)
  local p = {}
  for k = 1, n do
    local v = select(k, ...)
    p[k] = v == nil and "-" or is_array(v) and "a" or "n"
  end
  return concat(p)
end

-- The jitted function for fn; label names it in messages instead of script
-- lines (ts.eval's expressions).
local function make(fn, exact, label)
  local traces = {}  -- argument pattern -> graph text
  local details = { fn = fn, traces = 0, exact = exact }
  local state
  local function compile(...)
    local n = select("#", ...)
    local p = pattern(n, ...)
    local text = traces[p]
    if not text then
      text = trace(fn, label, n, ...)
      traces[p] = text
      details.traces = details.traces + 1
    end
    local ok, err = jit_compile(state, text, ...)
    if not ok then error("jit: " .. err, 3) end
  end
  -- called instead when the arguments include tables: inside another trace,
  -- the function is traced inline as part of it
  local function inline(...)
    local n = select("#", ...)
    for k = 1, n do
      if is_traced((select(k, ...))) then
        local last = select(n, ...)
        if type(last) == "table" and not is_traced(last) then
          trace_error("options (out) cannot be passed to a jitted function called while tracing")
        end
        return fn(...)
      end
    end
    for k = 1, n do
      local v = select(k, ...)
      if type(v) == "table" and (k < n or getmetatable(v) ~= nil) then
        error(fmt("jit: argument %d is a table; expected an array, a number or a boolean", k), 3)
      end
    end
  end
  local call
  call, state = jit_new(compile, exact, inline)
  details.state = state
  details.graphs = traces
  registry[call] = details
  return call
end
J.make = make

function ts.jit(fn, options)
  if type(fn) ~= "function" then
    error(fmt("jit: expected a function at argument 1, got %s", type(fn)), 2)
  end
  if options ~= nil and type(options) ~= "table" then
    error(fmt("jit: expected an options table at argument 2, got %s", type(options)), 2)
  end
  local exact = false
  for k, v in pairs(options or {}) do
    if k == "exact" then exact = v and true or false
    else error(fmt("jit: unknown option '%s' (options: exact)", tostring(k)), 2) end
  end
  return make(fn, exact)
end

function ts.jit_info(f)
  local d = registry[f]
  if not d then error(fmt("jit_info: expected a function made by ts.jit, got %s", type(f)), 2) end
  local graphs = {}
  for p, text in pairs(d.graphs) do graphs[p] = text end
  return { traces = d.traces, programs = jit_programs(d.state), graphs = graphs, exact = d.exact }
end

ts.doc(ts.jit, "ts.jit(f [, {exact = true}])",
  "Compiles an element-wise function into one fused pass: the result is called like f and "
  .. "returns the same values (bit for bit; see below), computed block by block with no "
  .. "temporary arrays, on the runtime's threads. The first call with a new signature (the "
  .. "dtypes of the array arguments, and which arguments are numbers) traces f once with "
  .. "symbolic values and compiles the operations it records; later calls run the cached "
  .. "program. Traceable: arithmetic and bitwise operators, comparisons and logical "
  .. "operations as methods or functions (a:lt(b), ts.eq), ts.where, ts.clip, every "
  .. "element-wise math function (ts.sin(a) or a:sin()), a:astype(dtype), Lua numbers and "
  .. "number upvalues (their values are captured when tracing: a later change is not seen; "
  .. "pass changing numbers as arguments, which are read at each call), broadcasting, the "
  .. "core's dtype promotion, several results (one pass computes all), and final reductions "
  .. "over all elements (return (a*b):sum(): sum, prod, mean, min, max, any, all; the same "
  .. "bits as the unfused reduction, whatever the threads). Pass {out = r} (or {out = {r1, "
  .. "r2}}) as a last argument to write results into existing arrays. Not traceable, with an "
  .. "error naming the construct and the line: Lua comparisons or `if` on array values, "
  .. "indexing, a.shape, in-place methods, other ts functions, arrays from outside the "
  .. "function (pass them as arguments). Truth tests (`if a then`) and `a == 1` cannot be "
  .. "detected and must be avoided. Results equal the unfused operations bit for bit, except "
  .. "that x^n for n = 3, 4, -2, -3, -4 and n = +-1.5, 2.5, 3.5, -0.5 (float x) becomes "
  .. "multiplies, divides and a square root (within 3 ulp of pow; half-integer powers of "
  .. "-inf and -0 differ); {exact = true} keeps pow. x^2, x^0.5, x^-1 and integer powers are "
  .. "always exact. All results must have one shape; new results take the layout the core "
  .. "would give them in the common cases.")
ts.doc(ts.jit_info, "ts.jit_info(f)",
  "What ts.jit has made of f: {traces = number of traces, programs = {listing, ...} (one per "
  .. "compiled signature: its instructions, block buffer slots and relative cost), graphs = "
  .. "{pattern = traced graph text}, exact = boolean}.")
