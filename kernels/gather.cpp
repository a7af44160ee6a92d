#include "gather.hpp"

#include <cstring>
#include <type_traits>

#include "nd_loop.hpp"

namespace tessera::kernels {
namespace {

// Calls f(std::integral_constant<size_t, W>) with W the element width, or 0
// for a width without its own loop (the loop then copies itemsize bytes).
template <class F>
void with_width(std::size_t itemsize, F&& f) {
  switch (itemsize) {
    case 1:
      return f(std::integral_constant<std::size_t, 1>{});
    case 2:
      return f(std::integral_constant<std::size_t, 2>{});
    case 4:
      return f(std::integral_constant<std::size_t, 4>{});
    case 8:
      return f(std::integral_constant<std::size_t, 8>{});
    default:
      return f(std::integral_constant<std::size_t, 0>{});
  }
}

// Runs line(ptrs, inner byte strides, n) over K operands sharing ext.
template <int K, class Line>
void walk(Extents ext, const Strided (&ops)[K], Line&& line) {
  const std::ptrdiff_t* rows[K];
  char* base[K];
  for (int k = 0; k < K; ++k) {
    rows[k] = ops[k].strides;
    base[k] = ops[k].data;
  }
  run_plan<K>(make_plan<K>(ext.ndim, ext.shape, rows), base, line);
}

bool is_set(const char* p) {
  return *reinterpret_cast<const unsigned char*>(p) != 0;
}

std::int64_t normalize(std::int64_t i, std::int64_t extent, IndexBase base) {
  if (i < 0) return i + extent;
  return base == IndexBase::One ? i - 1 : i;
}

}  // namespace

std::int64_t count_true(Extents ext, Strided mask) {
  std::int64_t count = 0;
  const Strided ops[1] = {mask};
  walk<1>(ext, ops, [&](char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
    for (std::int64_t i = 0; i < n; ++i) count += is_set(p[0] + i * s[0]);
  });
  return count;
}

void compress(std::size_t itemsize, Extents ext, Strided src, Strided mask, char* dst) {
  const Strided ops[2] = {src, mask};
  with_width(itemsize, [&](auto width) {
    constexpr std::size_t W = decltype(width)::value;
    const std::size_t w = W ? W : itemsize;
    walk<2>(ext, ops, [&](char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i) {
        if (!is_set(p[1] + i * s[1])) continue;
        std::memcpy(dst, p[0] + i * s[0], W ? W : w);
        dst += w;
      }
    });
  });
}

void masked_fill(std::size_t itemsize, Extents ext, Strided dst, Strided mask, const void* value) {
  const Strided ops[2] = {dst, mask};
  with_width(itemsize, [&](auto width) {
    constexpr std::size_t W = decltype(width)::value;
    const std::size_t w = W ? W : itemsize;
    walk<2>(ext, ops, [&](char* const* p, const std::ptrdiff_t* s, std::int64_t n) {
      for (std::int64_t i = 0; i < n; ++i)
        if (is_set(p[1] + i * s[1])) std::memcpy(p[0] + i * s[0], value, W ? W : w);
    });
  });
}

std::int64_t find_bad_index(const std::int64_t* idx, std::int64_t n, std::int64_t extent,
                            IndexBase base) {
  for (std::int64_t k = 0; k < n; ++k) {
    if (base == IndexBase::One && idx[k] == 0) return k;
    std::int64_t j = normalize(idx[k], extent, base);
    if (j < 0 || j >= extent) return k;
  }
  return -1;
}

void take(std::size_t itemsize, const char* src, TakeLayout layout, const std::int64_t* idx,
          std::int64_t n, IndexBase base, char* dst) {
  if (layout.outer == 0 || layout.inner == 0 || n == 0) return;
  const std::ptrdiff_t row = layout.inner * static_cast<std::ptrdiff_t>(itemsize);
  const std::ptrdiff_t plane = layout.extent * row;
  if (layout.inner != 1) {
    for (std::int64_t o = 0; o < layout.outer; ++o, src += plane)
      for (std::int64_t k = 0; k < n; ++k, dst += row)
        std::memcpy(dst, src + normalize(idx[k], layout.extent, base) * row,
                    static_cast<std::size_t>(row));
    return;
  }
  with_width(itemsize, [&](auto width) {
    constexpr std::size_t W = decltype(width)::value;
    const std::ptrdiff_t w = static_cast<std::ptrdiff_t>(W ? W : itemsize);
    for (std::int64_t o = 0; o < layout.outer; ++o, src += plane)
      for (std::int64_t k = 0; k < n; ++k, dst += w)
        std::memcpy(dst, src + normalize(idx[k], layout.extent, base) * w, W ? W : itemsize);
  });
}

}  // namespace tessera::kernels
