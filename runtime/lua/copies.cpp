// Copying and selection: copy, astype, totable, concatenate, stack, masked,
// take and masked_fill_. (fill_ and copy_ live with the element-wise methods.)
#include <climits>

#include "../ops/elementwise.hpp"
#include "../ops/select.hpp"
#include "binding.hpp"
#include "registry.hpp"

namespace tessera::lua {
namespace {

int l_copy(lua_State* L) {
  Array& a = check_array(L, 1, "copy");
  return push_new_array(L, "copy", [&] { return ops::copy(context(L), a); });
}

int l_astype(lua_State* L) {
  Array& a = check_array(L, 1, "astype");
  if (lua_isnoneornil(L, 2))
    raise(L, "astype", "expected a dtype name at argument 2, got %s", luaL_typename(L, 2));
  DType t = check_dtype(L, 2, "astype", a.dtype());
  return push_new_array(L, "astype", [&] { return ops::astype(context(L), a, t); });
}

// Pushes dimension dim of a, starting at element p, as a (nested) table.
void push_table(lua_State* L, const Array& a, int dim, const char* p) {
  std::int64_t n = a.dim(dim);
  lua_createtable(L, n > INT_MAX ? INT_MAX : static_cast<int>(n), 0);
  std::ptrdiff_t step = a.stride(dim) * static_cast<std::ptrdiff_t>(a.itemsize());
  for (std::int64_t i = 0; i < n; ++i, p += step) {
    if (dim + 1 == a.ndim()) push_element(L, a.dtype(), p);
    else push_table(L, a, dim + 1, p);
    lua_rawseti(L, -2, i + 1);
  }
}

int l_totable(lua_State* L) {
  Array& a = check_array(L, 1, "totable");
  luaL_checkstack(L, a.ndim() + 2, "totable: nested too deeply");
  if (a.ndim() == 0) push_element(L, a.dtype(), a.data());
  else push_table(L, a, 0, static_cast<const char*>(a.data()));
  return 1;
}

// The list of arrays at argument 1, read into a buffer that a userdata pushed
// on the stack owns (no C++ container is alive while checks may raise). The
// list table keeps the arrays alive.
const Array* const* check_array_list(lua_State* L, const char* fname, std::size_t& count) {
  if (lua_type(L, 1) != LUA_TTABLE)
    raise(L, fname, "expected a list of arrays at argument 1, got %s", luaL_typename(L, 1));
  lua_Unsigned n = lua_rawlen(L, 1);
  if (n == 0) raise(L, fname, "expected a non-empty list of arrays, got an empty table");
  auto list = static_cast<const Array**>(lua_newuserdatauv(L, n * sizeof(const Array*), 0));
  for (lua_Unsigned i = 0; i < n; ++i) {
    lua_rawgeti(L, 1, static_cast<lua_Integer>(i + 1));
    const Array* a = to_array(L, -1);
    if (!a)
      raise(L, fname, "expected an array at position %d of the list, got %s", int(i + 1),
            luaL_typename(L, -1));
    if (!a->valid()) raise(L, fname, "array at position %d has been closed", int(i + 1));
    list[i] = a;
    lua_pop(L, 1);
  }
  count = static_cast<std::size_t>(n);
  return list;
}

int l_concatenate(lua_State* L) {
  lua_settop(L, 2);
  std::size_t count = 0;
  const Array* const* list = check_array_list(L, "concatenate", count);
  const Array& first = *list[0];
  if (first.ndim() == 0) raise(L, "concatenate", "cannot concatenate 0-d arrays");
  int axis = lua_isnil(L, 2) ? 0 : check_axis(L, 2, first.ndim(), "concatenate");
  return push_new_array(L, "concatenate",
                        [&] { return ops::concatenate(context(L), list, count, axis); });
}

// Position of a new dimension: 1..ndim+1, negative from the end (-1 appends).
int check_new_axis(lua_State* L, int idx, int ndim, const char* fname) {
  if (lua_isnil(L, idx)) return 0;
  std::int64_t p = check_integer(L, idx, fname, "axis");
  std::int64_t n = ndim + 1;
  std::int64_t i = p < 0 ? n + p : p - 1;
  if (p == 0 || i < 0 || i >= n)
    raise(L, fname, "axis %lld out of range for stacking %d-d arrays", static_cast<long long>(p),
          ndim);
  return static_cast<int>(i);
}

int l_stack(lua_State* L) {
  lua_settop(L, 2);
  std::size_t count = 0;
  const Array* const* list = check_array_list(L, "stack", count);
  int axis = check_new_axis(L, 2, list[0]->ndim(), "stack");
  return push_new_array(L, "stack", [&] { return ops::stack(context(L), list, count, axis); });
}

Array& check_mask(lua_State* L, int idx, const char* fname) {
  Array& mask = check_array(L, idx, fname);
  if (!is_bool(mask.dtype()))
    raise(L, fname, "expected a bool mask at argument %d, got %s array", idx,
          dtype_name(mask.dtype()));
  return mask;
}

int l_masked(lua_State* L) {
  Array& a = check_array(L, 1, "masked");
  Array& mask = check_mask(L, 2, "masked");
  return push_new_array(L, "masked", [&] { return ops::masked(context(L), a, mask); });
}

int l_masked_fill_(lua_State* L) {
  Array& a = check_array(L, 1, "masked_fill_");
  Array& mask = check_mask(L, 2, "masked_fill_");
  if (!is_scalar_value(L, 3))
    raise(L, "masked_fill_", "expected a number, boolean or complex value at argument 3, got %s",
          luaL_typename(L, 3));
  Scalar v = to_scalar(L, 3);
  check_fits(L, v, a.dtype(), "masked_fill_");
  return return_self(L, "masked_fill_", [&] { ops::masked_fill(a, mask, v); });
}

// A Lua list of integers at idx, copied into a userdata buffer pushed on the stack.
const std::int64_t* check_index_list(lua_State* L, int idx, std::int64_t& count) {
  lua_Unsigned n = lua_rawlen(L, idx);
  auto buffer = static_cast<std::int64_t*>(lua_newuserdatauv(L, n * sizeof(std::int64_t), 0));
  for (lua_Unsigned i = 0; i < n; ++i) {
    lua_rawgeti(L, idx, static_cast<lua_Integer>(i + 1));
    buffer[i] = check_integer(L, -1, "take", "index");
    lua_pop(L, 1);
  }
  count = static_cast<std::int64_t>(n);
  return buffer;
}

int l_take(lua_State* L) {
  lua_settop(L, 3);
  Array& a = check_array(L, 1, "take");
  std::optional<int> axis;
  if (!lua_isnil(L, 3)) axis = check_axis(L, 3, a.ndim(), "take");
  const auto base = ops::IndexBase::One;
  if (lua_type(L, 2) == LUA_TTABLE) {
    std::int64_t n = 0;
    const std::int64_t* idx = check_index_list(L, 2, n);
    return push_new_array(L, "take",
                          [&] { return ops::take(context(L), a, idx, Dims{n}, axis, base); });
  }
  Array* indices = test_array(L, 2, "take");
  if (!indices)
    raise(L, "take", "expected an integer array or a list of integers at argument 2, got %s",
          luaL_typename(L, 2));
  if (!is_integer(indices->dtype()))
    raise(L, "take", "expected integer indices, got %s array", dtype_name(indices->dtype()));
  return push_new_array(L, "take", [&] { return ops::take(context(L), a, *indices, axis, base); });
}

const Entry entries[] = {
    {"copy", l_copy, kBoth, "a:copy()",
     "A C-contiguous copy of a (also ts.copy(a)); broadcast and strided views are materialised."},
    {"astype", l_astype, kMethod, "a:astype(dtype)",
     "A copy of a converted to dtype (NaN to integer gives 0, out-of-range floats saturate, "
     "anything to bool is ~= 0; complex to a real dtype keeps the real part and drops the "
     "imaginary part silently, where NumPy warns with ComplexWarning)."},
    {"totable", l_totable, kMethod, "a:totable()",
     "The elements as nested Lua tables in index order (a 0-d array gives the scalar itself): "
     "integers for integer dtypes, floats for float dtypes, complex scalars (ts.complex) for "
     "complex dtypes, booleans for bool."},
    {"concatenate", l_concatenate, kFunction, "ts.concatenate({a, b, ...} [, axis])",
     "Joins arrays along the existing dimension axis (default 1, negative from the end). "
     "Extents must agree except along axis; dtypes promote as in arithmetic."},
    {"stack", l_stack, kFunction, "ts.stack({a, b, ...} [, axis])",
     "Joins arrays of one shape along a new dimension at position axis (1..ndim+1, default 1, "
     "-1 appends); dtypes promote as in arithmetic."},
    {"masked", l_masked, kMethod, "a:masked(mask)",
     "A 1-d copy of the elements of a where the bool mask (broadcast to a's shape) is true, in "
     "row-major order (NumPy's a[mask])."},
    {"take", l_take, kBoth, "a:take(indices [, axis])",
     "A copy of the elements at 1-based indices (negative from the end), given as an integer "
     "array or a list. Without axis, indexes the flattened a and the result has the indices' "
     "shape; with axis, selects along that dimension."},
    {"masked_fill_", l_masked_fill_, kMethod, "a:masked_fill_(mask, value)",
     "Sets the elements of a where the bool mask (broadcast to a's shape) is true to value; "
     "returns a."},
};

const AutoPart part("copies", 50, entries);

}  // namespace
}  // namespace tessera::lua
