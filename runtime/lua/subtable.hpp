// Installing documented functions into tables other than the module and the
// array methods: sub-modules (ts.h5, ts.stats) and the method tables of other
// userdata (HDF5 files, datasets, ...). Each function is a closure over the
// Context, like the module's own, and gets a help entry.
#pragma once

#include <cstddef>

#include "registry.hpp"

namespace tessera::lua {

// Sets table[e.name] for each entry (entries with where == kMeta go to
// table[e.name] as well: pass the metatable); help entries use e.name as
// the name, so give sub-module functions names like "h5.open".
void install_entries(lua_State* L, const Tables& t, int table, const Entry* entries,
                     std::size_t count, const char* prefix = "");

template <std::size_t N>
void install_entries(lua_State* L, const Tables& t, int table, const Entry (&entries)[N],
                     const char* prefix = "") {
  install_entries(L, t, table, entries, N, prefix);
}

// Pushes ts[name], creating an empty table there when missing; returns its
// absolute index.
int module_subtable(lua_State* L, const Tables& t, const char* name);

}  // namespace tessera::lua
