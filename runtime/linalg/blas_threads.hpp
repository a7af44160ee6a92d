// Every BLAS and LAPACK call computes on its calling thread: OpenBLAS's own
// threading blocks the inner dimension differently from its single-threaded
// path, so its last bits would depend on the thread count. Tessera runs
// gemm in parallel itself, over a fixed partition of the output
// (gemm_panels.hpp) on the runtime's TBB arena; LAPACK routines run on one
// thread. One-thread calls from several threads may overlap (OpenBLAS keeps
// them on their callers), so BLAS and TBB never oversubscribe the cores.
#pragma once

namespace tessera::linalg {

// Sets OpenBLAS's process-wide thread count to 1 unless it already is (a
// host program may have changed it). Called before every BLAS/LAPACK call.
void one_blas_thread();

}  // namespace tessera::linalg
