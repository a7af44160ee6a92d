// Line editing for the prompt with libedit (its native el_* API): history,
// Ctrl-C that clears the line, and Tab completion whose candidates come from
// a Lua function. Exposed to stdlib/repl.lua as a table of functions (the
// prompt's policy lives in Lua):
//
//   term.readline(prompt)      the line; false after Ctrl-C; nil at Ctrl-D / EOF
//   term.add_history(entry)    entries may span several lines
//   term.load_history(path)    true, or nil and a message
//   term.save_history(path)    true, or nil and a message
//   term.set_completer(fn)     fn(text_before_cursor, columns) -> insert [, listing]
//   term.clear_interrupt()     drops an interrupt request that nobody consumed
//   term.columns()             the terminal's width
//
// Without line editing (input is not a terminal) the table has only the last
// two and the prompt reads standard input itself.
#pragma once

struct lua_State;

namespace tessera::repl {

// Pushes a new terminal table bound to standard input and output; without
// edit (input is not a terminal) only clear_interrupt and columns.
void push_terminal(lua_State* L, bool edit);

}  // namespace tessera::repl
