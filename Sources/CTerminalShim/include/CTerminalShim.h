/*
 * CTerminalShim: the few terminal calls Swift cannot make itself, and every signal handler.
 *
 * Why C: ioctl is variadic, and signal handlers must be async-signal-safe, which Swift code is
 * not. The shim owns the one piece of process-wide state a terminal needs: the terminal modes
 * saved before raw mode, so that any exit path (normal exit, SIGINT/SIGTERM/SIGHUP from outside,
 * SIGTSTP, or a crash) can put the terminal back. Only TerminalKit imports this module.
 */
#ifndef KNOT_CTERMINALSHIM_H
#define KNOT_CTERMINALSHIM_H

#include <stddef.h>
#include <stdint.h>

/* Longest enter/leave escape sequence the shim stores (bytes). */
#define KNOT_TERM_SEQUENCE_MAX 128

/* 1 when fd refers to a terminal, else 0. */
int knot_term_isatty(int fd);

/* The window size of the terminal on fd (ioctl TIOCGWINSZ).
   Returns 0 and fills rows/columns, or -1 with errno set (also when the size reported is 0x0). */
int knot_term_window_size(int fd, int *rows, int *columns);

/* Saves the modes of input_fd, switches it to raw mode, installs the restoring signal handlers,
   registers an atexit restore (once), then writes enter_sequence to output_fd.
   leave_sequence is what any exit path writes before the saved modes are put back.
   Returns 0, or -1 with errno (EBUSY when already active, EINVAL when a sequence is too long). */
int knot_term_enter(int input_fd, int output_fd,
                    const char *enter_sequence, size_t enter_length,
                    const char *leave_sequence, size_t leave_length);

/* Writes the leave sequence, puts the saved modes back and the previous signal actions.
   Idempotent: returns 0 when not active. Returns -1 with errno when tcsetattr failed. */
int knot_term_restore(void);

/* 1 while raw mode is active (between knot_term_enter and knot_term_restore). */
int knot_term_is_active(void);

/* 1 if the window was resized (SIGWINCH) or the process was continued (SIGCONT) since the
   last call, then clears the flag. The screen should be redrawn in full when this is 1. */
int knot_term_take_resized(void);

/* Suspends the process like Ctrl-Z in a shell: restores the terminal, stops, and on `fg`
   re-enters raw mode and sets the resized flag. Returns -1 (ENOTSUP) when job control is
   not available (SIGTSTP ignored at start) or raw mode is not active. */
int knot_term_suspend(void);

/* Display width of one Unicode scalar in terminal cells as wcwidth(3) reports it in a UTF-8
   locale: 0, 1, 2, or -1 for non-printable. Returns -2 when no UTF-8 locale is available (the
   caller then uses its own table). The locale is applied per call with uselocale, so the
   process-wide locale is never changed. */
int knot_term_wcwidth(uint32_t scalar);

#endif
