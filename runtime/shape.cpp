#include "shape.hpp"

#include <limits>

namespace tessera {

std::string format_shape(const Dims& d) {
  std::string s = "(";
  for (int i = 0; i < d.n; ++i) {
    if (i) s += ",";
    s += std::to_string(d[i]);
  }
  return s + ")";
}

Dims contiguous_strides(const Dims& shape) {
  Dims s = Dims::filled(shape.n, 1);
  for (int i = shape.n - 2; i >= 0; --i) s[i] = s[i + 1] * (shape[i + 1] > 0 ? shape[i + 1] : 1);
  return s;
}

Dims broadcast_shapes(const Dims& a, const Dims& b) {
  int n = a.n > b.n ? a.n : b.n;
  Dims out = Dims::filled(n, 1);
  for (int i = 0; i < n; ++i) {
    int ia = a.n - n + i, ib = b.n - n + i;
    std::int64_t da = ia >= 0 ? a[ia] : 1, db = ib >= 0 ? b[ib] : 1;
    if (da != db && da != 1 && db != 1)
      throw Error("cannot broadcast shapes " + format_shape(a) + " and " + format_shape(b));
    out[i] = da == 1 ? db : da;
  }
  return out;
}

std::int64_t checked_size(const Dims& shape) {
  std::int64_t p = 1;
  for (int i = 0; i < shape.n; ++i) {
    if (shape[i] < 0) throw Error("negative dimension " + std::to_string(shape[i]));
    if (shape[i] != 0 && p > std::numeric_limits<std::int64_t>::max() / shape[i])
      throw Error("array of shape " + format_shape(shape) + " is too large");
    p *= shape[i];
  }
  return p;
}

}  // namespace tessera
