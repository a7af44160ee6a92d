-- Steers the host's heat simulation (examples/embed/main.cpp). The host sets
-- T (its temperature grid, shared without a copy) and the module `heat` (its
-- C++ kernel), then calls steer(step) once per step: the script advances the
-- grid with the kernel and returns the heater power for the next step, a
-- thermostat holding the hottest cell near `target`.
local target = 1.0
local scratch = ts.zeros(T.shape)

function steer(step)
  heat.diffuse(T, scratch, 0.2)
  local peak = T:max()
  if step % 50 == 0 then print(string.format("step %3d: peak %.3f", step, peak)) end
  return peak < target and 40.0 or 0.0
end
