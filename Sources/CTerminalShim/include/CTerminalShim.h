#ifndef KNOT_CTERMINALSHIM_H
#define KNOT_CTERMINALSHIM_H
int knot_terminal_placeholder(void);
#endif
