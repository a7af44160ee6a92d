// N-d iteration over K operands that share one shape. Dimensions are first
// coalesced (adjacent dimensions that are contiguous for every operand merge),
// then the innermost dimension is handed to a line function as
// (pointers, byte strides, length), so that the hot loop is a flat 1-D loop
// whose strides are contiguous or 0 (broadcast) in the common cases.
#pragma once

#include <cstddef>
#include <cstdint>
#include <utility>

namespace tessera::kernels {

inline constexpr int kMaxLoopDims = 16;

template <int K>
struct LoopPlan {
  int ndim = 0;
  std::int64_t shape[kMaxLoopDims];
  std::ptrdiff_t strides[K][kMaxLoopDims];  // bytes
};

// Builds a plan from a shape and K operands' byte strides, dropping extent-1
// dimensions and merging dimensions that are contiguous for every operand.
//
// With reorder, dimensions are first sorted by decreasing |stride| of the
// last operand (the output), as NumPy's iterator does, so that a transposed
// layout still runs as one contiguous line. Only for loops whose elements are
// independent of each other's order.
template <int K>
LoopPlan<K> make_plan(int ndim, const std::int64_t* shape,
                      const std::ptrdiff_t* const* strides, bool reorder = false) {
  LoopPlan<K> p;
  int order[kMaxLoopDims];
  for (int d = 0; d < ndim; ++d) order[d] = d;
  if (reorder) {
    auto mag = [&](int d) { return strides[K - 1][d] < 0 ? -strides[K - 1][d] : strides[K - 1][d]; };
    for (int i = 1; i < ndim; ++i)  // insertion sort: stable, ndim is small
      for (int j = i; j > 0 && mag(order[j - 1]) < mag(order[j]); --j)
        std::swap(order[j - 1], order[j]);
  }
  for (int i = 0; i < ndim; ++i) {
    const int d = order[i];
    if (shape[d] == 1) continue;
    if (p.ndim > 0) {
      int last = p.ndim - 1;
      bool merge = true;
      for (int k = 0; k < K; ++k)
        if (p.strides[k][last] != strides[k][d] * shape[d]) merge = false;
      if (merge) {
        p.shape[last] *= shape[d];
        for (int k = 0; k < K; ++k) p.strides[k][last] = strides[k][d];
        continue;
      }
    }
    p.shape[p.ndim] = shape[d];
    for (int k = 0; k < K; ++k) p.strides[k][p.ndim] = strides[k][d];
    ++p.ndim;
  }
  return p;
}

// Calls line(ptrs, inner_strides, n) for every innermost line.
template <int K, class Line>
void run_plan(const LoopPlan<K>& p, char* const* base, Line&& line) {
  for (int d = 0; d < p.ndim; ++d)
    if (p.shape[d] == 0) return;
  char* ptr[K];
  for (int k = 0; k < K; ++k) ptr[k] = base[k];
  std::ptrdiff_t inner[K];
  if (p.ndim == 0) {
    for (int k = 0; k < K; ++k) inner[k] = 0;
    line(ptr, inner, std::int64_t{1});
    return;
  }
  const int last = p.ndim - 1;
  for (int k = 0; k < K; ++k) inner[k] = p.strides[k][last];
  std::int64_t index[kMaxLoopDims] = {};
  const std::int64_t n = p.shape[last];
  for (;;) {
    line(ptr, inner, n);
    int d = last - 1;
    for (; d >= 0; --d) {
      for (int k = 0; k < K; ++k) ptr[k] += p.strides[k][d];
      if (++index[d] < p.shape[d]) break;
      for (int k = 0; k < K; ++k) ptr[k] -= p.strides[k][d] * p.shape[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

// Number of elements the plan iterates.
template <int K>
std::int64_t plan_size(const LoopPlan<K>& p) {
  std::int64_t n = 1;
  for (int d = 0; d < p.ndim; ++d) n *= p.shape[d];
  return n;
}

// Like run_plan, but only for the elements [begin, end) of the row-major
// iteration order; lines may start and end part-way. Used to split one
// operation across threads at arbitrary element boundaries.
template <int K, class Line>
void run_plan_range(const LoopPlan<K>& p, char* const* base, std::int64_t begin,
                    std::int64_t end, Line&& line) {
  if (begin >= end) return;
  std::ptrdiff_t inner[K];
  char* ptr[K];
  if (p.ndim == 0) {
    for (int k = 0; k < K; ++k) inner[k] = 0, ptr[k] = base[k];
    line(ptr, inner, std::int64_t{1});
    return;
  }
  const int last = p.ndim - 1;
  const std::int64_t n = p.shape[last];
  for (int k = 0; k < K; ++k) inner[k] = p.strides[k][last];
  // Decode begin into a multi-index and pointers.
  std::int64_t index[kMaxLoopDims] = {};
  std::int64_t rest = begin;
  for (int d = last; d >= 0; --d) {
    index[d] = rest % p.shape[d];
    rest /= p.shape[d];
  }
  for (int k = 0; k < K; ++k) {
    ptr[k] = base[k];
    for (int d = 0; d <= last; ++d) ptr[k] += index[d] * p.strides[k][d];
  }
  std::int64_t at = begin;
  while (at < end) {
    std::int64_t count = n - index[last];
    if (count > end - at) count = end - at;
    line(ptr, inner, count);
    at += count;
    if (at >= end) return;
    // Move to the start of the next line.
    for (int k = 0; k < K; ++k) ptr[k] -= index[last] * p.strides[k][last];
    index[last] = 0;
    int d = last - 1;
    for (; d >= 0; --d) {
      for (int k = 0; k < K; ++k) ptr[k] += p.strides[k][d];
      if (++index[d] < p.shape[d]) break;
      for (int k = 0; k < K; ++k) ptr[k] -= p.strides[k][d] * p.shape[d];
      index[d] = 0;
    }
    if (d < 0) return;
  }
}

}  // namespace tessera::kernels
