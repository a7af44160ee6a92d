// The array userdata: lifetime (__gc, __close), attributes, element access,
// Torch-style indexing a[i], a[{ {1,3}, ':' }] and assignment through it.
#include <cstring>

#include "../ops/elementwise.hpp"
#include "binding.hpp"
#include "registry.hpp"

namespace tessera::lua {
namespace {

// __gc and __close: release the storage but leave a valid (closed) Array
// behind. For __gc: a finalizer of another object can resurrect this handle,
// and using it must then raise "array has been closed", not touch a
// destroyed object; an empty Array owns nothing, so never running its
// destructor leaks nothing. For __close: `local a <close> = ...` releases the
// storage at scope end; the handle stays, closed, and any later use raises
// an error.
int l_release(lua_State* L) {
  if (Array* a = to_array(L, 1)) *a = Array();
  return 0;
}

void push_dims(lua_State* L, const Dims& d) {
  lua_createtable(L, d.n, 0);
  for (int i = 0; i < d.n; ++i) {
    lua_pushinteger(L, d[i]);
    lua_rawseti(L, -2, i + 1);
  }
}

// Reads the indices at from..from+ndim-1 into 0-based idx.
void check_indices(lua_State* L, const Array& a, int from, int count, std::int64_t* idx,
                   const char* fname) {
  if (count != a.ndim())
    raise(L, fname, "expected %d indices for a %d-d array, got %d", a.ndim(), a.ndim(), count);
  for (int d = 0; d < a.ndim(); ++d)
    idx[d] = check_index(L, check_integer(L, from + d, fname, "index"), a.dim(d), d, fname);
}

int l_get(lua_State* L) {
  Array& a = check_array(L, 1, "get");
  std::int64_t idx[kMaxDims];
  check_indices(L, a, 2, lua_gettop(L) - 1, idx, "get");
  push_element(L, a.dtype(), a.element_ptr(idx));
  return 1;
}

void check_value(lua_State* L, int idx, const char* fname) {
  if (!is_scalar_value(L, idx))
    raise(L, fname, "expected a number, boolean or complex value, got %s", luaL_typename(L, idx));
}

int l_set(lua_State* L) {
  Array& a = check_array(L, 1, "set");
  int top = lua_gettop(L);
  check_value(L, top, "set");
  std::int64_t idx[kMaxDims];
  check_indices(L, a, 2, top - 2, idx, "set");
  Scalar v = to_scalar(L, top);
  check_fits(L, v, a.dtype(), "set");
  v.store(a.dtype(), a.element_ptr(idx));
  return 0;
}

int l_strides(lua_State* L) {
  push_dims(L, check_array(L, 1, "strides").strides());
  return 1;
}

int l_is_contiguous(lua_State* L) {
  lua_pushboolean(L, check_array(L, 1, "is_contiguous").is_contiguous());
  return 1;
}

int l_len(lua_State* L) {
  Array& a = check_array(L, 1, "len");
  if (a.ndim() == 0) raise(L, "len", "a 0-d array has no length");
  lua_pushinteger(L, a.dim(0));
  return 1;
}

// Parses an index key (integer or table of ranges) into a spec.
void check_key(lua_State* L, const Array& a, int key, SliceSpec& spec, const char* fname) {
  if (lua_type(L, key) == LUA_TNUMBER) {
    if (a.ndim() == 0) raise(L, fname, "cannot index a 0-d array");
    spec.n = 1;
    spec.dims[0] = check_range(L, key, a.dim(0), 0, fname);
    return;
  }
  if (lua_type(L, key) != LUA_TTABLE)
    raise(L, fname, "expected an integer, a table of ranges or a method name, got %s",
          luaL_typename(L, key));
  lua_Integer n = luaL_len(L, key);
  if (n > a.ndim()) raise(L, fname, "too many indices (%d) for a %d-d array", int(n), a.ndim());
  spec.n = static_cast<int>(n);
  for (int i = 0; i < spec.n; ++i) {
    lua_geti(L, key, i + 1);
    spec.dims[i] = check_range(L, lua_gettop(L), a.dim(i), i, fname);
    lua_pop(L, 1);
  }
}

// __index: methods first (upvalue 2), then attributes, then indexing.
int l_index(lua_State* L) {
  if (lua_type(L, 2) == LUA_TSTRING) {
    lua_pushvalue(L, 2);
    if (lua_rawget(L, lua_upvalueindex(2)) != LUA_TNIL) return 1;
    lua_pop(L, 1);
    Array& a = check_array(L, 1, "index");
    const char* k = lua_tostring(L, 2);
    if (std::strcmp(k, "shape") == 0) push_dims(L, a.shape());
    else if (std::strcmp(k, "dtype") == 0) lua_pushstring(L, dtype_name(a.dtype()));
    else if (std::strcmp(k, "ndim") == 0) lua_pushinteger(L, a.ndim());
    else if (std::strcmp(k, "size") == 0) lua_pushinteger(L, a.size());
    else lua_pushnil(L);
    return 1;
  }
  Array& a = check_array(L, 1, "index");
  SliceSpec spec;
  check_key(L, a, 2, spec, "index");
  if (spec.n == a.ndim() && a.ndim() > 0) {  // all plain numbers: a scalar
    bool all_drop = true;
    for (int i = 0; i < spec.n; ++i) all_drop = all_drop && spec.dims[i].drop;
    if (all_drop) {
      std::int64_t idx[kMaxDims];
      for (int i = 0; i < spec.n; ++i) idx[i] = spec.dims[i].start;
      push_element(L, a.dtype(), a.element_ptr(idx));
      return 1;
    }
  }
  return push_new_array(L, "index", [&] { return apply_slices(a, spec); });
}

// __newindex: a[i] = v and a[{...}] = v fill with a number or copy an array
// (broadcast, cast) into the selected part.
int l_newindex(lua_State* L) {
  Array& a = check_array(L, 1, "newindex");
  if (lua_type(L, 2) == LUA_TSTRING)
    raise(L, "newindex", "cannot assign field '%s' of an array", lua_tostring(L, 2));
  SliceSpec spec;
  check_key(L, a, 2, spec, "newindex");
  Array* src = test_array(L, 3, "newindex");
  if (!src) check_value(L, 3, "newindex");
  Scalar value = src ? Scalar() : to_scalar(L, 3);
  if (!src) check_fits(L, value, a.dtype(), "newindex");
  return guarded(L, "newindex", [&] {
    Array target = apply_slices(a, spec);
    if (src) ops::copy_into(target, *src);
    else ops::fill(target, value);
    return 0;
  });
}

const Entry entries[] = {
    {"__gc", l_release, kMeta, "", ""},
    {"__close", l_release, kMeta, "", ""},
    {"__len", l_len, kMeta, "#a", ""},
    {"__newindex", l_newindex, kMeta, "", ""},
    {"get", l_get, kMethod, "a:get(i, j, ...)",
     "The element at the given 1-based indices (negative counts from the end) as a Lua number, "
     "boolean or complex scalar (ts.complex). One index per dimension."},
    {"set", l_set, kMethod, "a:set(i, j, ..., value)",
     "Stores value at the given 1-based indices, converted to the array's dtype."},
    {"strides", l_strides, kMethod, "a:strides()",
     "The strides of each dimension as a table, counted in elements (not bytes)."},
    {"is_contiguous", l_is_contiguous, kMethod, "a:is_contiguous()",
     "True when the elements are laid out in row-major order without gaps."},
};

void setup(lua_State* L, const Tables& t) {
  lua_pushvalue(L, t.context);
  lua_pushvalue(L, t.methods);
  lua_pushcclosure(L, l_index, 2);
  lua_setfield(L, t.meta, "__index");
  lua_pushstring(L, kArrayMeta);
  lua_setfield(L, t.meta, "__name");
}

const AutoPart part("array", 0, entries, setup);

}  // namespace
}  // namespace tessera::lua
