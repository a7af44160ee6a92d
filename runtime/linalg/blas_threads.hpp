// OpenBLAS keeps one process-wide thread count, so every BLAS or LAPACK call
// runs inside a BlasCall that sets that count to what the calling runtime
// allows: ts.threads() on a runtime's own thread, 1 on a ts.par worker (its
// siblings already use the caller's threads, so N workers x 1 BLAS thread
// never oversubscribe). While the calling thread waits in BLAS its TBB arena
// is idle, so BLAS and TBB never run more threads than ts.threads() together.
//
// Calls with one thread may overlap (OpenBLAS runs them on the calling
// thread); a call with more threads waits until no other call is running and
// keeps the others out until it returns, so the count never changes under a
// running call.
#pragma once

#include "../context.hpp"

namespace tessera::linalg {

// The BLAS threads a call from the runtime owning ctx may use.
int blas_threads(const Context& ctx);

class BlasCall {
 public:
  explicit BlasCall(int threads);
  explicit BlasCall(const Context& ctx) : BlasCall(blas_threads(ctx)) {}
  ~BlasCall();
  BlasCall(const BlasCall&) = delete;
  BlasCall& operator=(const BlasCall&) = delete;
};

}  // namespace tessera::linalg
