// Views: slice, select, narrow, T, transpose, permute, reshape (a view when
// the layout allows, else a copy), squeeze, unsqueeze, broadcast_to.
#include "../ops/elementwise.hpp"
#include "binding.hpp"
#include "registry.hpp"

namespace tessera::lua {
namespace {

int l_slice(lua_State* L) {
  Array& a = check_array(L, 1, "slice");
  int n = lua_gettop(L) - 1;
  if (n > a.ndim()) raise(L, "slice", "%d ranges given for a %d-d array", n, a.ndim());
  SliceSpec spec;
  spec.n = n;
  for (int i = 0; i < n; ++i) spec.dims[i] = check_range(L, i + 2, a.dim(i), i, "slice");
  return push_new_array(L, "slice", [&] { return apply_slices(a, spec); });
}

int l_select(lua_State* L) {
  Array& a = check_array(L, 1, "select");
  if (a.ndim() == 0) raise(L, "select", "cannot select from a 0-d array");
  int dim = check_axis(L, 2, a.ndim(), "select");
  std::int64_t i =
      check_index(L, check_integer(L, 3, "select", "index"), a.dim(dim), dim, "select");
  return push_new_array(L, "select", [&] { return a.select(dim, i); });
}

int l_narrow(lua_State* L) {
  Array& a = check_array(L, 1, "narrow");
  if (a.ndim() == 0) raise(L, "narrow", "cannot narrow a 0-d array");
  int dim = check_axis(L, 2, a.ndim(), "narrow");
  std::int64_t first =
      check_index(L, check_integer(L, 3, "narrow", "start"), a.dim(dim), dim, "narrow");
  std::int64_t length = check_integer(L, 4, "narrow", "length");
  if (length < 0 || length > a.dim(dim) - first)
    raise(L, "narrow", "length %lld from index %lld exceeds dimension %d of size %lld",
          static_cast<long long>(length), static_cast<long long>(first + 1), dim + 1,
          static_cast<long long>(a.dim(dim)));
  return push_new_array(L, "narrow", [&] { return a.narrow(dim, first, length); });
}

int l_T(lua_State* L) {
  Array& a = check_array(L, 1, "T");
  return push_new_array(L, "T", [&] { return a.T(); });
}

int l_transpose(lua_State* L) {
  Array& a = check_array(L, 1, "transpose");
  if (lua_isnoneornil(L, 2)) return push_new_array(L, "transpose", [&] { return a.T(); });
  if (a.ndim() == 0) raise(L, "transpose", "cannot transpose dimensions of a 0-d array");
  int d1 = check_axis(L, 2, a.ndim(), "transpose");
  int d2 = check_axis(L, 3, a.ndim(), "transpose");
  return push_new_array(L, "transpose", [&] { return a.transpose(d1, d2); });
}

// Reads axes given as a table or as numbers from idx on.
Dims check_axes(lua_State* L, int idx, const Array& a, const char* fname) {
  Dims axes;
  if (lua_type(L, idx) == LUA_TTABLE) {
    lua_Integer n = luaL_len(L, idx);
    if (n != a.ndim()) raise(L, fname, "expected %d axes, got %d", a.ndim(), int(n));
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_geti(L, idx, i);
      axes.v[axes.n++] = check_axis(L, lua_gettop(L), a.ndim(), fname);
      lua_pop(L, 1);
    }
    return axes;
  }
  int n = lua_gettop(L) - idx + 1;
  if (n != a.ndim()) raise(L, fname, "expected %d axes, got %d", a.ndim(), n);
  for (int i = 0; i < n; ++i) axes.v[axes.n++] = check_axis(L, idx + i, a.ndim(), fname);
  return axes;
}

int l_permute(lua_State* L) {
  Array& a = check_array(L, 1, "permute");
  Dims axes = check_axes(L, 2, a, "permute");
  return push_new_array(L, "permute", [&] { return a.permute(axes); });
}

// Shape for reshape: a table or numbers; one entry may be -1 (inferred).
Dims check_reshape(lua_State* L, const Array& a) {
  Dims shape;
  int infer = -1;
  auto take = [&](int idx) {
    std::int64_t v = check_integer(L, idx, "reshape", "dimension");
    if (v == -1) {
      if (infer >= 0) raise(L, "reshape", "only one dimension can be -1");
      infer = shape.n;
      v = 1;
    } else if (v < 0) {
      raise(L, "reshape", "negative dimension %lld", static_cast<long long>(v));
    }
    if (shape.n >= kMaxDims) raise(L, "reshape", "at most %d dimensions", kMaxDims);
    shape.v[shape.n++] = v;
  };
  if (lua_type(L, 2) == LUA_TTABLE) {
    lua_Integer n = luaL_len(L, 2);
    for (lua_Integer i = 1; i <= n; ++i) {
      lua_geti(L, 2, i);
      take(lua_gettop(L));
      lua_pop(L, 1);
    }
  } else {
    for (int i = 2; i <= lua_gettop(L); ++i) take(i);
  }
  std::int64_t known = 1;
  for (int i = 0; i < shape.n; ++i)
    if (shape[i] == 0) known = 0;
  for (int i = 0; i < shape.n && known != 0; ++i) {
    if (known > INT64_MAX / shape[i])  // too large to match any size
      raise(L, "reshape", "cannot reshape array of size %lld into a shape that large",
            static_cast<long long>(a.size()));
    known *= shape[i];
  }
  if (infer >= 0) {
    if (known == 0 || a.size() % known != 0)
      raise(L, "reshape", "cannot reshape array of size %lld into shape with -1",
            static_cast<long long>(a.size()));
    shape[infer] = a.size() / known;
  } else if (known != a.size()) {
    raise(L, "reshape", "cannot reshape array of size %lld into %d-d shape of size %lld",
          static_cast<long long>(a.size()), shape.n, static_cast<long long>(known));
  }
  return shape;
}

int l_reshape(lua_State* L) {
  Array& a = check_array(L, 1, "reshape");
  Dims shape = check_reshape(L, a);
  return push_new_array(L, "reshape", [&] { return ops::reshape(context(L), a, shape); });
}

int l_flatten(lua_State* L) {
  Array& a = check_array(L, 1, "flatten");
  return push_new_array(L, "flatten",
                        [&] { return ops::copy(context(L), a).view_as(Dims{a.size()}); });
}

int l_squeeze(lua_State* L) {
  Array& a = check_array(L, 1, "squeeze");
  if (lua_isnoneornil(L, 2)) return push_new_array(L, "squeeze", [&] { return a.squeeze(); });
  if (a.ndim() == 0) raise(L, "squeeze", "cannot squeeze a dimension of a 0-d array");
  int dim = check_axis(L, 2, a.ndim(), "squeeze");
  if (a.dim(dim) != 1)
    raise(L, "squeeze", "cannot squeeze dimension %d of size %lld", dim + 1,
          static_cast<long long>(a.dim(dim)));
  return push_new_array(L, "squeeze", [&] { return a.squeeze(dim); });
}

int l_unsqueeze(lua_State* L) {
  Array& a = check_array(L, 1, "unsqueeze");
  // Positions run 1..ndim+1, negative from the end (-1 appends).
  std::int64_t d = check_integer(L, 2, "unsqueeze", "dimension");
  std::int64_t n = a.ndim() + 1;
  std::int64_t i = d < 0 ? n + d : d - 1;
  if (d == 0 || i < 0 || i >= n)
    raise(L, "unsqueeze", "dimension %lld out of range for %d-d array", static_cast<long long>(d),
          a.ndim());
  return push_new_array(L, "unsqueeze", [&] { return a.unsqueeze(static_cast<int>(i)); });
}

int l_broadcast_to(lua_State* L) {
  Array& a = check_array(L, 1, "broadcast_to");
  Dims shape = check_shape(L, 2, "broadcast_to");
  return push_new_array(L, "broadcast_to", [&] { return a.broadcast_to(shape); });
}

const Entry entries[] = {
    {"slice", l_slice, kMethod, "a:slice(r1, r2, ...)",
     "A view. Each ri is {first, last [, step]} (1-based, inclusive, negative from the end, "
     "clamped), {} or ':' for everything, or a number that selects one index and drops the "
     "dimension. Also a[{ {1,3}, ':' }]."},
    {"select", l_select, kMethod, "a:select(dim, i)",
     "The view at index i of dimension dim, with that dimension removed."},
    {"narrow", l_narrow, kMethod, "a:narrow(dim, first, length)",
     "The view of length elements of dimension dim starting at first."},
    {"T", l_T, kMethod, "a:T()", "The view with all dimensions reversed (the transpose)."},
    {"transpose", l_transpose, kMethod, "a:transpose([d1, d2])",
     "The view with dimensions d1 and d2 swapped (all reversed when none are given)."},
    {"permute", l_permute, kMethod, "a:permute(d1, d2, ...)",
     "The view whose dimension i is a's dimension di."},
    {"reshape", l_reshape, kBoth, "a:reshape(shape)",
     "The same elements in a new shape (a table or dimensions; one may be -1). A view when the "
     "strides allow it, otherwise a copy, as NumPy's reshape."},
    {"flatten", l_flatten, kMethod, "a:flatten()", "A 1-d copy of a in row-major order."},
    {"squeeze", l_squeeze, kMethod, "a:squeeze([dim])",
     "The view without dimensions of extent 1 (or without dimension dim, which must be 1)."},
    {"unsqueeze", l_unsqueeze, kMethod, "a:unsqueeze(dim)",
     "The view with a new dimension of extent 1 at position dim (1..ndim+1, -1 appends)."},
    {"broadcast_to", l_broadcast_to, kBoth, "a:broadcast_to(shape)",
     "A read-only-by-convention view of a broadcast to shape (stride 0 along new dimensions)."},
};

const AutoPart part("views", 30, entries);

}  // namespace
}  // namespace tessera::lua
