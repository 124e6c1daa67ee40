#include "CTerminalShim.h"
int knot_terminal_placeholder(void) { return 0; }
