// ts.kernels: prime numbers (is_prime, primes, count_primes, is_prime_split)
// and the fused Monte Carlo pi (ts.kernels.pi). The work is in
// runtime/ops/primes.cpp; the kernels in kernels/primes.* and
// kernels/quarter_circle.*. ts.kernels is shared with other kernel families.
#include <cstring>

#include "../ops/primes.hpp"
#include "binding.hpp"
#include "registry.hpp"
#include "subtable.hpp"

namespace tessera::lua {
namespace {

constexpr const char* kGenMeta = "tessera.random.Generator";  // runtime/lua/random.cpp

// An options table at idx (none or nil allowed); raises otherwise.
bool opt_table(lua_State* L, int idx, const char* fname, const char* expected) {
  if (lua_isnoneornil(L, idx)) return false;
  if (lua_type(L, idx) != LUA_TTABLE)
    raise(L, fname, "expected an options table %s at argument %d, got %s", expected, idx,
          luaL_typename(L, idx));
  return true;
}

int l_is_prime(lua_State* L) {
  const char* fname = "kernels.is_prime";
  if (lua_type(L, 1) == LUA_TNUMBER) {
    std::int64_t n = check_integer(L, 1, fname, "value");
    lua_pushboolean(L, ops::is_prime_value(n));
    return 1;
  }
  Array& a = check_array(L, 1, fname);
  if (!is_integer(a.dtype()))
    raise(L, fname, "expected an integer array (uint8, int32, int64), got %s",
          dtype_name(a.dtype()));
  return push_new_array(L, fname, [&] { return ops::is_prime(context(L), a); });
}

// (lo, hi) from arguments 1 and 2, or (1, n) from argument 1 alone.
void check_range_args(lua_State* L, const char* fname, std::int64_t& lo, std::int64_t& hi) {
  if (lua_isnoneornil(L, 2) || lua_type(L, 2) == LUA_TTABLE) {
    lo = 1;
    hi = check_integer(L, 1, fname, "upper bound");
  } else {
    lo = check_integer(L, 1, fname, "lower bound");
    hi = check_integer(L, 2, fname, "upper bound");
  }
}

int l_primes(lua_State* L) {
  const char* fname = "kernels.primes";
  if (lua_type(L, 2) == LUA_TTABLE)
    raise(L, fname, "expected an integer upper bound at argument 2, got table (no options)");
  std::int64_t lo, hi;
  check_range_args(L, fname, lo, hi);
  return push_new_array(L, fname, [&] { return ops::primes_between(context(L), lo, hi); });
}

int l_count_primes(lua_State* L) {
  const char* fname = "kernels.count_primes";
  std::int64_t lo, hi;
  check_range_args(L, fname, lo, hi);
  int opts = lua_type(L, 2) == LUA_TTABLE ? 2 : 3;
  bool trial = false;
  if (opt_table(L, opts, fname, "{method = 'sieve' | 'trial'}")) {
    if (lua_getfield(L, opts, "method") != LUA_TNIL) {
      const char* m = lua_type(L, -1) == LUA_TSTRING ? lua_tostring(L, -1) : nullptr;
      if (!m || (std::strcmp(m, "sieve") != 0 && std::strcmp(m, "trial") != 0))
        raise(L, fname, "expected method 'sieve' or 'trial', got %s", m ? m : luaL_typename(L, -1));
      trial = std::strcmp(m, "trial") == 0;
    }
    lua_pop(L, 1);
  }
  std::int64_t count = 0;
  guarded(L, fname, [&] {
    count = trial ? ops::count_primes_trial(context(L), lo, hi)
                  : ops::count_primes_sieve(context(L), lo, hi);
    return 0;
  });
  lua_pushinteger(L, count);
  return 1;
}

int l_is_prime_split(lua_State* L) {
  const char* fname = "kernels.is_prime_split";
  std::int64_t n = check_integer(L, 1, fname, "value");
  if (n < 2) {
    lua_pushboolean(L, 0);
    return 1;
  }
  std::uint64_t f = 0;
  guarded(L, fname, [&] {
    f = ops::smallest_factor(context(L), static_cast<std::uint64_t>(n));
    return 0;
  });
  if (f == static_cast<std::uint64_t>(n)) {
    lua_pushboolean(L, 1);
    return 1;
  }
  lua_pushboolean(L, 0);
  lua_pushinteger(L, static_cast<lua_Integer>(f));
  return 2;
}

int l_pi(lua_State* L) {
  const char* fname = "kernels.pi";
  std::int64_t n = check_integer(L, 1, fname, "number of points");
  if (n < 1) raise(L, fname, "expected at least 1 point, got %lld", static_cast<long long>(n));
  random::Generator* rng = nullptr;
  bool seeded = false;
  std::uint64_t seed = 0;
  if (opt_table(L, 2, fname, "{seed = s} or {rng = generator}")) {
    if (lua_getfield(L, 2, "rng") != LUA_TNIL) {
      rng = static_cast<random::Generator*>(luaL_testudata(L, -1, kGenMeta));
      if (!rng) raise(L, fname, "expected a generator for rng, got %s", luaL_typename(L, -1));
    }
    lua_pop(L, 1);  // the options table keeps the generator alive
    if (lua_getfield(L, 2, "seed") != LUA_TNIL) {
      if (rng) raise(L, fname, "give seed or rng, not both");
      seed = static_cast<std::uint64_t>(check_integer(L, -1, fname, "seed"));
      seeded = true;
    }
    lua_pop(L, 1);
  }
  std::int64_t hits = 0;
  guarded(L, fname, [&] {
    if (rng) {
      hits = ops::quarter_circle_hits(context(L), *rng, n);
    } else {
      random::Generator g = seeded ? random::Generator(seed) : random::Generator::from_entropy();
      hits = ops::quarter_circle_hits(context(L), g, n);
    }
    return 0;
  });
  lua_pushnumber(L, 4.0 * static_cast<double>(hits) / static_cast<double>(n));
  lua_pushinteger(L, hits);
  return 2;
}

const Entry entries[] = {
    {"is_prime", l_is_prime, kFunction, "ts.kernels.is_prime(a | n)",
     "Which elements of the integer array a (uint8, int32, int64; any layout) are prime, as a "
     "bool array of a's shape, or whether the integer n is prime. Deterministic Miller-Rabin "
     "with the bases 2, 3, 5, ..., 37, exact for every 64-bit value; 0, 1 and negatives are "
     "not prime (like SymPy's isprime)."},
    {"primes", l_primes, kFunction, "ts.kernels.primes([lo,] hi)",
     "The primes p with lo <= p <= hi (inclusive; lo defaults to 1) as an int64 array, in "
     "increasing order: a segmented sieve of Eratosthenes over odd numbers, segments in "
     "parallel (SymPy's primerange, but inclusive). hi up to 2^53."},
    {"count_primes", l_count_primes, kFunction,
     "ts.kernels.count_primes([lo,] hi [, {method = 'sieve' | 'trial'}])",
     "The number of primes p with lo <= p <= hi (inclusive; lo defaults to 1, so "
     "count_primes(n) is SymPy's primepi(n)). method 'sieve' (default, hi up to 2^53) uses the "
     "segmented sieve; 'trial' (hi up to 2^42) divides each number by 3, 5, 7, ... up to its "
     "square root, vectorized, numbers spread over the threads in small tasks."},
    {"is_prime_split", l_is_prime_split, kFunction, "ts.kernels.is_prime_split(n)",
     "Trial division of one integer n with its factor range [3, sqrt(n)] split into pieces "
     "across the threads (ts.threads()), which stop as soon as a smaller factor is known (High "
     "Performance Python's check_prime_in_range with a shared flag). Returns true for a prime, "
     "or false and the smallest factor > 1 (false alone for n < 2)."},
    {"pi", l_pi, kFunction, "ts.kernels.pi(n [, {seed = s} | {rng = generator}])",
     "Monte Carlo estimate of pi from n points of the unit square: 4 * inside / n, and the "
     "count inside the quarter circle. The points come from a Philox stream (a new generator "
     "of the seed, the given generator, which advances, or fresh entropy) and are counted "
     "without arrays; the result is the same at any thread count."},
};

void setup(lua_State* L, const Tables& t) {
  int k = module_subtable(L, t, "kernels");
  install_entries(L, t, k, entries, "kernels.");
  lua_pop(L, 1);
}

const bool registered = (register_part(Part{"primes", 87, nullptr, 0, setup}), true);

}  // namespace
}  // namespace tessera::lua
