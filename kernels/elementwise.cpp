// Operation metadata and the choice of kernel table for the running CPU.
#include "elementwise.hpp"

#include "kernel_table.hpp"
#include "simd.hpp"

namespace tessera::kernels {
namespace {

const KernelTable& active() {
  static const KernelTable& table = [&]() -> const KernelTable& {
    switch (simd_level()) {
      case SimdLevel::Avx512: return kernel_table_avx512();
      case SimdLevel::Avx2: return kernel_table_avx2();
      case SimdLevel::Sse42: break;
    }
    return kernel_table_sse42();
  }();
  return table;
}

const char* const kBinaryNames[] = {
    "add",   "subtract", "multiply", "divide",      "floor_divide", "mod",        "power",
    "minimum", "maximum", "arctan2", "eq",          "ne",           "lt",         "le",
    "gt",    "ge",       "bitwise_and", "bitwise_or", "bitwise_xor", "left_shift", "right_shift"};
static_assert(sizeof(kBinaryNames) / sizeof(*kBinaryNames) == static_cast<int>(BinaryOp::Count));

struct UnaryInfo {
  const char* name;
  bool yields_bool;
  bool needs_float;
};
const UnaryInfo kUnary[] = {
    {"negative", false, false}, {"abs", false, false},     {"sign", false, false},
    {"sqrt", false, true},      {"exp", false, true},      {"log", false, true},
    {"log2", false, true},      {"log10", false, true},    {"sin", false, true},
    {"cos", false, true},       {"tan", false, true},      {"arcsin", false, true},
    {"arccos", false, true},    {"arctan", false, true},   {"sinh", false, true},
    {"cosh", false, true},      {"tanh", false, true},     {"floor", false, true},
    {"ceil", false, true},      {"round", false, true},    {"isnan", true, false},
    {"isinf", true, false},     {"isfinite", true, false}, {"invert", false, false},
    {"square", false, true},    {"conj", false, false},    {"angle", false, true},
};
static_assert(sizeof(kUnary) / sizeof(*kUnary) == static_cast<int>(UnaryOp::Count));

}  // namespace

const char* binary_name(BinaryOp op) { return kBinaryNames[static_cast<int>(op)]; }
bool is_comparison(BinaryOp op) { return op >= BinaryOp::Eq && op <= BinaryOp::Ge; }
int binary_cost(BinaryOp op) {
  switch (op) {
    case BinaryOp::Pow:
    case BinaryOp::Atan2: return 16;
    case BinaryOp::FloorDiv:
    case BinaryOp::Mod: return 4;
    default: return 1;
  }
}
LineFn binary_line(BinaryOp op, DType t) {
  return active().binary[static_cast<int>(op)][static_cast<int>(t)];
}

const char* unary_name(UnaryOp op) { return kUnary[static_cast<int>(op)].name; }
bool unary_yields_bool(UnaryOp op) { return kUnary[static_cast<int>(op)].yields_bool; }
bool unary_needs_float(UnaryOp op) { return kUnary[static_cast<int>(op)].needs_float; }
int unary_cost(UnaryOp op) {
  switch (op) {
    case UnaryOp::Neg:
    case UnaryOp::Abs:
    case UnaryOp::Sign:
    case UnaryOp::Floor:
    case UnaryOp::Ceil:
    case UnaryOp::Round:
    case UnaryOp::IsNan:
    case UnaryOp::IsInf:
    case UnaryOp::IsFinite:
    case UnaryOp::Invert:
    case UnaryOp::Square:
    case UnaryOp::Conj: return 1;
    case UnaryOp::Sqrt: return 4;
    default: return 16;
  }
}
DType unary_result(UnaryOp op, DType t) {
  if (unary_yields_bool(op)) return DType::Bool;
  if (op == UnaryOp::Abs || op == UnaryOp::Angle) return real_dtype(t);
  return t;
}
LineFn unary_line(UnaryOp op, DType t) {
  return active().unary[static_cast<int>(op)][static_cast<int>(t)];
}

LineFn cast_line(DType from, DType to) {
  return active().cast[static_cast<int>(from)][static_cast<int>(to)];
}
LineFn where_line(DType t) { return active().where[static_cast<int>(t)]; }

}  // namespace tessera::kernels
