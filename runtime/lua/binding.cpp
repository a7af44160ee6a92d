#include "binding.hpp"

#include <cstdarg>
#include <new>

namespace tessera::lua {

Context& context(lua_State* L) {
  return **static_cast<Context**>(lua_touserdata(L, lua_upvalueindex(1)));
}

void raise(lua_State* L, const char* fname, const char* fmt, ...) {
  char message[512];
  va_list ap;
  va_start(ap, fmt);
  std::vsnprintf(message, sizeof message, fmt, ap);
  va_end(ap);
  luaL_where(L, 1);
  lua_pushfstring(L, "%s: %s", fname, message);
  lua_concat(L, 2);
  lua_error(L);
  std::abort();  // not reached
}

// The array metatable is also stored in the registry under a light-userdata
// key: looking it up by pointer avoids hashing and comparing its name on
// every call, and works in any C function, whatever its upvalues.
static const char array_meta_key = 0;

void remember_array_meta(lua_State* L, int meta) {
  lua_pushvalue(L, meta);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &array_meta_key);
}

static void push_array_meta(lua_State* L) { lua_rawgetp(L, LUA_REGISTRYINDEX, &array_meta_key); }

Array* to_array(lua_State* L, int idx) {
  void* p = lua_touserdata(L, idx);
  if (p == nullptr || !lua_getmetatable(L, idx)) return nullptr;
  push_array_meta(L);
  bool same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same ? static_cast<Array*>(p) : nullptr;
}

Array* test_array(lua_State* L, int idx, const char* fname) {
  Array* a = to_array(L, idx);
  if (a && !a->valid()) raise(L, fname, "array has been closed");
  return a;
}

Array& check_array(lua_State* L, int idx, const char* fname) {
  Array* a = to_array(L, idx);
  if (!a) raise(L, fname, "expected an array at argument %d, got %s", idx, luaL_typename(L, idx));
  if (!a->valid()) raise(L, fname, "array has been closed");
  return *a;
}

bool is_number_or_bool(lua_State* L, int idx) {
  int t = lua_type(L, idx);
  return t == LUA_TNUMBER || t == LUA_TBOOLEAN;
}

bool is_scalar_value(lua_State* L, int idx) {
  return is_number_or_bool(L, idx) || to_complex(L, idx) != nullptr;
}

void push_complex(lua_State* L, double re, double im) {
  void* p = lua_newuserdatauv(L, sizeof(std::complex<double>), 0);
  new (p) std::complex<double>(re, im);
  luaL_setmetatable(L, kComplexMeta);
}

const std::complex<double>* to_complex(lua_State* L, int idx) {
  return static_cast<const std::complex<double>*>(luaL_testudata(L, idx, kComplexMeta));
}

Scalar to_scalar(lua_State* L, int idx) {
  if (const std::complex<double>* z = to_complex(L, idx))
    return Scalar::complex(z->real(), z->imag());
  if (lua_type(L, idx) == LUA_TBOOLEAN) return Scalar::boolean(lua_toboolean(L, idx));
  if (lua_isinteger(L, idx)) return Scalar::integer(lua_tointeger(L, idx));
  return Scalar::number(lua_tonumber(L, idx));
}

void check_fits(lua_State* L, const Scalar& s, DType t, const char* fname) {
  if (s.kind == ScalarKind::Complex && !is_complex(t))
    raise(L, fname, "cannot store a complex value in a %s array", dtype_name(t));
  if (is_integer(t) && !s.fits(t))
    raise(L, fname, "Lua integer %lld is out of range for %s", static_cast<long long>(s.i),
          dtype_name(t));
}

void pace_collector(lua_State* L) {
  Context& ctx = context(L);
  switch (ctx.collection_due()) {
    case Context::Collection::None: return;
    case Context::Collection::Step:
      ctx.stepped();
      lua_gc(L, LUA_GCSTEP, 0);
      return;
    case Context::Collection::Full:
      lua_gc(L, LUA_GCCOLLECT);
      ctx.collected();
      return;
  }
}

Array* push_array_slot(lua_State* L) {
  pace_collector(L);
  void* p = lua_newuserdatauv(L, sizeof(Array), 0);
  Array* a = new (p) Array();
  push_array_meta(L);
  lua_setmetatable(L, -2);
  return a;
}

void push_array(lua_State* L, const Array& a) {
  Array* slot = push_array_slot(L);
  *slot = a;  // copying a view allocates nothing and cannot throw
}

DType check_dtype(lua_State* L, int idx, const char* fname, DType fallback) {
  if (lua_isnoneornil(L, idx)) return fallback;
  if (lua_type(L, idx) != LUA_TSTRING)
    raise(L, fname, "expected a dtype name at argument %d, got %s", idx, luaL_typename(L, idx));
  size_t len;
  const char* s = lua_tolstring(L, idx, &len);
  auto t = parse_dtype(std::string_view(s, len));
  if (!t) raise(L, fname, "unknown dtype '%s'", s);
  return *t;
}

std::int64_t check_integer(lua_State* L, int idx, const char* fname, const char* what) {
  int isnum = 0;
  lua_Integer v = lua_type(L, idx) == LUA_TNUMBER ? lua_tointegerx(L, idx, &isnum) : 0;
  if (!isnum) {
    if (lua_type(L, idx) == LUA_TNUMBER)
      raise(L, fname, "expected an integer %s, got %s", what, lua_tostring(L, idx));
    raise(L, fname, "expected an integer %s, got %s", what, luaL_typename(L, idx));
  }
  return v;
}

static std::int64_t check_extent(lua_State* L, int idx, const char* fname) {
  std::int64_t n = check_integer(L, idx, fname, "dimension");
  if (n < 0) raise(L, fname, "negative dimension %lld", static_cast<long long>(n));
  return n;
}

Dims check_shape(lua_State* L, int idx, const char* fname) {
  Dims d;
  if (lua_type(L, idx) == LUA_TTABLE) {
    lua_Integer n = luaL_len(L, idx);
    if (n > kMaxDims) raise(L, fname, "at most %d dimensions, got %d", kMaxDims, int(n));
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_geti(L, idx, i);
      d.v[d.n++] = check_extent(L, -1, fname);
      lua_pop(L, 1);
    }
    return d;
  }
  int top = lua_gettop(L);
  if (top < idx || lua_type(L, idx) != LUA_TNUMBER)
    raise(L, fname, "expected a shape (a table or dimensions) at argument %d, got %s", idx,
          luaL_typename(L, idx));
  for (int i = idx; i <= top && lua_type(L, i) == LUA_TNUMBER; ++i) {
    if (d.n >= kMaxDims) raise(L, fname, "at most %d dimensions", kMaxDims);
    d.v[d.n++] = check_extent(L, i, fname);
  }
  return d;
}

std::int64_t check_index(lua_State* L, std::int64_t index, std::int64_t size, int dim,
                         const char* fname) {
  std::int64_t i = index < 0 ? size + index : index - 1;
  if (index == 0 || i < 0 || i >= size)
    raise(L, fname, "index %lld out of range for dimension %d of size %lld",
          static_cast<long long>(index), dim + 1, static_cast<long long>(size));
  return i;
}

int check_axis(lua_State* L, int idx, int ndim, const char* fname) {
  std::int64_t a = check_integer(L, idx, fname, "axis");
  std::int64_t i = a < 0 ? ndim + a : a - 1;
  if (a == 0 || i < 0 || i >= ndim)
    raise(L, fname, "axis %lld out of range for %d-d array", static_cast<long long>(a), ndim);
  return static_cast<int>(i);
}

Array* opt_out(lua_State* L, int idx, const char* fname) {
  if (lua_isnoneornil(L, idx)) return nullptr;
  if (lua_type(L, idx) == LUA_TTABLE) {
    lua_getfield(L, idx, "out");
    Array* out = nullptr;
    if (!lua_isnil(L, -1)) {
      out = to_array(L, -1);
      if (!out) raise(L, fname, "expected an array for 'out', got %s", luaL_typename(L, -1));
    }
    lua_pop(L, 1);  // the table argument keeps the array alive
    if (out && !out->valid()) raise(L, fname, "out array has been closed");
    return out;
  }
  return &check_array(L, idx, fname);
}

}  // namespace tessera::lua

namespace tessera::lua {

void push_element(lua_State* L, DType t, const void* p) {
  visit_dtype(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T v = *static_cast<const T*>(p);
    if constexpr (std::is_same_v<T, bool>) lua_pushboolean(L, v);
    else if constexpr (is_complex_v<T>) push_complex(L, v.real(), v.imag());
    else if constexpr (std::is_floating_point_v<T>) lua_pushnumber(L, static_cast<lua_Number>(v));
    else lua_pushinteger(L, static_cast<lua_Integer>(v));
  });
}

static std::int64_t lua_bound(std::int64_t v, std::int64_t size) {
  return v < 0 ? size + v : v - 1;
}
static std::int64_t clamp(std::int64_t v, std::int64_t lo, std::int64_t hi) {
  return v < lo ? lo : v > hi ? hi : v;
}

DimRange check_range(lua_State* L, int idx, std::int64_t size, int dim, const char* fname) {
  DimRange r;
  int type = lua_type(L, idx);
  if (type == LUA_TNUMBER) {
    std::int64_t i = check_integer(L, idx, fname, "index");
    r.start = check_index(L, i, size, dim, fname);
    r.count = 1;
    r.drop = true;
    return r;
  }
  if (type == LUA_TSTRING) {
    const char* s = lua_tostring(L, idx);
    if (s[0] != ':' || s[1] != '\0')
      raise(L, fname, "expected a range {first, last [, step]} or ':' for dimension %d, got '%s'",
            dim + 1, s);
    r.count = size;
    return r;
  }
  if (type != LUA_TTABLE && type != LUA_TNIL && type != LUA_TNONE)
    raise(L, fname, "expected a range {first, last [, step]} for dimension %d, got %s", dim + 1,
          luaL_typename(L, idx));
  if (type != LUA_TTABLE) {
    r.count = size;
    return r;
  }
  std::int64_t step = 1;
  if (lua_geti(L, idx, 3) != LUA_TNIL) step = check_integer(L, -1, fname, "step");
  lua_pop(L, 1);
  if (step == 0) raise(L, fname, "step must not be zero for dimension %d", dim + 1);
  std::int64_t first = step > 0 ? 1 : -1, last = step > 0 ? -1 : 1;
  if (lua_geti(L, idx, 1) != LUA_TNIL) first = check_integer(L, -1, fname, "range start");
  lua_pop(L, 1);
  bool has_last = lua_geti(L, idx, 2) != LUA_TNIL;
  if (has_last) last = check_integer(L, -1, fname, "range end");
  lua_pop(L, 1);
  std::int64_t f = lua_bound(first, size), l = lua_bound(last, size);
  if (step > 0) {
    f = clamp(f, 0, size);
    l = clamp(l, -1, size - 1);
    r.count = l >= f ? (l - f) / step + 1 : 0;
  } else {
    f = clamp(f, -1, size - 1);
    l = clamp(l, 0, size);
    r.count = f >= l ? (l - f) / step + 1 : 0;  // not -step: it overflows for mininteger
  }
  r.start = r.count > 0 ? f : 0;
  // With at most one element the step is irrelevant; normalising it keeps
  // stride * step from overflowing for huge steps.
  r.step = r.count > 1 ? step : step > 0 ? 1 : -1;
  return r;
}

Array apply_slices(const Array& a, const SliceSpec& spec) {
  Array v = a;
  int dim = 0;  // dimension of v that spec.dims[i] refers to
  for (int i = 0; i < spec.n; ++i) {
    const DimRange& r = spec.dims[i];
    if (r.drop) {
      v = v.select(dim, r.start);
    } else {
      v = v.slice(dim, r.start, r.count, r.step);
      ++dim;
    }
  }
  return v;
}

}  // namespace tessera::lua
