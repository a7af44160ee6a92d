-- tostring(a) / print(a): the elements laid out like NumPy's str(a), then a
-- trailer line with the dtype and shape:
--
--   [[ 1.   2.5]
--    [-3.   4. ]]
--   [float64 array of shape (2,2)]
--
-- Only the elements that are shown are read (a:get), so printing a huge
-- array is as quick as printing a small one. ts.set_printoptions changes the
-- precision, the summarization threshold, the edge items and the line width.
local ts, _, meta = ...

local defaults = {precision = 8, threshold = 1000, edgeitems = 3, linewidth = 75}
local options = {}
for k, v in pairs(defaults) do options[k] = v end

local fmt, rep, concat = string.format, string.rep, table.concat
local huge = math.huge

-- Number formatting ---------------------------------------------------------

local function to_f32(x) return (string.unpack("<f", string.pack("<f", x))) end

-- The shortest decimal digits that read back as x (x finite, > 0): returns
-- the digits (no trailing zeros) and the decimal exponent of the first one,
-- x ~ d.ddd * 10^e. `single` asks for float32 round-tripping.
local function shortest(x, single)
  local s
  for p = 0, 16 do
    s = fmt("%." .. p .. "e", x)
    local y = tonumber(s)
    if single then y = to_f32(y) end
    if y == x then break end
  end
  local mant, e = s:match("^([%d%.]+)e([-+]%d+)$")
  local digits = mant:gsub("%.", ""):gsub("0+$", "")
  if digits == "" then digits = "0" end
  return digits, tonumber(e)
end

local function is_neg(x) return x < 0 or (x == 0 and 1 / x < 0) end

-- Positional form with at most `prec` fraction digits (unique digits when
-- they fit, else rounded), trailing zeros trimmed: int part (signed), fraction.
local function positional(x, prec, single)
  local sign = is_neg(x) and "-" or ""
  local ax = math.abs(x)
  if ax == 0 then return sign .. "0", "" end
  local digits, e = shortest(ax, single)
  local ip, fp
  if #digits - 1 - e <= prec then
    if e >= 0 then
      if #digits <= e + 1 then
        ip, fp = digits .. rep("0", e + 1 - #digits), ""
      else
        ip, fp = digits:sub(1, e + 1), digits:sub(e + 2)
      end
    else
      ip, fp = "0", rep("0", -e - 1) .. digits
    end
  else
    ip, fp = fmt("%." .. prec .. "f", ax):match("^(%d+)%.?(%d*)$")
    fp = fp:gsub("0+$", "")
  end
  return sign .. ip, fp
end

-- Scientific form with at most `prec` fraction digits in the mantissa:
-- int part (signed), fraction, exponent (integer).
local function scientific(x, prec, single)
  local sign = is_neg(x) and "-" or ""
  local ax = math.abs(x)
  if ax == 0 then return sign .. "0", "", 0 end
  local digits, e = shortest(ax, single)
  if #digits - 1 > prec then
    local mant, ex = fmt("%." .. prec .. "e", ax):match("^([%d%.]+)e([-+]%d+)$")
    digits, e = mant:gsub("%.", ""):gsub("0+$", ""), tonumber(ex)
    if digits == "" then digits = "0" end
  end
  return sign .. digits:sub(1, 1), digits:sub(2), e
end

local function exponent(e, width)
  return (e < 0 and "-" or "+") .. fmt("%0" .. width .. "d", math.abs(e))
end

local function nonfinite(x)
  if x ~= x then return "nan" end
  return x < 0 and "-inf" or "inf"
end

-- A function formatting one float so that a column of them lines up, made
-- from the values shown (NumPy's FloatingFormat in 'maxprec' mode). `plus`
-- signs non-negative values with '+' (the imaginary parts of complex values).
local function float_formatter(values, single, plus)
  local prec = options.precision
  local finite, has_nonfinite, neginf = {}, false, false
  local max_abs, min_abs = nil, nil
  for i = 1, #values do
    local x = values[i]
    if x ~= x or x == huge or x == -huge then
      has_nonfinite = true
      if x == -huge or plus then neginf = true end
    else
      finite[#finite + 1] = x
      local ax = math.abs(x)
      if ax ~= 0 then
        if not max_abs or ax > max_abs then max_abs = ax end
        if not min_abs or ax < min_abs then min_abs = ax end
      end
    end
  end
  local exp_format = max_abs ~= nil and
      (max_abs >= 1e8 or min_abs < 1e-4 or max_abs / min_abs > 1e3)

  local function signed(ip)
    if plus and ip:sub(1, 1) ~= "-" then return "+" .. ip end
    return ip
  end
  local pad_left, pad_right, frac_digits, exp_size = 0, 0, 0, 2
  if exp_format then
    for _, x in ipairs(finite) do
      local ip, fp, e = scientific(x, prec, single)
      ip = signed(ip)
      pad_left = math.max(pad_left, #ip)
      frac_digits = math.max(frac_digits, #fp)
      exp_size = math.max(exp_size, #tostring(math.abs(e)))
    end
    pad_right = exp_size + 2 + frac_digits
  else
    for _, x in ipairs(finite) do
      local ip, fp = positional(x, prec, single)
      ip = signed(ip)
      pad_left = math.max(pad_left, #ip)
      pad_right = math.max(pad_right, #fp)
    end
  end
  if has_nonfinite then
    local offset = pad_right + 1
    pad_left = math.max(pad_left, 3 - offset, 3 + (neginf and 1 or 0) - offset)
  end
  local width = pad_left + pad_right + 1

  return function(x)
    if x ~= x or x == huge or x == -huge then
      local s = nonfinite(x)
      if plus and s:sub(1, 1) ~= "-" then s = "+" .. s end
      return rep(" ", width - #s) .. s
    end
    if exp_format then
      local ip, fp, e = scientific(x, prec, single)
      if #fp < frac_digits and x ~= 0 then
        -- Like Dragon4's min_digits: the digits that pad a short unique
        -- mantissa are those of the exact value, not zeros.
        local mant, ex = fmt("%." .. frac_digits .. "e", math.abs(x)):match("^([%d%.]+)e([-+]%d+)$")
        ip, fp, e = (x < 0 and "-" or "") .. mant:sub(1, 1), mant:sub(3), tonumber(ex)
      end
      ip = signed(ip)
      return rep(" ", pad_left - #ip) .. ip .. "." .. fp .. rep("0", frac_digits - #fp) ..
          "e" .. exponent(e, exp_size)
    end
    local ip, fp = positional(x, prec, single)
    ip = signed(ip)
    return rep(" ", pad_left - #ip) .. ip .. "." .. fp .. rep(" ", pad_right - #fp)
  end
end

-- NumPy's ComplexFloatingFormat: the real parts in one column format, the
-- imaginary parts in another with an explicit sign, 'j' before the padding.
local function complex_formatter(values, single)
  local re, im = {}, {}
  for i = 1, #values do re[i], im[i] = values[i].real, values[i].imag end
  local fre, fim = float_formatter(re, single), float_formatter(im, single, true)
  return function(z)
    local i = fim(z.imag)
    local body, pad = i:match("^(.-)(%s*)$")
    return fre(z.real) .. body .. "j" .. pad
  end
end

local function int_formatter(values)
  local width = 0
  for i = 1, #values do width = math.max(width, #tostring(values[i])) end
  return function(x)
    local s = tostring(x)
    return rep(" ", width - #s) .. s
  end
end

local function bool_formatter()
  return function(x) return x and " true" or "false" end
end

-- A single value as NumPy's str() of a scalar shows it (Python's repr of a
-- float: shortest digits, ".0" when integral, scientific outside 1e-4..1e16).
-- `bare` leaves out the ".0" of integral values (as in a complex's repr).
local function float_repr(x, single, bare)
  if x ~= x or x == huge or x == -huge then return nonfinite(x) end
  local sign = is_neg(x) and "-" or ""
  local ax = math.abs(x)
  if ax == 0 then return sign .. (bare and "0" or "0.0") end
  local digits, e = shortest(ax, single)
  if e >= -4 and e < 16 then
    local ip, fp = positional(ax, huge, single)
    if fp == "" then return sign .. ip .. (bare and "" or ".0") end
    return sign .. ip .. "." .. fp
  end
  local m = digits:sub(1, 1)
  if #digits > 1 then m = m .. "." .. digits:sub(2) end
  return sign .. m .. "e" .. exponent(e, 2)
end

-- Python's repr of a complex: "1j" when the real part is +0, else "(1+2j)".
local function complex_repr(z, single)
  local im = float_repr(z.imag, single, true) .. "j"
  if z.real == 0 and not is_neg(z.real) then return im end
  local plus = z.imag ~= z.imag or not is_neg(z.imag)
  return "(" .. float_repr(z.real, single, true) .. (plus and "+" or "") .. im .. ")"
end

local function scalar_string(x, dtype)
  if type(x) == "boolean" or math.type(x) == "integer" then return tostring(x) end
  if type(x) == "userdata" then return complex_repr(x, dtype == "complex64") end
  return float_repr(x, dtype == "float32")
end

-- Layout ----------------------------------------------------------------------

-- For each dimension, the indices shown: all of them, or the edge items on
-- both sides with a gap ("...") after `lead` of them.
local function shown_indices(shape, summarize)
  local edge = options.edgeitems
  local dims = {}
  for d = 1, #shape do
    local n = shape[d]
    local list = {}
    if summarize and 2 * edge < n then
      for i = 1, edge do list[#list + 1] = i end
      for i = n - edge + 1, n do list[#list + 1] = i end
      list.gap = edge
    else
      for i = 1, n do list[i] = i end
    end
    dims[d] = list
  end
  return dims
end

-- Reads the shown elements in row-major order.
local function read_shown(a, dims)
  local values, idx, nd = {}, {}, #dims
  local unpack = table.unpack
  local function walk(d)
    if d > nd then
      values[#values + 1] = a:get(unpack(idx, 1, nd))
      return
    end
    local list = dims[d]
    for k = 1, #list do
      idx[d] = list[k]
      walk(d + 1)
    end
  end
  walk(1)
  return values
end

-- Adds word to the current line, wrapping first when it would pass width
-- (NumPy's _extendLine).
local function extend(out, line, word, width, indent)
  if #line + #word > width and #line > #indent then
    out[#out + 1] = line:gsub("%s+$", "") .. "\n"
    line = indent
  end
  return line .. word
end

-- NumPy's _formatArray with separator ' ': nested brackets, one row per
-- line, blank lines between blocks, long rows wrapped.
local function layout(dims, words)
  local nd, pos = #dims, 0
  local function rec(d, indent, width)
    local list = dims[d]
    local count, gap = #list, list.gap
    local out = {}
    if d == nd then
      local elem_width = width - 1
      local line = indent
      for k = 1, count do
        pos = pos + 1
        line = extend(out, line, words[pos], elem_width, indent)
        if k < count then line = line .. " " end
        if k == gap then line = extend(out, line, "...", elem_width, indent) .. " " end
      end
      out[#out + 1] = line
    else
      local sep = rep("\n", nd - d)
      for k = 1, count do
        out[#out + 1] = indent .. rec(d + 1, indent .. " ", width - 1)
        if k < count then out[#out + 1] = sep end
        if k == gap then out[#out + 1] = indent .. "..." .. sep end
      end
    end
    return "[" .. concat(out):sub(#indent + 1) .. "]"
  end
  return rec(1, " ", options.linewidth)
end

-- The values of a (without the trailer).
local function array_body(a)
  local shape, dtype = a.shape, a.dtype
  if #shape == 0 then return scalar_string(a:get(), dtype) end
  if a.size == 0 then return "[]" end
  local dims = shown_indices(shape, a.size > options.threshold)
  local values = read_shown(a, dims)
  local format
  if dtype == "bool" then
    format = bool_formatter()
  elseif dtype == "float32" or dtype == "float64" then
    format = float_formatter(values, dtype == "float32")
  elseif dtype == "complex64" or dtype == "complex128" then
    format = complex_formatter(values, dtype == "complex64")
  else
    format = int_formatter(values)
  end
  local words = {}
  for i = 1, #values do words[i] = format(values[i]) end
  return layout(dims, words)
end

local function trailer(a)
  return fmt("[%s array of shape (%s)]", a.dtype, concat(a.shape, ","))
end

meta.__tostring = function(a)
  -- A closed array raises on any attribute access.
  local ok = pcall(function() return a.ndim end)
  if not ok then return "[closed array]" end
  return array_body(a) .. "\n" .. trailer(a)
end

-- Options ---------------------------------------------------------------------

local checks = {
  precision = function(v) return math.type(v) == "integer" and v >= 0 and v <= 17 end,
  threshold = function(v) return type(v) == "number" and v >= 0 end,
  edgeitems = function(v) return math.type(v) == "integer" and v >= 1 end,
  linewidth = function(v) return math.type(v) == "integer" and v >= 1 end,
}
local expected = {
  precision = "an integer from 0 to 17",
  threshold = "a non-negative number (math.huge never summarizes)",
  edgeitems = "a positive integer",
  linewidth = "a positive integer",
}

function ts.set_printoptions(opts)
  if opts ~= nil and type(opts) ~= "table" then
    error(fmt("set_printoptions: expected a table of options, got %s", type(opts)), 2)
  end
  local previous = {}
  for k, v in pairs(options) do previous[k] = v end
  if opts == nil then
    for k, v in pairs(defaults) do options[k] = v end
    return previous
  end
  for k, v in pairs(opts) do
    if not checks[k] then
      error(fmt("set_printoptions: unknown option '%s'", tostring(k)), 2)
    end
    if not checks[k](v) then
      error(fmt("set_printoptions: %s must be %s, got %s", k, expected[k], tostring(v)), 2)
    end
  end
  for k, v in pairs(opts) do options[k] = v end
  return previous
end

if ts.doc then
  ts.doc(ts.set_printoptions, "ts.set_printoptions{precision=, threshold=, edgeitems=, linewidth=}",
    "Changes how arrays print: precision (8) is the most fraction digits of a float, arrays of "
    .. "more than threshold (1000) elements are summarized with '...' showing edgeitems (3) "
    .. "items at each end of every dimension, and rows wrap at linewidth (75) characters. "
    .. "Options not given keep their value; with no argument all return to the defaults. "
    .. "Returns the previous options, so they can be restored.")
end
