#ifndef HANDOFF_CNCURSES_SHIM_H
#define HANDOFF_CNCURSES_SHIM_H

/* Wide-character curses: get_wch, mvaddwstr and setcchar are only visible with this set. */
#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <locale.h>
#include <stdio.h>
#include <wchar.h>
#include <langinfo.h>

int wcwidth(wchar_t c);

/* Swift 6 cannot read the C globals stdscr, LINES, COLS, stdin, stdout: small getters instead. */
static inline WINDOW *handoff_stdscr(void) { return stdscr; }
static inline int handoff_lines(void) { return LINES; }
static inline int handoff_cols(void) { return COLS; }
static inline FILE *handoff_stdin(void) { return stdin; }
static inline FILE *handoff_stdout(void) { return stdout; }
static inline int handoff_colors(void) { return COLORS; }
static inline int handoff_color_pairs(void) { return COLOR_PAIRS; }

/* Function-like macros Swift cannot import. */
static inline attr_t handoff_a_bold(void) { return A_BOLD; }
static inline attr_t handoff_a_reverse(void) { return A_REVERSE; }
static inline attr_t handoff_a_underline(void) { return A_UNDERLINE; }
static inline attr_t handoff_a_dim(void) { return A_DIM; }
static inline attr_t handoff_a_standout(void) { return A_STANDOUT; }
static inline attr_t handoff_a_normal(void) { return A_NORMAL; }
static inline attr_t handoff_color_pair(int n) { return COLOR_PAIR(n); }
static inline int handoff_key_f(int n) { return KEY_F(n); }

#endif
