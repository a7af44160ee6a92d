// Selection kernels: moving elements chosen by a bool mask or by integer
// indices. They know only the width of an element, never its dtype: one loop
// per byte width (1, 2, 4, 8; any other width falls back to a run-time
// memcpy) serves every dtype of that size. N-d operands are walked with
// nd_loop.hpp in row-major order.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tessera::kernels {

// An N-d operand: pointer to its first element and one byte stride per
// dimension of the loop's shape (0 where it is broadcast).
struct Strided {
  char* data;
  const std::ptrdiff_t* strides;
};

// The loop's shape.
struct Extents {
  int ndim;
  const std::int64_t* shape;
};

// Number of true elements of a bool operand.
std::int64_t count_true(Extents ext, Strided mask);

// Appends the elements of src where mask is true to the contiguous dst, in
// row-major order (NumPy's a[mask]). dst must hold count_true(ext, mask) elements.
void compress(std::size_t itemsize, Extents ext, Strided src, Strided mask, char* dst);

// Stores the element at value into dst wherever mask is true.
void masked_fill(std::size_t itemsize, Extents ext, Strided dst, Strided mask, const void* value);

// Index conventions: 0-based (NumPy) or 1-based (Lua); negative indices count
// from the end in both.
enum class IndexBase { Zero, One };

// Position of the first index out of range for an extent, or -1 when all fit.
std::int64_t find_bad_index(const std::int64_t* idx, std::int64_t n, std::int64_t extent,
                            IndexBase base);

// Gather along the middle axis of a C-contiguous src viewed as
// (outer, extent, inner): dst[o, k, i] = src[o, idx[k], i], dst C-contiguous
// of shape (outer, n, inner). Indices must have been checked (find_bad_index).
struct TakeLayout {
  std::int64_t outer, extent, inner;
};
void take(std::size_t itemsize, const char* src, TakeLayout layout, const std::int64_t* idx,
          std::int64_t n, IndexBase base, char* dst);

}  // namespace tessera::kernels
