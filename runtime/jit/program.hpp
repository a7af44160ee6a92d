// A fused element-wise program: what ts.jit and ts.eval compile a traced
// expression graph into, and what the executor (exec.hpp) runs block by
// block. It is plain data: a register machine whose instructions are the
// core's own line functions (kernels/elementwise.hpp), so every operation of
// a block computes exactly what the unfused operation computes.
//
// Registers: an array argument (pointing into its memory, or gathered into a
// block buffer when strided), a scalar (a constant or a value computed once
// per call from number arguments, stored in the dtype its consumer computes
// in, stride 0), or a temporary (a block buffer slot, reused after the last
// use of the value it held).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "../../kernels/elementwise.hpp"
#include "../../kernels/reduce.hpp"
#include "../dtype.hpp"
#include "../ops/scalar.hpp"

namespace tessera::jit {

inline constexpr int kMaxArgs = 24;
inline constexpr int kMaxOutputs = 8;

// What a call passes at each argument position; a program is compiled per
// signature. Codes: 0 nil, 1 + dtype for arrays, kInteger, kFloat, kBool.
struct Signature {
  static constexpr std::uint8_t kNil = 0, kInteger = 1 + kNumDTypes, kFloat = kInteger + 1,
                                kBool = kInteger + 2;
  int n = 0;
  std::uint8_t code[kMaxArgs] = {};

  static std::uint8_t array_code(DType t) {
    return static_cast<std::uint8_t>(1 + static_cast<int>(t));
  }
  bool is_array(int k) const { return code[k] >= 1 && code[k] <= kNumDTypes; }
  DType dtype(int k) const { return static_cast<DType>(code[k] - 1); }
  bool operator==(const Signature& o) const {
    if (n != o.n) return false;
    for (int k = 0; k < n; ++k)
      if (code[k] != o.code[k]) return false;
    return true;
  }
};

// A scalar computed once per call, before any element: a constant, a number
// argument, or an operation on those alone. `lua` operations follow Lua's
// arithmetic (the traced function applied +, -, *, ... to plain numbers);
// the others follow the core's functions on numbers (ts.sqrt(x), ts.add(x, y)).
struct Uniform {
  enum Kind : std::uint8_t { Const, Param, Binary, Unary } kind = Const;
  bool lua = false;
  std::uint8_t op = 0;  // kernels::BinaryOp or UnaryOp
  int a = -1, b = -1;   // operand uniforms
  int arg = -1;         // Param: argument position (0-based)
  ScalarKind result = ScalarKind::Integer;
  Scalar value;  // Const
  std::string name, where;
};

enum class RegKind : std::uint8_t { Input, Scalar, Temp };

struct Reg {
  RegKind kind = RegKind::Temp;
  DType dtype = DType::Float64;
  int arg = -1;     // Input: argument position
  int scalar = -1;  // Scalar: index into Program::scalars
  int slot = -1;    // Temp and Input: block buffer slot (Input: used when gathered)
};

// One line-function call per block: fn(ptrs = {src..., dst}, strides, n).
struct Instr {
  kernels::LineFn fn = nullptr;
  int nsrc = 0;
  int src[3] = {-1, -1, -1};
  int dst = -1;
  int cost = 1;
  int power = -1;    // index into Program::powers: the function is chosen per call
  std::string text;  // for listings: "multiply.float64"
};

// x ^ e with e a number argument: the core takes a fast path by the value
// of e (square, sqrt, reciprocal, copy), so the function is chosen per call.
struct DynamicPower {
  int uniform = -1;  // the exponent
  DType t = DType::Float64;
  bool integer_kind_only = false;
  int x = -1, e = -1, one = -1;  // registers: base (in t), exponent, 1.0 (floats)
};

// A scalar register's value: constant bytes, or refreshed per call from a uniform.
struct ScalarValue {
  int uniform = -1;
  DType dtype = DType::Float64;
  bool per_call = false;
  alignas(16) unsigned char bytes[16] = {};
};

// An integer uniform that must fit the dtype it is stored in (checked per
// call with the core's message).
struct FitsCheck {
  int uniform = -1;
  DType dtype = DType::Int64;
  std::string name, where;
};

// For error messages and output shapes: each array-valued node of the
// graph, with its array operands (node indices) and the arguments it
// depends on.
struct ShapeNode {
  int operands[3] = {-1, -1, -1};
  int arg = -1;  // an argument node
  std::string name, where;
};

struct Output {
  enum Kind : std::uint8_t { Array, Reduce, Uniform } kind = Array;
  int reg = -1;      // Array: the value's register; Reduce: the reduced register
  int uniform = -1;  // Uniform
  int node = -1;     // ShapeNode index of the value (Array, Reduce)
  kernels::ReduceOp reduce = kernels::ReduceOp::Sum;
  DType dtype = DType::Float64;  // Array: result dtype; Reduce: the dtype reduced
  int like_arg = -1;             // the argument whose layout a new result takes (core's order='K')
  std::uint32_t deps = 0;        // bit k: the value depends on array argument k
  std::string name, where;
};

// An instruction as the executor calls it: fn(ptrs of regs[0..n), ...).
struct Step {
  kernels::LineFn fn = nullptr;
  int n = 0;  // registers: sources then destination
  int regs[4] = {-1, -1, -1, -1};
};

struct Program {
  Signature sig;
  std::vector<Uniform> uniforms;
  std::vector<Reg> regs;
  std::vector<Instr> instrs;
  std::vector<ScalarValue> scalars;
  std::vector<DynamicPower> powers;
  std::vector<FitsCheck> fits;
  std::vector<ShapeNode> shape_nodes;
  std::vector<Output> outputs;
  std::vector<int> input_regs;  // registers of the array arguments the program reads
  int slots = 0;                // block buffer slots
  int cost = 0;                 // summed relative cost per element
  bool has_reduction = false;

  // Precomputed for the executor (set by compile): the uniforms evaluated
  // per call, the steps when no power is chosen per call, the scalar
  // registers' data when none is per call.
  std::vector<int> per_call;
  std::vector<Step> steps;
  bool dynamic_steps = false;
  std::vector<char*> scalar_data;  // null for per-call scalars
  bool per_call_scalars = false;

  // A readable listing, one instruction a line.
  std::string listing() const;
};

// The value of uniform u given the values of the uniforms before it and the
// call's arguments (Param). Throws Error as Lua or the core would.
Scalar evaluate_uniform(const Uniform& u, const Scalar* values, const Scalar* args);

// Compiles a graph description (as stdlib/jit.lua writes it) for one call
// signature. `exact` keeps x^n as the core computes it (pow) instead of
// multiplies and square roots. Throws Error naming the operation and its
// script position when the graph has no meaning for these dtypes.
std::unique_ptr<Program> compile(const std::string& description, const Signature& sig, bool exact);

}  // namespace tessera::jit
