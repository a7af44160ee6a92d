// A blocked LU with partial pivoting whose trailing updates run on the
// runtime's threads (not a public header). Right-looking, in LAPACK's getrf
// format (unit lower L and U in a, 1-based row swaps in ipiv): panels of
// kBlock columns are factored by getrf on one thread, then the trailing
// matrix is updated (row swaps, trsm, gemm) in tiles of kTile columns. The
// blocking depends on n only, so results do not depend on ts.threads().
#pragma once

#include <algorithm>
#include <cstdint>

#include "../context.hpp"
#include "lapack.hpp"
#include "tiles.hpp"

namespace tessera::linalg {

inline constexpr std::int64_t kLuBlock = 128;  // columns per factored panel
inline constexpr std::int64_t kLuTile = 256;   // trailing columns per task
// Below this n, LAPACK's getrf on one thread (no update worth splitting).
inline constexpr std::int64_t kLuMinBlocked = 384;

// Factors the column-major n x n matrix a (leading dimension n) in place;
// returns getrf's info (> 0: U(info, info) is exactly zero).
template <class T>
lint blocked_getrf(Context& ctx, std::int64_t n, T* a, lint* ipiv) {
  const lint ln = lint(n);
  lint info = 0;
  for (std::int64_t j = 0; j < n; j += kLuBlock) {
    const std::int64_t jb = std::min(kLuBlock, n - j), rest = n - j - jb;
    T* panel = a + j + j * n;
    lint pinfo = 0;
    one_blas_thread();
    Lapack<T>::getrf(lint(n - j), lint(jb), panel, ln, ipiv + j, pinfo);
    if (pinfo > 0 && info == 0) info = pinfo + lint(j);
    for (std::int64_t i = j; i < j + jb; ++i) ipiv[i] += lint(j);
    if (j > 0) Lapack<T>::laswp(lint(j), a, ln, lint(j + 1), lint(j + jb), ipiv);
    if (rest == 0) continue;
    for_tiles(ctx, (rest + kLuTile - 1) / kLuTile, 1, [&](std::int64_t t) {
      const std::int64_t c0 = j + jb + t * kLuTile, cols = std::min(kLuTile, n - c0);
      T* block = a + c0 * n;
      Lapack<T>::laswp(lint(cols), block, ln, lint(j + 1), lint(j + jb), ipiv);
      Lapack<T>::trsm_lower_unit(lint(jb), lint(cols), panel, ln, block + j, ln);
      Lapack<T>::gemm_sub(lint(rest), lint(cols), lint(jb), panel + jb, ln, block + j, ln,
                          block + j + jb, ln);
    });
  }
  return info;
}

}  // namespace tessera::linalg
