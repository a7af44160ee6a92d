// Stencils on arrays: the 5-point Laplacian and diffusion (runtime/stencil/
// diffusion.cpp), np.roll (roll.cpp) and small convolutions and correlations
// (convolve.cpp). Axes are 0-based here; the bindings translate Lua's.
// Errors throw tessera::Error with a message saying what was expected.
#pragma once

#include <cstdint>

#include "../array.hpp"
#include "../context.hpp"

namespace tessera::stencil {

// ---- diffusion on 2-D float32/float64 grids ---------------------------------

// periodic: the grid wraps in both directions (np.roll's neighbours).
// fixed: the border cells are Dirichlet cells. Their Laplacian is 0 and a
// step leaves them unchanged; interior cells see the border as neighbours.
enum class Boundary { Periodic, Fixed };

// out = the 5-point Laplacian of grid, ((((-4*c + up) + down) + left) + right),
// the operation order of the book's in-place NumPy version. out must have
// grid's shape and dtype; it may be grid itself (a temporary is used then).
void laplacian(Context& ctx, const Array& grid, const Array& out, Boundary b);
// One explicit step: out = lap*(D*dt) + grid, as `out *= D*dt; out += grid`.
void diffuse_step(Context& ctx, const Array& grid, const Array& out, double D, double dt,
                  Boundary b);
// steps steps into out (or a new array): two buffers swapped, no allocation
// per step. grid is not modified unless it is out.
Array diffuse(Context& ctx, const Array& grid, std::int64_t steps, double D, double dt, Boundary b,
              const Array* out);

// Throws unless a is a 2-D float32/float64 array (what names the argument).
void check_grid(const Array& a, const char* what);

// ---- np.roll ----------------------------------------------------------------

// Rolls along axes[i] by shifts[i] (repeated axes add up), any dtype. With
// out (a's shape and dtype) writes there and allocates nothing unless out
// shares memory with a.
Array roll(Context& ctx, const Array& a, const std::int64_t* shifts, const int* axes, int count,
           const Array* out);
// Rolls the flattened array and restores the shape (np.roll with axis=None).
Array roll_flat(Context& ctx, const Array& a, std::int64_t shift, const Array* out);

// ---- convolution and correlation ---------------------------------------------

enum class ConvMode { Full, Same, Valid };
// 2-D boundaries (scipy.signal): fill with a value, wrap (periodic), symm
// (mirror with the edge repeated).
enum class Pad { Fill, Wrap, Symm };

// np.correlate (default Valid) and np.convolve (default Full) of 1-D arrays,
// computed in the promotion of their dtypes.
Array correlate(Context& ctx, const Array& a, const Array& v, ConvMode mode, bool convolve);
// scipy.signal.correlate2d / convolve2d of 2-D arrays.
Array correlate2d(Context& ctx, const Array& in, const Array& kernel, ConvMode mode, Pad pad,
                  double fillvalue, bool convolve);

}  // namespace tessera::stencil
