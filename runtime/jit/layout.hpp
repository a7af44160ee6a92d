// The iteration space of one fused pass over a run-time number of operands
// (kernels/nd_loop.hpp's plans fix the operand count at compile time): the
// broadcast shape without extent-1 dimensions, optionally ordered by one
// operand's strides (the output's, as the core's element-wise loops do),
// with dimensions merged where every operand is contiguous across them.
// Elements are numbered in that order; blocks are ranges of those numbers.
#pragma once

#include <cstddef>
#include <cstdint>

#include "../array.hpp"
#include "program.hpp"

namespace tessera::jit {

inline constexpr int kMaxOperands = kMaxArgs + kMaxOutputs;

struct Layout {
  int ndim = 0;  // 0: one element
  int nops = 0;
  std::int64_t shape[kMaxDims];
  std::ptrdiff_t strides[kMaxOperands][kMaxDims];  // bytes
  char* base[kMaxOperands];

  std::int64_t size() const {
    std::int64_t n = 1;
    for (int d = 0; d < ndim; ++d) n *= shape[d];
    return n;
  }
  std::int64_t inner() const { return ndim ? shape[ndim - 1] : 1; }
  std::ptrdiff_t inner_stride(int k) const { return ndim ? strides[k][ndim - 1] : 0; }

  // Every operand's pointer at element `at`.
  void pointers(std::int64_t at, char** out) const {
    for (int k = 0; k < nops; ++k) out[k] = base[k];
    for (int d = ndim - 1; d >= 0 && at; --d) {
      const std::int64_t i = at % shape[d];
      at /= shape[d];
      if (i)
        for (int k = 0; k < nops; ++k) out[k] += i * strides[k][d];
    }
  }

  // Calls f(ptrs, count, offset) for each line piece of the elements
  // [begin, end); offset counts elements from begin.
  template <class F>
  void walk(std::int64_t begin, std::int64_t end, F&& f) const {
    if (begin >= end) return;
    char* ptr[kMaxOperands];
    pointers(begin, ptr);
    if (ndim == 0) {
      f(static_cast<char* const*>(ptr), std::int64_t{1}, std::int64_t{0});
      return;
    }
    std::int64_t index[kMaxDims];
    std::int64_t rest = begin;
    for (int d = ndim - 1; d >= 0; --d) {
      index[d] = rest % shape[d];
      rest /= shape[d];
    }
    const int last = ndim - 1;
    std::int64_t at = begin;
    for (;;) {
      const std::int64_t count =
          shape[last] - index[last] < end - at ? shape[last] - index[last] : end - at;
      f(static_cast<char* const*>(ptr), count, at - begin);
      at += count;
      if (at >= end) return;
      for (int k = 0; k < nops; ++k) ptr[k] -= index[last] * strides[k][last];
      index[last] = 0;
      for (int d = last - 1; d >= 0; --d) {
        for (int k = 0; k < nops; ++k) ptr[k] += strides[k][d];
        if (++index[d] < shape[d]) break;
        for (int k = 0; k < nops; ++k) ptr[k] -= strides[k][d] * shape[d];
        index[d] = 0;
      }
    }
  }
};

// An operand: an array's data, element strides broadcast to the shape.
struct LayoutOperand {
  char* data;
  std::size_t itemsize;
  const Array* array;  // strides broadcast from this array's
};

// order_by: the operand whose strides order the dimensions (by decreasing
// magnitude), or -1 to keep row-major order.
void make_layout(Layout& l, const Dims& shape, const LayoutOperand* ops, int nops, int order_by);

}  // namespace tessera::jit
