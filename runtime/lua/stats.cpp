// ts.stats.online: single-pass statistics fed block by block (the numeric
// part is ops::OnlineStats).
#include <cmath>
#include <new>

#include "../ops/stats.hpp"
#include "binding.hpp"
#include "registry.hpp"
#include "subtable.hpp"

namespace tessera::lua {
namespace {

constexpr const char* kOnlineMeta = "tessera.stats.Online";

struct OnlineBox {
  ops::OnlineStats* stats;  // owned; null once collected
};

ops::OnlineStats& check_online(lua_State* L, int idx, const char* fname) {
  auto* b = static_cast<OnlineBox*>(luaL_testudata(L, idx, kOnlineMeta));
  if (!b)
    raise(L, fname, "expected online statistics (ts.stats.online()), got %s",
          luaL_typename(L, idx));
  if (!b->stats) raise(L, fname, "statistics have been released");
  return *b->stats;
}

int l_online(lua_State* L) {
  std::int64_t bins = 0;
  double lo = 0, hi = 0;
  if (!lua_isnoneornil(L, 1)) {
    if (lua_type(L, 1) != LUA_TTABLE)
      raise(L, "stats.online", "expected an options table {bins = n, range = {lo, hi}}, got %s",
            luaL_typename(L, 1));
    if (lua_getfield(L, 1, "bins") != LUA_TNIL) {
      bins = check_integer(L, -1, "stats.online", "bin count");
      if (bins < 1)
        raise(L, "stats.online", "bins must be at least 1, got %lld", static_cast<long long>(bins));
    }
    lua_pop(L, 1);
    if (lua_getfield(L, 1, "range") != LUA_TNIL) {
      if (lua_type(L, -1) != LUA_TTABLE)
        raise(L, "stats.online", "expected range = {lo, hi}, got %s", luaL_typename(L, -1));
      lua_rawgeti(L, -1, 1);
      lua_rawgeti(L, -2, 2);
      if (lua_type(L, -2) != LUA_TNUMBER || lua_type(L, -1) != LUA_TNUMBER)
        raise(L, "stats.online", "expected range = {lo, hi} with two numbers");
      lo = lua_tonumber(L, -2);
      hi = lua_tonumber(L, -1);
      if (!(lo < hi) || !std::isfinite(lo) || !std::isfinite(hi))
        raise(L, "stats.online", "range must be finite with lo < hi, got {%f, %f}", lo, hi);
      lua_pop(L, 2);
      if (bins == 0) bins = 10;
    } else if (bins > 0) {
      raise(L, "stats.online", "a histogram needs range = {lo, hi} with bins");
    }
    lua_pop(L, 1);
  }
  auto* box = static_cast<OnlineBox*>(lua_newuserdatauv(L, sizeof(OnlineBox), 0));
  box->stats = nullptr;
  luaL_setmetatable(L, kOnlineMeta);
  return guarded(L, "stats.online", [&] {
    box->stats = bins > 0 ? new ops::OnlineStats(bins, lo, hi) : new ops::OnlineStats();
    return 1;
  });
}

int l_update(lua_State* L) {
  ops::OnlineStats& s = check_online(L, 1, "update");
  lua_settop(L, 2);
  if (lua_type(L, 2) == LUA_TNUMBER) {
    s.update(lua_tonumber(L, 2));
    lua_settop(L, 1);
    return 1;
  }
  Array& a = check_array(L, 2, "update");
  lua_settop(L, 2);
  guarded(L, "update", [&] {
    s.update(context(L), a);
    return 0;
  });
  lua_settop(L, 1);
  return 1;
}

int l_merge(lua_State* L) {
  ops::OnlineStats& s = check_online(L, 1, "merge");
  ops::OnlineStats& o = check_online(L, 2, "merge");
  lua_settop(L, 1);
  return guarded(L, "merge", [&] {
    s.merge(o);
    return 1;
  });
}

std::int64_t opt_ddof(lua_State* L, int idx, const char* fname) {
  if (lua_isnoneornil(L, idx)) return 0;
  std::int64_t d = check_integer(L, idx, fname, "ddof");
  if (d < 0) raise(L, fname, "ddof must not be negative");
  return d;
}

int l_count(lua_State* L) {
  lua_pushinteger(L, check_online(L, 1, "count").count());
  return 1;
}
int l_mean(lua_State* L) {
  lua_pushnumber(L, check_online(L, 1, "mean").mean());
  return 1;
}
int l_var(lua_State* L) {
  ops::OnlineStats& s = check_online(L, 1, "var");
  lua_pushnumber(L, s.var(opt_ddof(L, 2, "var")));
  return 1;
}
int l_std(lua_State* L) {
  ops::OnlineStats& s = check_online(L, 1, "std");
  lua_pushnumber(L, std::sqrt(s.var(opt_ddof(L, 2, "std"))));
  return 1;
}
int l_min(lua_State* L) {
  lua_pushnumber(L, check_online(L, 1, "min").min());
  return 1;
}
int l_max(lua_State* L) {
  lua_pushnumber(L, check_online(L, 1, "max").max());
  return 1;
}

int l_histogram(lua_State* L) {
  ops::OnlineStats& s = check_online(L, 1, "histogram");
  if (!s.has_histogram())
    raise(L, "histogram",
          "no histogram: make the statistics with ts.stats.online{bins = n, range = {lo, hi}}");
  Array* counts = push_array_slot(L);
  Array* edges = push_array_slot(L);
  guarded(L, "histogram", [&] {
    const auto& h = s.histogram();
    std::int64_t n = static_cast<std::int64_t>(h.size());
    *counts = Array::empty(DType::Int64, Dims{n}, context(L).account);
    for (std::int64_t i = 0; i < n; ++i)
      counts->data_as<std::int64_t>()[i] = h[static_cast<std::size_t>(i)];
    std::vector<double> e = s.edges();
    *edges = Array::empty(DType::Float64, Dims{n + 1}, context(L).account);
    for (std::int64_t i = 0; i <= n; ++i)
      edges->data_as<double>()[i] = e[static_cast<std::size_t>(i)];
    return 0;
  });
  lua_pushinteger(L, s.below());
  lua_pushinteger(L, s.above());
  return 4;
}

int l_gc(lua_State* L) {
  auto* b = static_cast<OnlineBox*>(lua_touserdata(L, 1));
  if (b && b->stats) {
    delete b->stats;
    b->stats = nullptr;
  }
  return 0;
}

int l_tostring(lua_State* L) {
  auto* b = static_cast<OnlineBox*>(lua_touserdata(L, 1));
  if (!b || !b->stats) {
    lua_pushliteral(L, "<online statistics (released)>");
    return 1;
  }
  const ops::OnlineStats& s = *b->stats;
  lua_pushfstring(L, "<online statistics: count %I, mean %f, std %f, min %f, max %f>",
                  static_cast<lua_Integer>(s.count()), s.mean(), std::sqrt(s.var()), s.min(),
                  s.max());
  return 1;
}

const Entry functions[] = {
    {"online", l_online, kFunction, "ts.stats.online([{bins = n, range = {lo, hi}}])",
     "Single-pass statistics for data that arrives block by block (Welford's method; blocks "
     "and their parallel pieces merge with Chan's formula): s:update(block) for arrays or "
     "numbers, then s:count(), s:mean(), s:var([ddof]), s:std([ddof]), s:min(), s:max(), and "
     "with bins and range a histogram as NumPy's histogram(range=...) gives it. NaN makes "
     "mean, var, min and max NaN, as in NumPy."},
};

const Entry methods[] = {
    {"update", l_update, kMethod, "s:update(x)",
     "Adds every element of the array x (any dtype; computed in float64, in parallel for large "
     "blocks) or the number x; returns s."},
    {"merge", l_merge, kMethod, "s:merge(other)",
     "Adds the statistics of other (histograms must have the same bins); returns s."},
    {"count", l_count, kMethod, "s:count()", "The number of values seen."},
    {"mean", l_mean, kMethod, "s:mean()", "The mean (NaN when empty)."},
    {"var", l_var, kMethod, "s:var([ddof])", "The variance, dividing by count - ddof (default 0)."},
    {"std", l_std, kMethod, "s:std([ddof])", "The standard deviation, sqrt(s:var(ddof))."},
    {"min", l_min, kMethod, "s:min()", "The smallest value (NaN when empty)."},
    {"max", l_max, kMethod, "s:max()", "The largest value (NaN when empty)."},
    {"histogram", l_histogram, kMethod, "s:histogram()",
     "counts (int64 array of bins), edges (float64 array of bins + 1), and the numbers of "
     "values below and above the range. Bins are [edge_i, edge_i+1), the last closed."},
};

void setup(lua_State* L, const Tables& t) {
  int stats = module_subtable(L, t, "stats");
  install_entries(L, t, stats, functions, "stats.");
  lua_pop(L, 1);
  luaL_newmetatable(L, kOnlineMeta);
  int mt = lua_gettop(L);
  lua_newtable(L);
  install_entries(L, t, lua_gettop(L), methods, "stats.online.");
  lua_setfield(L, mt, "__index");
  lua_pushcfunction(L, l_gc);
  lua_setfield(L, mt, "__gc");
  lua_pushcfunction(L, l_tostring);
  lua_setfield(L, mt, "__tostring");
  lua_pushstring(L, kOnlineMeta);
  lua_setfield(L, mt, "__name");
  lua_pop(L, 1);
}

const bool registered = (register_part(Part{"stats", 85, nullptr, 0, setup}), true);

}  // namespace
}  // namespace tessera::lua
