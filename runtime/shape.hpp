// Dims: a small fixed-capacity list of extents or strides, kept inline so
// that shape arithmetic never allocates.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <string>

#include "errors.hpp"

namespace tessera {

inline constexpr int kMaxDims = 16;

struct Dims {
  int n = 0;
  std::int64_t v[kMaxDims];  // only the first n are meaningful

  Dims() = default;
  Dims(std::initializer_list<std::int64_t> values) {
    for (std::int64_t x : values) push(x);
  }
  static Dims filled(int n, std::int64_t value) {
    Dims d;
    for (int i = 0; i < n; ++i) d.push(value);
    return d;
  }

  int size() const { return n; }
  std::int64_t& operator[](int i) { return v[i]; }
  std::int64_t operator[](int i) const { return v[i]; }
  const std::int64_t* begin() const { return v; }
  const std::int64_t* end() const { return v + n; }
  void push(std::int64_t x) {
    if (n >= kMaxDims)
      throw Error("too many dimensions (at most " + std::to_string(kMaxDims) + ")");
    v[n++] = x;
  }
  void insert(int at, std::int64_t x) {
    push(0);
    for (int i = n - 1; i > at; --i) v[i] = v[i - 1];
    v[at] = x;
  }
  void erase(int at) {
    for (int i = at; i + 1 < n; ++i) v[i] = v[i + 1];
    --n;
  }
  std::int64_t product() const {
    std::int64_t p = 1;
    for (int i = 0; i < n; ++i) p *= v[i];
    return p;
  }
  bool operator==(const Dims& o) const {
    if (n != o.n) return false;
    for (int i = 0; i < n; ++i)
      if (v[i] != o.v[i]) return false;
    return true;
  }
  bool operator!=(const Dims& o) const { return !(*this == o); }
};

// "(3,4)", "(5)", "()" as in error messages.
std::string format_shape(const Dims& d);
// Row-major element strides for a shape.
Dims contiguous_strides(const Dims& shape);
// NumPy broadcasting of two shapes; throws Error("cannot broadcast shapes ...").
Dims broadcast_shapes(const Dims& a, const Dims& b);
// Number of elements, checked against overflow; throws on negative extents.
std::int64_t checked_size(const Dims& shape);

}  // namespace tessera
