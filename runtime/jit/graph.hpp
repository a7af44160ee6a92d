// The expression graph a trace produces, parsed from the text form that
// stdlib/jit.lua writes: one node a line, operands by 1-based node number,
// the script position after " @".
//
//   arg K                      array argument K (1-based)
//   param K                    number or boolean argument K
//   const i N | f X | b 0|1    a constant (X a C99 hex float, inf or nan)
//   bin NAME A B L|C           binary operation by its core name (add, power,
//                              lt, ...): L from a Lua operator, C from a
//                              ts function (they differ on numbers alone)
//   un NAME A L|C              unary operation (negative, sqrt, invert, ...)
//   where C A B                ts.where
//   cast DTYPE A               a:astype(dtype)
//   red NAME A                 final reduction (sum, prod, mean, min, max,
//                              any, all) over all elements
//   out A                      a result (in order); not a node
#pragma once

#include <string>
#include <vector>

#include "../../kernels/elementwise.hpp"
#include "../../kernels/reduce.hpp"
#include "../dtype.hpp"
#include "../ops/scalar.hpp"

namespace tessera::jit {

struct Node {
  enum Kind : unsigned char { Arg, Param, Const, Binary, Unary, Where, Cast, Reduce } kind = Const;
  bool lua = false;
  int op = 0;                    // kernels::BinaryOp, UnaryOp or ReduceOp
  int in[3] = {-1, -1, -1};      // operand nodes, 0-based
  int arg = -1;                  // Arg, Param: 0-based position
  Scalar value;                  // Const
  DType dtype = DType::Float64;  // Cast
  std::string name, where;
};

struct Graph {
  std::vector<Node> nodes;
  std::vector<int> outputs;
};

// Throws Error on malformed text (an internal error: the text is generated).
Graph parse_graph(const std::string& text);

}  // namespace tessera::jit
