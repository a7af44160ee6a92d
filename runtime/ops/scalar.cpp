#include "scalar.hpp"

#include <cmath>
#include <limits>

namespace tessera {

void Scalar::store(DType t, void* dst) const {
  visit_dtype(t, [&](auto tag) {
    using T = typename decltype(tag)::type;
    T v;
    if constexpr (std::is_same_v<T, bool>) {
      v = kind == ScalarKind::Complex ? (f != 0 || im != 0) : kind == ScalarKind::Float ? f != 0 : i != 0;
    } else if constexpr (is_complex_v<T>) {
      using R = typename T::value_type;
      v = kind == ScalarKind::Integer || kind == ScalarKind::Bool ? T(R(i), 0) : T(R(f), R(im));
    } else if constexpr (std::is_floating_point_v<T>) {
      v = kind == ScalarKind::Float || kind == ScalarKind::Complex ? T(f) : T(i);
    } else {
      if (kind == ScalarKind::Float || kind == ScalarKind::Complex) {
        double x = f;
        if (std::isnan(x)) v = 0;
        else if (x <= double(std::numeric_limits<T>::min())) v = std::numeric_limits<T>::min();
        else if (x >= double(std::numeric_limits<T>::max())) v = std::numeric_limits<T>::max();
        else v = T(x);
      } else {
        v = T(i);
      }
    }
    *static_cast<T*>(dst) = v;
  });
}

bool Scalar::fits(DType t) const {
  if (kind != ScalarKind::Integer) return true;
  switch (t) {
    case DType::UInt8: return i >= 0 && i <= 255;
    case DType::Int32:
      return i >= std::numeric_limits<std::int32_t>::min() &&
             i <= std::numeric_limits<std::int32_t>::max();
    default: return true;
  }
}

}  // namespace tessera
