#include "dtype.hpp"

#include <algorithm>

namespace tessera {

const char* dtype_name(DType t) {
  static const char* const names[kNumDTypes] = {"bool",    "uint8",   "int32",     "int64",
                                                "float32", "float64", "complex64", "complex128"};
  return names[static_cast<int>(t)];
}

std::size_t dtype_size(DType t) {
  static const std::size_t sizes[kNumDTypes] = {1, 1, 4, 8, 4, 8, 8, 16};
  return sizes[static_cast<int>(t)];
}

std::optional<DType> parse_dtype(std::string_view name) {
  struct Entry {
    std::string_view name;
    DType type;
  };
  static const Entry entries[] = {
      {"bool", DType::Bool},
      {"uint8", DType::UInt8},
      {"u8", DType::UInt8},
      {"int32", DType::Int32},
      {"i32", DType::Int32},
      {"int64", DType::Int64},
      {"i64", DType::Int64},
      {"int", DType::Int64},
      {"float32", DType::Float32},
      {"f32", DType::Float32},
      {"float", DType::Float64},
      {"float64", DType::Float64},
      {"f64", DType::Float64},
      {"double", DType::Float64},
      {"complex64", DType::Complex64},
      {"c8", DType::Complex64},
      {"complex128", DType::Complex128},
      {"c16", DType::Complex128},
      {"complex", DType::Complex128},
  };
  for (const Entry& e : entries)
    if (e.name == name) return e.type;
  return std::nullopt;
}

DType real_dtype(DType t) {
  if (t == DType::Complex64) return DType::Float32;
  if (t == DType::Complex128) return DType::Float64;
  return t;
}

DType complex_dtype(DType t) {
  if (is_complex(t)) return t;
  return t == DType::Float32 ? DType::Complex64 : DType::Complex128;
}

DType promote(DType a, DType b) {
  if (a == b) return a;
  if (static_cast<int>(a) > static_cast<int>(b)) std::swap(a, b);  // now a < b in the order
  // Order: bool < uint8 < int32 < int64 < float32 < float64 < complex64 <
  // complex128. Only mixing an integer wider than 16 bits (or float64) with a
  // 32-bit float type leaves the simple order (NumPy: the 64-bit one).
  const bool wide = a == DType::Int32 || a == DType::Int64 || a == DType::Float64;
  if (b == DType::Float32 && wide) return DType::Float64;
  if (b == DType::Complex64 && wide) return DType::Complex128;
  return b;
}

DType promote_with_scalar(DType array, ScalarKind scalar) {
  switch (scalar) {
    case ScalarKind::Bool: return array;
    case ScalarKind::Integer: return array == DType::Bool ? DType::Int64 : array;
    case ScalarKind::Float: return is_inexact(array) ? array : DType::Float64;
    case ScalarKind::Complex: return complex_dtype(array);
  }
  return array;
}

DType default_dtype(ScalarKind scalar) {
  switch (scalar) {
    case ScalarKind::Bool: return DType::Bool;
    case ScalarKind::Integer: return DType::Int64;
    case ScalarKind::Float: break;
    case ScalarKind::Complex: return DType::Complex128;
  }
  return DType::Float64;
}

DType float_result(DType t) {
  switch (t) {
    case DType::Bool:
    case DType::UInt8:
    case DType::Float32: return DType::Float32;
    case DType::Complex64:
    case DType::Complex128: return t;
    default: return DType::Float64;
  }
}

}  // namespace tessera
