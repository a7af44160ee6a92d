#include "layout.hpp"

#include <utility>

namespace tessera::jit {

void make_layout(Layout& l, const Dims& shape, const LayoutOperand* ops, int nops, int order_by) {
  const int n = shape.n;
  // byte strides per operand, broadcast to shape
  std::ptrdiff_t bytes[kMaxOperands][kMaxDims];
  for (int k = 0; k < nops; ++k) {
    const Array& a = *ops[k].array;
    const int lead = n - a.ndim();
    for (int d = 0; d < n; ++d) {
      const int j = d - lead;
      bytes[k][d] = j < 0 || a.dim(j) != shape[d]
                        ? 0
                        : a.stride(j) * static_cast<std::ptrdiff_t>(ops[k].itemsize);
    }
  }
  int order[kMaxDims];
  for (int d = 0; d < n; ++d) order[d] = d;
  if (order_by >= 0) {
    auto mag = [&](int d) {
      return bytes[order_by][d] < 0 ? -bytes[order_by][d] : bytes[order_by][d];
    };
    for (int i = 1; i < n; ++i)  // stable insertion sort by decreasing magnitude
      for (int j = i; j > 0 && mag(order[j - 1]) < mag(order[j]); --j)
        std::swap(order[j - 1], order[j]);
  }
  l.nops = nops;
  l.ndim = 0;
  for (int k = 0; k < nops; ++k) l.base[k] = ops[k].data;
  for (int i = 0; i < n; ++i) {
    const int d = order[i];
    if (shape[d] == 1) continue;
    if (l.ndim > 0) {
      const int last = l.ndim - 1;
      bool merge = true;
      for (int k = 0; k < nops && merge; ++k)
        if (l.strides[k][last] != bytes[k][d] * shape[d]) merge = false;
      if (merge) {
        l.shape[last] *= shape[d];
        for (int k = 0; k < nops; ++k) l.strides[k][last] = bytes[k][d];
        continue;
      }
    }
    l.shape[l.ndim] = shape[d];
    for (int k = 0; k < nops; ++k) l.strides[k][l.ndim] = bytes[k][d];
    ++l.ndim;
  }
}

}  // namespace tessera::jit
