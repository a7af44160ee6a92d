// ts.random: Philox4x32-10 generators (runtime/random/generator.hpp) as
// userdata. A generator is plain data (key, stream, position, children
// spawned), so it crosses to par workers by value; stdlib/random.lua adds the
// default generator and the ts.random.uniform, ... shortcuts.
#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "../ops/elementwise.hpp"
#include "../ops/select.hpp"
#include "../par/transfer.hpp"
#include "../random/generator.hpp"
#include "binding.hpp"
#include "registry.hpp"
#include "subtable.hpp"

namespace tessera::lua {
namespace {

using random::Generator;

constexpr const char* kGenMeta = "tessera.random.Generator";

Generator* push_generator(lua_State* L, const Generator& g) {
  void* p = lua_newuserdatauv(L, sizeof(Generator), 0);
  auto* gen = new (p) Generator(g);
  luaL_setmetatable(L, kGenMeta);
  return gen;
}

Generator& check_gen(lua_State* L, int idx, const char* fname) {
  auto* g = static_cast<Generator*>(luaL_testudata(L, idx, kGenMeta));
  if (!g)
    raise(L, fname, "expected a generator at argument %d (call it as rng:%s(...)), got %s", idx,
          std::strchr(fname, ':') ? std::strchr(fname, ':') + 1 : fname, luaL_typename(L, idx));
  return *g;
}

double check_number(lua_State* L, int idx, const char* fname, const char* what) {
  if (lua_type(L, idx) != LUA_TNUMBER)
    raise(L, fname, "expected a number for %s at argument %d, got %s", what, idx - 1,
          luaL_typename(L, idx));
  return lua_tonumber(L, idx);
}

// What a distribution's trailing arguments ask for: a Lua value (no shape),
// a new array of a shape and dtype, or an existing array to fill.
struct Target {
  bool scalar = true;
  Dims shape;
  DType dtype = DType::Float64;
  Array* out = nullptr;
};

// [shape [, dtype]] at idx: shape is an integer, a table of extents, or an
// array to fill in place (then no dtype).
Target check_target(lua_State* L, int idx, const char* fname, DType fallback) {
  Target t;
  t.dtype = fallback;
  int type = lua_type(L, idx);
  if (type == LUA_TNONE || type == LUA_TNIL) {
    if (!lua_isnoneornil(L, idx + 1))
      raise(L, fname, "a dtype needs a shape (argument %d is nil)", idx - 1);
    return t;
  }
  t.scalar = false;
  if (type == LUA_TNUMBER) {
    std::int64_t n = check_integer(L, idx, fname, "size");
    if (n < 0) raise(L, fname, "negative size %lld", static_cast<long long>(n));
    t.shape = Dims{n};
  } else if (type == LUA_TTABLE) {
    t.shape = check_shape(L, idx, fname);
  } else if (Array* a = test_array(L, idx, fname)) {
    if (!lua_isnoneornil(L, idx + 1))
      raise(L, fname, "no dtype with an array to fill (its own dtype is used)");
    t.out = a;
    t.dtype = a->dtype();
    return t;
  } else {
    raise(L, fname, "expected a size, a shape table or an array at argument %d, got %s", idx - 1,
          luaL_typename(L, idx));
  }
  t.dtype = check_dtype(L, idx + 1, fname, fallback);
  return t;
}

// Runs fill(array) on the target: pushes the new array (or the filled one).
template <class Fill>
int fill_target(lua_State* L, const char* fname, const Target& t, int out_idx, Fill&& fill) {
  Context& ctx = context(L);
  if (t.out) {
    lua_pushvalue(L, out_idx);
    return guarded(L, fname, [&] {
      fill(ctx, *t.out);
      return 1;
    });
  }
  return push_new_array(L, fname, [&] {
    Array a = Array::empty(t.dtype, t.shape, ctx.account);
    fill(ctx, a);
    return a;
  });
}

void check_float_dtype(lua_State* L, const Target& t, const char* fname) {
  if (!t.scalar && t.dtype != DType::Float32 && t.dtype != DType::Float64)
    raise(L, fname, "expected a float32 or float64 array, got %s", dtype_name(t.dtype));
}

void check_numeric_dtype(lua_State* L, const Target& t, const char* fname) {
  if (!t.scalar && t.dtype == DType::Bool) raise(L, fname, "cannot fill a bool array");
}

// ---- constructors ------------------------------------------------------------

std::uint32_t check_stream(lua_State* L, int idx, const char* fname) {
  if (lua_isnoneornil(L, idx)) return 0;
  std::int64_t s = check_integer(L, idx, fname, "stream");
  if (s < 0 || s > 0xffffffffll)
    raise(L, fname, "stream must be from 0 to 2^32 - 1, got %lld", static_cast<long long>(s));
  return static_cast<std::uint32_t>(s);
}

int l_new(lua_State* L) {
  if (lua_isnoneornil(L, 1)) {
    check_stream(L, 2, "random.new");
    Generator g = Generator::from_entropy();
    push_generator(L, Generator(g.key(), check_stream(L, 2, "random.new")));
    return 1;
  }
  std::int64_t seed = check_integer(L, 1, "random.new", "seed");
  std::uint32_t stream = check_stream(L, 2, "random.new");
  push_generator(L, Generator(static_cast<std::uint64_t>(seed), stream));
  return 1;
}

int l_from_state(lua_State* L) {
  if (lua_type(L, 1) != LUA_TSTRING)
    raise(L, "random.from_state", "expected a state string, got %s", luaL_typename(L, 1));
  const char* s = lua_tostring(L, 1);
  Generator* g = push_generator(L, Generator());
  return guarded(L, "random.from_state", [&] {
    *g = Generator::from_state(s);
    return 1;
  });
}

// ---- methods -----------------------------------------------------------------

// uniform([shape [, dtype]]) or uniform(lo, hi [, shape [, dtype]]).
int l_uniform(lua_State* L) {
  const char* fname = "uniform";
  Generator& g = check_gen(L, 1, fname);
  double lo = 0, hi = 1;
  int at = 2;
  if (lua_type(L, 2) == LUA_TNUMBER && lua_type(L, 3) == LUA_TNUMBER) {
    lo = lua_tonumber(L, 2);
    hi = lua_tonumber(L, 3);
    at = 4;
  }
  Target t = check_target(L, at, fname, DType::Float64);
  check_float_dtype(L, t, fname);
  if (!std::isfinite(lo) || !std::isfinite(hi) || !std::isfinite(hi - lo))
    raise(L, fname, "bounds must be finite");
  if (t.scalar) {
    lua_pushnumber(L, g.uniform1(lo, hi));
    return 1;
  }
  return fill_target(L, fname, t, at,
                     [&](Context& ctx, const Array& a) { g.uniform(ctx, a, lo, hi); });
}

// integers(m) (1..m), integers(lo, hi [, shape [, dtype]]) inclusive.
int l_integers(lua_State* L) {
  const char* fname = "integers";
  Generator& g = check_gen(L, 1, fname);
  std::int64_t lo = 1, hi;
  int at;
  if (lua_isnoneornil(L, 3) && lua_type(L, 3) == LUA_TNONE) {
    hi = check_integer(L, 2, fname, "upper bound");
    at = 3;
  } else {
    lo = check_integer(L, 2, fname, "lower bound");
    hi = check_integer(L, 3, fname, "upper bound");
    at = 4;
  }
  if (hi < lo)
    raise(L, fname, "empty range %lld..%lld", static_cast<long long>(lo),
          static_cast<long long>(hi));
  Target t = check_target(L, at, fname, DType::Int64);
  check_numeric_dtype(L, t, fname);
  if (!t.scalar && is_integer(t.dtype)) {
    check_fits(L, Scalar::integer(lo), t.dtype, fname);
    check_fits(L, Scalar::integer(hi), t.dtype, fname);
  }
  if (t.scalar) {
    lua_pushinteger(L, g.integer1(lo, hi));
    return 1;
  }
  return fill_target(L, fname, t, at,
                     [&](Context& ctx, const Array& a) { g.integers(ctx, a, lo, hi); });
}

// normal([shape [, dtype]]) or normal(mean, std [, shape [, dtype]]).
int l_normal(lua_State* L) {
  const char* fname = "normal";
  Generator& g = check_gen(L, 1, fname);
  double mean = 0, sd = 1;
  int at = 2;
  if (lua_type(L, 2) == LUA_TNUMBER && lua_type(L, 3) == LUA_TNUMBER) {
    mean = lua_tonumber(L, 2);
    sd = lua_tonumber(L, 3);
    at = 4;
  }
  if (!(sd >= 0)) raise(L, fname, "std must be >= 0");
  Target t = check_target(L, at, fname, DType::Float64);
  check_float_dtype(L, t, fname);
  if (t.scalar) {
    lua_pushnumber(L, g.normal1(mean, sd));
    return 1;
  }
  return fill_target(L, fname, t, at,
                     [&](Context& ctx, const Array& a) { g.normal(ctx, a, mean, sd); });
}

int l_exponential(lua_State* L) {
  const char* fname = "exponential";
  Generator& g = check_gen(L, 1, fname);
  double scale = lua_isnoneornil(L, 2) ? 1.0 : check_number(L, 2, fname, "scale");
  if (!(scale >= 0)) raise(L, fname, "scale must be >= 0");
  Target t = check_target(L, 3, fname, DType::Float64);
  check_float_dtype(L, t, fname);
  if (t.scalar) {
    lua_pushnumber(L, g.exponential1(scale));
    return 1;
  }
  return fill_target(L, fname, t, 3,
                     [&](Context& ctx, const Array& a) { g.exponential(ctx, a, scale); });
}

int l_poisson(lua_State* L) {
  const char* fname = "poisson";
  Generator& g = check_gen(L, 1, fname);
  double lam = check_number(L, 2, fname, "lam");
  if (!(lam >= 0) || lam > 1e18) raise(L, fname, "lam must be in [0, 1e18]");
  Target t = check_target(L, 3, fname, DType::Int64);
  check_numeric_dtype(L, t, fname);
  if (t.scalar) {
    lua_pushinteger(L, g.poisson1(lam));
    return 1;
  }
  return fill_target(L, fname, t, 3, [&](Context& ctx, const Array& a) { g.poisson(ctx, a, lam); });
}

int l_binomial(lua_State* L) {
  const char* fname = "binomial";
  Generator& g = check_gen(L, 1, fname);
  std::int64_t trials = check_integer(L, 2, fname, "number of trials");
  double p = check_number(L, 3, fname, "p");
  if (trials < 0) raise(L, fname, "the number of trials must be >= 0");
  if (!(p >= 0 && p <= 1)) raise(L, fname, "p must be in [0, 1]");
  Target t = check_target(L, 4, fname, DType::Int64);
  check_numeric_dtype(L, t, fname);
  if (t.scalar) {
    lua_pushinteger(L, g.binomial1(trials, p));
    return 1;
  }
  return fill_target(L, fname, t, 4,
                     [&](Context& ctx, const Array& a) { g.binomial(ctx, a, trials, p); });
}

int l_raw(lua_State* L) {
  const char* fname = "raw";
  Generator& g = check_gen(L, 1, fname);
  Target t = check_target(L, 2, fname, DType::Int64);
  check_numeric_dtype(L, t, fname);
  if (t.scalar) t.shape = Dims{1};
  bool scalar = t.scalar;
  t.scalar = false;
  int r = fill_target(L, fname, t, 2, [&](Context& ctx, const Array& a) { g.raw(ctx, a); });
  if (scalar) {
    Array* a = to_array(L, -1);
    lua_pushinteger(L, static_cast<lua_Integer>(a->data_as<std::int64_t>()[0]));
  }
  return r;
}

int l_permutation(lua_State* L) {
  const char* fname = "permutation";
  Generator& g = check_gen(L, 1, fname);
  Context& ctx = context(L);
  if (lua_type(L, 2) == LUA_TNUMBER) {
    std::int64_t n = check_integer(L, 2, fname, "n");
    if (n < 0) raise(L, fname, "n must be >= 0");
    return push_new_array(L, fname, [&] {
      Array p = g.permutation(ctx, n);
      auto* v = p.data_as<std::int64_t>();
      for (std::int64_t i = 0; i < n; ++i) v[i] += 1;
      return p;
    });
  }
  Array* a = test_array(L, 2, fname);
  if (!a)
    raise(L, fname, "expected an integer or an array at argument 1, got %s", luaL_typename(L, 2));
  if (a->ndim() == 0) raise(L, fname, "expected an array with at least one dimension");
  return push_new_array(L, fname, [&] {
    Array p = g.permutation(ctx, a->dim(0));
    return ops::take(ctx, *a, p, 0, kernels::IndexBase::Zero);
  });
}

int l_shuffle(lua_State* L) {
  const char* fname = "shuffle";
  Generator& g = check_gen(L, 1, fname);
  Array& a = check_array(L, 2, fname);
  if (a.ndim() == 0) raise(L, fname, "expected an array with at least one dimension");
  Context& ctx = context(L);
  lua_pushvalue(L, 2);
  return guarded(L, fname, [&] {
    g.shuffle(ctx, a);
    return 1;
  });
}

// choice(a [, shape [, {replace = true, p = weights}]]): a is a count n
// (values 1..n) or a 1-d array (its elements).
int l_choice(lua_State* L) {
  const char* fname = "choice";
  Generator& g = check_gen(L, 1, fname);
  std::int64_t n;
  Array* src = nullptr;
  if (lua_type(L, 2) == LUA_TNUMBER) {
    n = check_integer(L, 2, fname, "count");
    if (n < 0) raise(L, fname, "the count must be >= 0");
  } else {
    src = test_array(L, 2, fname);
    if (!src)
      raise(L, fname, "expected a count or an array at argument 1, got %s", luaL_typename(L, 2));
    if (src->ndim() != 1) raise(L, fname, "expected a 1-d array, got %d dimensions", src->ndim());
    n = src->dim(0);
  }
  bool scalar = lua_isnoneornil(L, 3);
  Dims shape{1};
  if (!scalar) {
    if (lua_type(L, 3) == LUA_TNUMBER) {
      std::int64_t k = check_integer(L, 3, fname, "size");
      if (k < 0) raise(L, fname, "negative size %lld", static_cast<long long>(k));
      shape = Dims{k};
    } else if (lua_type(L, 3) == LUA_TTABLE) {
      shape = check_shape(L, 3, fname);
    } else {
      raise(L, fname, "expected a size or a shape table at argument 2, got %s",
            luaL_typename(L, 3));
    }
  }
  bool replace = true;
  const double* weights = nullptr;
  Array* warr = nullptr;
  if (!lua_isnoneornil(L, 4)) {
    if (lua_type(L, 4) != LUA_TTABLE)
      raise(L, fname, "expected an options table {replace =, p =} at argument 3, got %s",
            luaL_typename(L, 4));
    lua_getfield(L, 4, "replace");
    if (!lua_isnil(L, -1)) replace = lua_toboolean(L, -1);
    lua_pop(L, 1);
    lua_getfield(L, 4, "p");  // stays on the stack (keeps the weights alive)
    if (lua_type(L, -1) == LUA_TTABLE) {
      lua_Integer len = luaL_len(L, -1);
      if (len != n)
        raise(L, fname, "p has %lld weights for %lld items", static_cast<long long>(len),
              static_cast<long long>(n));
      int pidx = lua_gettop(L);
      auto* buf = static_cast<double*>(lua_newuserdatauv(L, sizeof(double) * (n ? n : 1), 0));
      for (lua_Integer i = 1; i <= len; ++i) {
        if (lua_geti(L, pidx, i) != LUA_TNUMBER)
          raise(L, fname, "p[%lld] is not a number", static_cast<long long>(i));
        buf[i - 1] = lua_tonumber(L, -1);
        lua_pop(L, 1);
      }
      weights = buf;
    } else if (!lua_isnil(L, -1)) {
      warr = test_array(L, -1, fname);
      if (!warr) raise(L, fname, "p must be a table or an array, got %s", luaL_typename(L, -1));
      if (warr->ndim() != 1 || warr->dim(0) != n)
        raise(L, fname, "p must be a 1-d array of %lld weights", static_cast<long long>(n));
    }
  }
  Context& ctx = context(L);
  int r = push_new_array(L, fname, [&] {
    const double* w = weights;
    Array wc;
    if (warr) {
      wc = ops::contiguous(ctx, *warr, DType::Float64);
      w = wc.data_as<double>();
    }
    Array idx = g.choice(ctx, n, shape, replace, w);
    if (src) return ops::take(ctx, *src, idx, 0, kernels::IndexBase::Zero);
    auto* v = idx.data_as<std::int64_t>();
    for (std::int64_t i = 0, k = idx.size(); i < k; ++i) v[i] += 1;
    return idx;
  });
  if (scalar) {
    Array* a = to_array(L, -1);
    push_element(L, a->dtype(), a->data());
  }
  return r;
}

int l_spawn(lua_State* L) {
  const char* fname = "spawn";
  Generator& g = check_gen(L, 1, fname);
  std::int64_t n = check_integer(L, 2, fname, "number of children");
  if (n < 0 || n > (1 << 24)) raise(L, fname, "the number of children must be from 0 to 2^24");
  lua_createtable(L, static_cast<int>(n), 0);
  for (std::int64_t i = 0; i < n; ++i) {
    push_generator(L, g.spawn_one());
    lua_rawseti(L, -2, i + 1);
  }
  return 1;
}

// The state string, formatted into a buffer (no std::string is alive when
// Lua may raise).
void state_text(const Generator& g, char* buf, std::size_t size) {
  std::snprintf(buf, size, "philox4x32-10 key=%016llx stream=%08x position=%016llx spawned=%016llx",
                static_cast<unsigned long long>(g.key()), static_cast<unsigned>(g.stream_id()),
                static_cast<unsigned long long>(g.position()),
                static_cast<unsigned long long>(g.spawned()));
}

int l_state(lua_State* L) {
  Generator& g = check_gen(L, 1, "state");
  char buf[160];
  state_text(g, buf, sizeof buf);
  lua_pushstring(L, buf);
  return 1;
}

int l_copy(lua_State* L) {
  Generator& g = check_gen(L, 1, "copy");
  push_generator(L, g);
  return 1;
}

int l_tostring(lua_State* L) {
  Generator& g = check_gen(L, 1, "tostring");
  char buf[160];
  state_text(g, buf, sizeof buf);
  lua_pushfstring(L, "<random generator: %s>", buf);
  return 1;
}

int l_eq(lua_State* L) {
  auto* a = static_cast<Generator*>(luaL_testudata(L, 1, kGenMeta));
  auto* b = static_cast<Generator*>(luaL_testudata(L, 2, kGenMeta));
  lua_pushboolean(L, a && b && a->key() == b->key() && a->stream_id() == b->stream_id() &&
                         a->position() == b->position() && a->spawned() == b->spawned());
  return 1;
}

const Entry functions[] = {
    {"new", l_new, kFunction, "ts.random.new([seed [, stream]])",
     "A Philox4x32-10 generator: its key is the 64-bit integer seed (from the system's entropy "
     "when absent), stream (0 to 2^32 - 1, default 0) selects one of 2^32 independent streams. "
     "Block b of its sequence is Random123's philox4x32_10({b_lo, b_hi, 0, stream}, {seed_lo, "
     "seed_hi}); every call takes whole blocks, so value i of a call depends only on (seed, "
     "stream, position, i) and arrays are the same bit for bit on any number of threads."},
    {"from_state", l_from_state, kFunction, "ts.random.from_state(s)",
     "A generator restored from the string rng:state() returned."},
};

const Entry methods[] = {
    {"uniform", l_uniform, kMethod, "rng:uniform([lo, hi,] [shape [, dtype]])",
     "Uniform values on [lo, hi) (default [0, 1)): a number without shape, else an array "
     "(float64 by default, or float32) of shape (an integer or a table), or shape may be an "
     "array to fill in place. 53 random bits per float64, 24 per float32."},
    {"integers", l_integers, kMethod, "rng:integers([lo,] hi [, shape [, dtype]])",
     "Uniform integers from lo to hi inclusive (Lua's range convention, like math.random; lo "
     "defaults to 1), without modulo bias (Lemire's multiply-and-reject). Default dtype int64."},
    {"normal", l_normal, kMethod, "rng:normal([mean, std,] [shape [, dtype]])",
     "Normal values (Marsaglia and Tsang's ziggurat, as NumPy's), mean 0 and std 1 by "
     "default; float64 or float32."},
    {"exponential", l_exponential, kMethod, "rng:exponential([scale [, shape [, dtype]]])",
     "Exponential values with the given scale (1 / rate, default 1)."},
    {"poisson", l_poisson, kMethod, "rng:poisson(lam [, shape [, dtype]])",
     "Poisson counts with mean lam (inversion below 10, Hormann's PTRS above); int64."},
    {"binomial", l_binomial, kMethod, "rng:binomial(n, p [, shape [, dtype]])",
     "Binomial counts of n trials with success probability p (inversion for small n * p, "
     "Hormann's BTRS otherwise); int64."},
    {"choice", l_choice, kMethod, "rng:choice(a [, shape [, {replace = true, p = weights}]])",
     "Random picks from 1..a (a an integer) or from the elements of the 1-d array a; with "
     "replacement unless replace = false; p gives weights (a table or array, scaled to sum to "
     "one). A single value without shape."},
    {"permutation", l_permutation, kMethod, "rng:permutation(n | a)",
     "A random permutation of 1..n (int64), or a shuffled copy of array a along its first "
     "dimension (Fisher-Yates)."},
    {"shuffle", l_shuffle, kMethod, "rng:shuffle(a)",
     "Shuffles array a in place along its first dimension; returns a."},
    {"raw", l_raw, kMethod, "rng:raw([shape])",
     "The generator's 32-bit words (4 per Philox block) as int64 values from 0 to 2^32 - 1."},
    {"spawn", l_spawn, kMethod, "rng:spawn(n)",
     "A table of n independent child generators (for workers), their keys hashed from this "
     "generator's key, stream and the number of children spawned so far, as NumPy's "
     "SeedSequence.spawn; spawning again gives new children."},
    {"state", l_state, kMethod, "rng:state()",
     "The generator's state as a string, for ts.random.from_state."},
    {"copy", l_copy, kMethod, "rng:copy()", "An independent generator in the same state."},
};

// Generators cross to par workers by value.
void encode_generator(lua_State* L, int idx, std::string& out) {
  auto* g = static_cast<Generator*>(lua_touserdata(L, idx));
  out = g->state();
}

bool decode_generator(lua_State* L, const char* bytes, std::size_t n) {
  Generator* g = push_generator(L, Generator());
  try {
    *g = Generator::from_state(std::string(bytes, n));
    return true;
  } catch (...) {
    return false;
  }
}

void setup(lua_State* L, const Tables& t) {
  int rnd = module_subtable(L, t, "random");
  install_entries(L, t, rnd, functions, "random.");
  luaL_newmetatable(L, kGenMeta);
  int mt = lua_gettop(L);
  lua_newtable(L);
  install_entries(L, t, lua_gettop(L), methods, "random.Generator.");
  lua_pushvalue(L, -1);
  lua_setfield(L, rnd, "_methods");
  lua_setfield(L, mt, "__index");
  lua_pushcfunction(L, l_tostring);
  lua_setfield(L, mt, "__tostring");
  lua_pushcfunction(L, l_eq);
  lua_setfield(L, mt, "__eq");
  lua_pushstring(L, kGenMeta);
  lua_setfield(L, mt, "__name");
  lua_pop(L, 2);
}

const bool registered =
    (register_part(Part{"random", 86, nullptr, 0, setup}),
     par::register_crossing({kGenMeta, encode_generator, decode_generator}), true);

}  // namespace
}  // namespace tessera::lua
