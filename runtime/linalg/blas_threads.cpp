#include "blas_threads.hpp"

#include <cblas.h>

namespace tessera::linalg {

void one_blas_thread() {
  if (openblas_get_num_threads() != 1) openblas_set_num_threads(1);
}

}  // namespace tessera::linalg
