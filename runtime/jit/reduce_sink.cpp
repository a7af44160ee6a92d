#include "reduce_sink.hpp"

#include <string>

#include "../errors.hpp"
#include "scalars.hpp"

namespace tessera::jit {

using kernels::ReduceOp;

ReduceSink::ReduceSink(ReduceOp op, DType t, std::int64_t total)
    : op_(op), t_(t), chunks_((total + kChunk - 1) / kChunk), line_(kernels::reduce_line(op, t)) {
  if (total == 0 && (op == ReduceOp::Min || op == ReduceOp::Max))
    throw Error(std::string("zero-size array has no ") +
                (op == ReduceOp::Max ? "maximum" : "minimum"));
  if (chunks_ > 1) parts_.resize(static_cast<std::size_t>(chunks_ - 1));
  kernels::reduce_start(op_, last_, 0);
}

void ReduceSink::start(kernels::ReduceState& st, std::int64_t chunk) const {
  kernels::reduce_start(op_, st, chunk * kChunk);
}

void ReduceSink::finish_chunk(const kernels::ReduceState& st, std::int64_t chunk) {
  if (chunk == chunks_ - 1) last_ = st;
  else parts_[static_cast<std::size_t>(chunk)] = kernels::reduce_part(st);
}

Scalar ReduceSink::result() const {
  kernels::ReduceState out;
  if (chunks_ <= 1) {
    out = last_;
  } else {
    kernels::reduce_start(op_, out, 0);
    for (const kernels::ReducePart& p : parts_) kernels::reduce_merge(op_, t_, out, p);
    kernels::reduce_merge(op_, t_, out, last_);
  }
  alignas(16) unsigned char buffer[16];
  kernels::reduce_finish(op_, t_)(out, reinterpret_cast<char*>(buffer));
  return scalar_at(kernels::reduce_result(op_, t_), buffer);
}

}  // namespace tessera::jit
