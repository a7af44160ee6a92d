#include "graph.hpp"

#include <cstdlib>
#include <cstring>
#include <sstream>

#include "../errors.hpp"

namespace tessera::jit {
namespace {

[[noreturn]] void bad(const std::string& line, const char* why) {
  throw Error("internal error: malformed jit graph line '" + line + "' (" + why + ")");
}

int binary_op(const std::string& name) {
  for (int k = 0; k < static_cast<int>(kernels::BinaryOp::Count); ++k)
    if (name == kernels::binary_name(static_cast<kernels::BinaryOp>(k))) return k;
  return -1;
}

int unary_op(const std::string& name) {
  for (int k = 0; k < static_cast<int>(kernels::UnaryOp::Count); ++k)
    if (name == kernels::unary_name(static_cast<kernels::UnaryOp>(k))) return k;
  return -1;
}

int reduce_op(const std::string& name) {
  using kernels::ReduceOp;
  const ReduceOp allowed[] = {ReduceOp::Sum, ReduceOp::Prod, ReduceOp::Mean, ReduceOp::Min,
                              ReduceOp::Max, ReduceOp::Any,  ReduceOp::All};
  for (ReduceOp op : allowed)
    if (name == kernels::reduce_name(op)) return static_cast<int>(op);
  return -1;
}

}  // namespace

Graph parse_graph(const std::string& text) {
  Graph g;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.empty()) continue;
    std::string where;
    const std::size_t at = line.find(" @");
    std::string body = line;
    if (at != std::string::npos) {
      where = line.substr(at + 2);
      body = line.substr(0, at);
    }
    std::istringstream in(body);
    std::string kind;
    in >> kind;
    const int n = static_cast<int>(g.nodes.size());
    auto operand = [&]() {
      int k = 0;
      if (!(in >> k) || k < 1 || k > n) bad(line, "operand");
      return k - 1;
    };
    if (kind == "out") {
      g.outputs.push_back(operand());
      continue;
    }
    Node node;
    node.where = where;
    if (kind == "arg" || kind == "param") {
      node.kind = kind == "arg" ? Node::Arg : Node::Param;
      if (!(in >> node.arg) || node.arg < 1) bad(line, "argument");
      node.arg -= 1;
    } else if (kind == "const") {
      std::string type, value;
      in >> type >> value;
      node.kind = Node::Const;
      if (type == "i") node.value = Scalar::integer(std::strtoll(value.c_str(), nullptr, 10));
      else if (type == "f") node.value = Scalar::number(std::strtod(value.c_str(), nullptr));
      else if (type == "b") node.value = Scalar::boolean(value == "1");
      else bad(line, "constant");
    } else if (kind == "bin" || kind == "un" || kind == "red") {
      in >> node.name;
      if (kind == "bin") {
        node.kind = Node::Binary;
        node.op = binary_op(node.name);
        node.in[0] = operand();
        node.in[1] = operand();
      } else if (kind == "un") {
        node.kind = Node::Unary;
        node.op = unary_op(node.name);
        node.in[0] = operand();
      } else {
        node.kind = Node::Reduce;
        node.op = reduce_op(node.name);
        node.in[0] = operand();
      }
      if (node.op < 0) bad(line, "operation");
      std::string flag;
      if (kind != "red") {
        in >> flag;
        node.lua = flag == "L";
      }
    } else if (kind == "where") {
      node.kind = Node::Where;
      node.name = "where";
      node.in[0] = operand();
      node.in[1] = operand();
      node.in[2] = operand();
    } else if (kind == "cast") {
      std::string type;
      in >> type;
      auto t = parse_dtype(type);
      if (!t) bad(line, "dtype");
      node.kind = Node::Cast;
      node.dtype = *t;
      node.name = "astype";
      node.in[0] = operand();
    } else {
      bad(line, "kind");
    }
    g.nodes.push_back(std::move(node));
  }
  return g;
}

}  // namespace tessera::jit
