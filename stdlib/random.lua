-- ts.random's default generator: ts.random.uniform(...) is
-- ts.random.default():uniform(...), and likewise for every generator method.
-- The default generator starts from the system's entropy (as NumPy's does);
-- ts.random.seed(seed [, stream]) replaces it, for reproducible scripts. Each
-- Lua state (each par worker too) has its own: give workers rng:spawn(n)
-- children instead.
local ts = ...
local R = ts.random
local default = R.new()

-- ts.doc names an entry after its signature's first word ("random"); these
-- are found as "random.<name>".
local function doc(f, name, signature, text)
  ts.doc(f, signature, text)
  ts._help[f].name = "random." .. name
end

function R.seed(seed, stream)
  default = R.new(seed, stream)
  return default
end
doc(R.seed, "seed", "ts.random.seed(seed [, stream])",
  "Replaces the default generator by ts.random.new(seed, stream) and returns it.")

function R.default() return default end
doc(R.default, "default", "ts.random.default()", "The default generator (ts.random.uniform and friends draw from it).")

for _, name in ipairs { "uniform", "integers", "normal", "exponential", "poisson", "binomial",
                        "choice", "permutation", "shuffle", "raw", "spawn", "state" } do
  local method = R._methods[name]
  local f = function(...) return method(default, ...) end
  R[name] = f
  local help = ts._help[method]
  doc(f, name, (help.signature:gsub("^rng:", "ts.random.")),
    help.doc .. " (From the default generator, see ts.random.seed.)")
end
