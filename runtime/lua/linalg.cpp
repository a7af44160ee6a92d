// ts.linalg: NumPy's numpy.linalg on LAPACK (the dispatch is
// runtime/linalg/linalg.hpp). Functions taking a stack of matrices (...,
// m, n) work on each; 2-d results for one matrix, arrays of the batch shape
// for stacks.
#include <cstring>

#include "../linalg/linalg.hpp"
#include "binding.hpp"
#include "registry.hpp"
#include "subtable.hpp"

namespace tessera::lua {
namespace {

// Pushes N result slots, then runs make(slots) guarded; returns N.
template <int N, class Make>
int push_arrays(lua_State* L, const char* fname, Make&& make) {
  Array* slots[N];
  for (Array*& s : slots) s = push_array_slot(L);
  return guarded(L, fname, [&] {
    make(slots);
    return N;
  });
}

// Replaces the 0-d array at idx by its value (a number, or a complex
// scalar); leaves other arrays.
void array_to_value(lua_State* L, int idx) {
  const Array* a = to_array(L, idx);
  if (!a || a->ndim() != 0) return;
  alignas(16) unsigned char value[16];
  std::memcpy(value, a->data(), a->itemsize());
  push_element(L, a->dtype(), value);
  lua_replace(L, idx);
}

// Raises unless every key of the options table at idx is one of names.
void check_option_keys(lua_State* L, int idx, const char* fname,
                       std::initializer_list<const char*> names) {
  lua_pushnil(L);
  while (lua_next(L, idx) != 0) {
    lua_pop(L, 1);
    bool known = false;
    if (lua_type(L, -1) == LUA_TSTRING)
      for (const char* n : names) known = known || std::strcmp(lua_tostring(L, -1), n) == 0;
    if (!known) raise(L, fname, "unknown option '%s'", luaL_tolstring(L, -1, nullptr));
  }
}

bool opt_bool_field(lua_State* L, int idx, const char* key, bool fallback, const char* fname) {
  int type = lua_getfield(L, idx, key);
  bool v = fallback;
  if (type == LUA_TBOOLEAN) v = lua_toboolean(L, -1);
  else if (type != LUA_TNIL)
    raise(L, fname, "expected a boolean for %s, got %s", key, luaL_typename(L, -1));
  lua_pop(L, 1);
  return v;
}

// A string option given directly at idx or as field `key` of a table there.
const char* opt_string(lua_State* L, int idx, const char* key, const char* fallback,
                       const char* fname) {
  if (lua_type(L, idx) == LUA_TTABLE) {
    check_option_keys(L, idx, fname, {key});
    lua_getfield(L, idx, key);
    idx = lua_gettop(L);
  }
  if (lua_isnoneornil(L, idx)) return fallback;
  if (lua_type(L, idx) != LUA_TSTRING)
    raise(L, fname, "expected a string for %s, got %s", key, luaL_typename(L, idx));
  return lua_tostring(L, idx);
}

int l_solve(lua_State* L) {
  Array& a = check_array(L, 1, "linalg.solve");
  Array& b = check_array(L, 2, "linalg.solve");
  return push_new_array(L, "linalg.solve", [&] { return linalg::solve(context(L), a, b); });
}

int l_inv(lua_State* L) {
  Array& a = check_array(L, 1, "linalg.inv");
  return push_new_array(L, "linalg.inv", [&] { return linalg::inv(context(L), a); });
}

int l_det(lua_State* L) {
  Array& a = check_array(L, 1, "linalg.det");
  push_new_array(L, "linalg.det", [&] { return linalg::det(context(L), a); });
  array_to_value(L, lua_gettop(L));
  return 1;
}

int l_slogdet(lua_State* L) {
  Array& a = check_array(L, 1, "linalg.slogdet");
  push_arrays<2>(L, "linalg.slogdet", [&](Array** s) {
    linalg::SignLogDet r = linalg::slogdet(context(L), a);
    *s[0] = r.sign;
    *s[1] = r.logabsdet;
  });
  array_to_value(L, lua_gettop(L) - 1);
  array_to_value(L, lua_gettop(L));
  return 2;
}

int l_cholesky(lua_State* L) {
  Array& a = check_array(L, 1, "linalg.cholesky");
  return push_new_array(L, "linalg.cholesky", [&] { return linalg::cholesky(context(L), a); });
}

int l_qr(lua_State* L) {
  Array& a = check_array(L, 1, "linalg.qr");
  const char* mode = opt_string(L, 2, "mode", "reduced", "linalg.qr");
  linalg::QrMode m;
  if (std::strcmp(mode, "reduced") == 0) m = linalg::QrMode::Reduced;
  else if (std::strcmp(mode, "complete") == 0) m = linalg::QrMode::Complete;
  else if (std::strcmp(mode, "r") == 0) m = linalg::QrMode::R;
  else raise(L, "linalg.qr", "expected mode 'reduced', 'complete' or 'r', got '%s'", mode);
  if (m == linalg::QrMode::R)
    return push_new_array(L, "linalg.qr", [&] { return linalg::qr(context(L), a, m).r; });
  return push_arrays<2>(L, "linalg.qr", [&](Array** s) {
    linalg::Qr r = linalg::qr(context(L), a, m);
    *s[0] = r.q;
    *s[1] = r.r;
  });
}

int l_svd(lua_State* L) {
  Array& a = check_array(L, 1, "linalg.svd");
  bool full = true, uv = true;
  if (lua_type(L, 2) == LUA_TTABLE) {
    check_option_keys(L, 2, "linalg.svd", {"full_matrices", "compute_uv"});
    full = opt_bool_field(L, 2, "full_matrices", true, "linalg.svd");
    uv = opt_bool_field(L, 2, "compute_uv", true, "linalg.svd");
  } else if (!lua_isnoneornil(L, 2)) {
    raise(L, "linalg.svd", "expected an options table {full_matrices=, compute_uv=}, got %s",
          luaL_typename(L, 2));
  }
  if (!uv)
    return push_new_array(L, "linalg.svd",
                          [&] { return linalg::svd(context(L), a, full, false).s; });
  return push_arrays<3>(L, "linalg.svd", [&](Array** s) {
    linalg::Svd r = linalg::svd(context(L), a, full, true);
    *s[0] = r.u;
    *s[1] = r.s;
    *s[2] = r.vh;
  });
}

bool check_uplo(lua_State* L, const char* fname) {
  const char* uplo = opt_string(L, 2, "UPLO", "L", fname);
  if (std::strcmp(uplo, "L") != 0 && std::strcmp(uplo, "U") != 0)
    raise(L, fname, "expected UPLO 'L' or 'U', got '%s'", uplo);
  return uplo[0] == 'L';
}

int l_eigh(lua_State* L) {
  Array& a = check_array(L, 1, "linalg.eigh");
  const bool lower = check_uplo(L, "linalg.eigh");
  return push_arrays<2>(L, "linalg.eigh", [&](Array** s) {
    linalg::Eig r = linalg::eigh(context(L), a, lower, true);
    *s[0] = r.w;
    *s[1] = r.v;
  });
}

int l_eigvalsh(lua_State* L) {
  Array& a = check_array(L, 1, "linalg.eigvalsh");
  const bool lower = check_uplo(L, "linalg.eigvalsh");
  return push_new_array(L, "linalg.eigvalsh",
                        [&] { return linalg::eigh(context(L), a, lower, false).w; });
}

int l_eig(lua_State* L) {
  Array& a = check_array(L, 1, "linalg.eig");
  return push_arrays<2>(L, "linalg.eig", [&](Array** s) {
    linalg::Eig r = linalg::eig(context(L), a, true);
    *s[0] = r.w;
    *s[1] = r.v;
  });
}

int l_eigvals(lua_State* L) {
  Array& a = check_array(L, 1, "linalg.eigvals");
  return push_new_array(L, "linalg.eigvals", [&] { return linalg::eig(context(L), a, false).w; });
}

int l_lstsq(lua_State* L) {
  Array& a = check_array(L, 1, "linalg.lstsq");
  Array& b = check_array(L, 2, "linalg.lstsq");
  std::optional<double> rcond;
  if (!lua_isnoneornil(L, 3)) {
    if (lua_type(L, 3) != LUA_TNUMBER)
      raise(L, "linalg.lstsq", "expected a number for rcond at argument 3, got %s",
            luaL_typename(L, 3));
    rcond = lua_tonumber(L, 3);
  }
  std::int64_t rank = 0;
  push_arrays<3>(L, "linalg.lstsq", [&](Array** s) {
    linalg::Lstsq r = linalg::lstsq(context(L), a, b, rcond);
    *s[0] = r.x;
    *s[1] = r.residuals;
    *s[2] = r.s;
    rank = r.rank;
  });
  lua_pushinteger(L, rank);
  lua_rotate(L, -2, 1);  // x, residuals, rank, s
  return 4;
}

const Entry functions[] = {
    {"solve", l_solve, kFunction, "ts.linalg.solve(a, b)",
     "x with a @ x = b for square a (..., n, n): b is a vector (n) or matrices (..., n, k); "
     "stacks broadcast. LU with partial pivoting (LAPACK gesv). Errors on a singular matrix."},
    {"inv", l_inv, kFunction, "ts.linalg.inv(a)",
     "The inverse of each square matrix of a (..., n, n). Errors on a singular matrix."},
    {"det", l_det, kFunction, "ts.linalg.det(a)",
     "Determinant by LU (sign from the pivots): a Lua number for one matrix, an array of the "
     "batch shape for a stack (..., n, n). det of a 0x0 matrix is 1."},
    {"slogdet", l_slogdet, kFunction, "ts.linalg.slogdet(a)",
     "sign, logabsdet with det(a) = sign * exp(logabsdet), safe from overflow; sign 0 and "
     "logabsdet -math.huge for a singular matrix. Numbers for one matrix, arrays for a stack."},
    {"cholesky", l_cholesky, kFunction, "ts.linalg.cholesky(a)",
     "Lower-triangular L with L @ L.T = a (L @ conj(L).T for complex) for symmetric (Hermitian) "
     "positive definite a (..., n, n); only the lower triangle of a is read. Errors when a is "
     "not positive definite."},
    {"qr", l_qr, kFunction, "ts.linalg.qr(a [, mode | {mode=}])",
     "QR decomposition of a (..., m, n), k = min(m, n). mode 'reduced' (default): Q (m, k) "
     "with orthonormal columns and upper-triangular R (k, n); 'complete': Q (m, m), R (m, n); "
     "'r': R (k, n) alone. Householder (LAPACK geqrf, orgqr), signs as NumPy."},
    {"svd", l_svd, kFunction, "ts.linalg.svd(a [, {full_matrices=true, compute_uv=true}])",
     "U, S, Vh with a = U @ diag(S) @ Vh for a (..., m, n): S descending (k = min(m, n)), U "
     "(m, m) and Vh (n, n), or (m, k) and (k, n) with full_matrices=false. With "
     "compute_uv=false only S. LAPACK gesdd."},
    {"eigh", l_eigh, kFunction, "ts.linalg.eigh(a [, UPLO | {UPLO=}])",
     "w, v for symmetric (complex: Hermitian) a (..., n, n): real eigenvalues w in ascending "
     "order and eigenvectors as the columns of v (a @ v[:, i] = w[i] * v[:, i]). Reads the "
     "lower triangle (UPLO 'L', default) or the upper ('U'). LAPACK syevd (heevd)."},
    {"eigvalsh", l_eigvalsh, kFunction, "ts.linalg.eigvalsh(a [, UPLO | {UPLO=}])",
     "The eigenvalues of symmetric a in ascending order, as eigh without vectors."},
    {"eig", l_eig, kFunction, "ts.linalg.eig(a)",
     "w, v for square a (..., n, n): eigenvalues w (in LAPACK's order) and unit-norm "
     "eigenvectors as the columns of v. For a real a, real arrays when every eigenvalue is "
     "real, else complex ones (as NumPy). LAPACK geev."},
    {"eigvals", l_eigvals, kFunction, "ts.linalg.eigvals(a)",
     "The eigenvalues of square a, as eig without vectors."},
    {"lstsq", l_lstsq, kFunction, "ts.linalg.lstsq(a, b [, rcond])",
     "x, residuals, rank, s minimizing |b - a @ x| for a (m, n) and b (m) or (m, k): "
     "residuals holds the squared norms of the columns of b - a @ x when rank == n < m (else "
     "empty), s the singular values of a. Singular values below rcond * max(s) count as zero "
     "(default rcond: eps * max(m, n), as NumPy 2). LAPACK gelsd."},
};

void setup(lua_State* L, const Tables& t) {
  int linalg = module_subtable(L, t, "linalg");
  install_entries(L, t, linalg, functions, "linalg.");
  lua_pop(L, 1);
}

const bool registered = (register_part(Part{"linalg", 87, nullptr, 0, setup}), true);

}  // namespace
}  // namespace tessera::lua
