/*
 * CTerminalShim: raw mode, window size, signal handlers and wcwidth for TerminalKit.
 * Everything reachable from a signal handler below is async-signal-safe: write, tcsetattr,
 * sigaction, sigprocmask, raise, and plain loads/stores of static data.
 */
#define _GNU_SOURCE 1
#include "CTerminalShim.h"

#include <errno.h>
#include <locale.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include <wchar.h>
#if defined(__APPLE__)
#include <xlocale.h>
#endif

/* ---- State shared with the signal handlers ------------------------------------------------ */

static volatile sig_atomic_t knot_active = 0;
static volatile sig_atomic_t knot_resized = 0;
static int knot_input_fd = -1;
static int knot_output_fd = -1;
static struct termios knot_saved_modes;
static struct termios knot_raw_modes;
static char knot_enter_sequence[KNOT_TERM_SEQUENCE_MAX];
static size_t knot_enter_length = 0;
static char knot_leave_sequence[KNOT_TERM_SEQUENCE_MAX];
static size_t knot_leave_length = 0;

/* Signals that end the process: restore, then re-raise with the action in place before us. */
static const int knot_ending_signals[] = {
    SIGINT, SIGTERM, SIGHUP, SIGQUIT,                               /* from outside */
    SIGSEGV, SIGBUS, SIGABRT, SIGILL, SIGFPE, SIGTRAP, SIGSYS,      /* crashes, Swift traps */
};
#define KNOT_ENDING_COUNT ((int)(sizeof knot_ending_signals / sizeof knot_ending_signals[0]))

static struct sigaction knot_previous_ending[KNOT_ENDING_COUNT];
static int knot_installed_ending[KNOT_ENDING_COUNT];
static struct sigaction knot_previous_winch, knot_previous_cont, knot_previous_tstp;
static int knot_installed_tstp = 0;
static int knot_atexit_registered = 0;
/* Our signals that were blocked on the entering thread (a mask inherited from whatever started
   the process): unblocked while the screen is ours, blocked again when it is given back. */
static sigset_t knot_blocked_at_entry;

static void knot_write_all(int fd, const char *bytes, size_t length) {
    while (length > 0) {
        ssize_t written = write(fd, bytes, length);
        if (written < 0) {
            if (errno == EINTR) continue;
            return; /* nothing sensible left to do from a handler */
        }
        bytes += written;
        length -= (size_t)written;
    }
}

/* Async-signal-safe: leave the alternate screen, show the cursor, put the saved modes back. */
static void knot_put_terminal_back(void) {
    knot_write_all(knot_output_fd, knot_leave_sequence, knot_leave_length);
    (void)tcsetattr(knot_input_fd, TCSAFLUSH, &knot_saved_modes);
}

static void knot_on_ending_signal(int signal_number) {
    int saved_errno = errno;
    if (knot_active) {
        knot_active = 0;
        knot_put_terminal_back();
    }
    /* Put back what was there before us (the default action, or e.g. the Swift runtime's
       backtracer) and re-raise; the signal is blocked until this handler returns. */
    for (int i = 0; i < KNOT_ENDING_COUNT; i++) {
        if (knot_ending_signals[i] == signal_number && knot_installed_ending[i]) {
            (void)sigaction(signal_number, &knot_previous_ending[i], NULL);
            knot_installed_ending[i] = 0;
        }
    }
    (void)raise(signal_number);
    errno = saved_errno;
}

static void knot_on_resize_signal(int signal_number) {
    (void)signal_number;
    knot_resized = 1;
}

static void knot_on_stop_signal(int signal_number) {
    int saved_errno = errno;
    (void)signal_number;
    int was_active = knot_active;
    if (was_active) knot_put_terminal_back();

    struct sigaction default_action;
    memset(&default_action, 0, sizeof default_action);
    default_action.sa_handler = SIG_DFL;
    sigemptyset(&default_action.sa_mask);
    struct sigaction ours;
    (void)sigaction(SIGTSTP, &default_action, &ours);

    sigset_t stop_set;
    sigemptyset(&stop_set);
    sigaddset(&stop_set, SIGTSTP);
    (void)raise(SIGTSTP);                               /* pending: blocked in this handler */
    (void)sigprocmask(SIG_UNBLOCK, &stop_set, NULL);    /* delivered now: the process stops */
    /* ... resumed by SIGCONT (`fg`). */
    (void)sigprocmask(SIG_BLOCK, &stop_set, NULL);
    (void)sigaction(SIGTSTP, &ours, NULL);

    if (was_active && knot_active) {
        (void)tcsetattr(knot_input_fd, TCSAFLUSH, &knot_raw_modes);
        knot_write_all(knot_output_fd, knot_enter_sequence, knot_enter_length);
    }
    knot_resized = 1;
    errno = saved_errno;
}

/* ---- Installing and removing handlers ----------------------------------------------------- */

static void knot_handled_signal_set(sigset_t *set) {
    sigemptyset(set);
    for (int i = 0; i < KNOT_ENDING_COUNT; i++) sigaddset(set, knot_ending_signals[i]);
    sigaddset(set, SIGWINCH);
    sigaddset(set, SIGCONT);
    sigaddset(set, SIGTSTP);
}

static int knot_is_ignored(int signal_number) {
    struct sigaction current;
    if (sigaction(signal_number, NULL, &current) != 0) return 0;
    return current.sa_handler == SIG_IGN;
}

static void knot_install_handlers(void) {
    struct sigaction action;
    memset(&action, 0, sizeof action);
    knot_handled_signal_set(&action.sa_mask);
    action.sa_flags = SA_RESTART; /* poll(2) is interrupted regardless; other code keeps working */

    action.sa_handler = knot_on_ending_signal;
    for (int i = 0; i < KNOT_ENDING_COUNT; i++) {
        int number = knot_ending_signals[i];
        /* A signal ignored at start (nohup, a shell without job control) stays ignored. */
        if (knot_is_ignored(number)) { knot_installed_ending[i] = 0; continue; }
        knot_installed_ending[i] = sigaction(number, &action, &knot_previous_ending[i]) == 0;
    }

    action.sa_handler = knot_on_resize_signal;
    (void)sigaction(SIGWINCH, &action, &knot_previous_winch);
    (void)sigaction(SIGCONT, &action, &knot_previous_cont);

    knot_installed_tstp = 0;
    if (!knot_is_ignored(SIGTSTP)) {
        action.sa_handler = knot_on_stop_signal;
        knot_installed_tstp = sigaction(SIGTSTP, &action, &knot_previous_tstp) == 0;
    }
}

static void knot_remove_handlers(void) {
    for (int i = 0; i < KNOT_ENDING_COUNT; i++) {
        if (knot_installed_ending[i]) {
            (void)sigaction(knot_ending_signals[i], &knot_previous_ending[i], NULL);
            knot_installed_ending[i] = 0;
        }
    }
    (void)sigaction(SIGWINCH, &knot_previous_winch, NULL);
    (void)sigaction(SIGCONT, &knot_previous_cont, NULL);
    if (knot_installed_tstp) {
        (void)sigaction(SIGTSTP, &knot_previous_tstp, NULL);
        knot_installed_tstp = 0;
    }
}

static void knot_restore_at_exit(void) {
    (void)knot_term_restore();
}

/* ---- Public functions --------------------------------------------------------------------- */

int knot_term_isatty(int fd) {
    return isatty(fd) ? 1 : 0;
}

int knot_term_window_size(int fd, int *rows, int *columns) {
    struct winsize size;
    memset(&size, 0, sizeof size);
    if (ioctl(fd, TIOCGWINSZ, &size) != 0) return -1;
    if (size.ws_row == 0 || size.ws_col == 0) {
        errno = EINVAL;
        return -1;
    }
    *rows = size.ws_row;
    *columns = size.ws_col;
    return 0;
}

int knot_term_enter(int input_fd, int output_fd,
                    const char *enter_sequence, size_t enter_length,
                    const char *leave_sequence, size_t leave_length) {
    if (knot_active) { errno = EBUSY; return -1; }
    if (enter_length > KNOT_TERM_SEQUENCE_MAX || leave_length > KNOT_TERM_SEQUENCE_MAX) {
        errno = EINVAL;
        return -1;
    }
    struct termios modes;
    if (tcgetattr(input_fd, &modes) != 0) return -1;

    knot_saved_modes = modes;
    /* Raw mode as cfmakeraw, spelled out: no echo, no line editing, no signals from keys
       (Ctrl-C, Ctrl-Z, Ctrl-\ arrive as bytes), no CR/NL translation, 8-bit input. */
    modes.c_iflag &= ~(tcflag_t)(IGNBRK | BRKINT | PARMRK | ISTRIP | INLCR | IGNCR | ICRNL | IXON);
    modes.c_oflag &= ~(tcflag_t)OPOST;
    modes.c_lflag &= ~(tcflag_t)(ECHO | ECHONL | ICANON | ISIG | IEXTEN);
    modes.c_cflag &= ~(tcflag_t)(CSIZE | PARENB);
    modes.c_cflag |= CS8;
    modes.c_cc[VMIN] = 1;
    modes.c_cc[VTIME] = 0;
    knot_raw_modes = modes;

    memcpy(knot_enter_sequence, enter_sequence, enter_length);
    knot_enter_length = enter_length;
    memcpy(knot_leave_sequence, leave_sequence, leave_length);
    knot_leave_length = leave_length;
    knot_input_fd = input_fd;
    knot_output_fd = output_fd;

    if (!knot_atexit_registered) {
        knot_atexit_registered = atexit(knot_restore_at_exit) == 0;
    }
    knot_install_handlers();
    knot_resized = 0;
    knot_active = 1; /* from here on every handler restores */

    /* A signal mask is inherited through fork and exec: a process started from a thread that
       blocks signals (a launcher's worker thread, a test runner) would hold SIGHUP and SIGTERM
       pending for ever, its terminal hung up and the process never ending. The signals this
       front end handles are delivered to it while the screen is ours. */
    sigset_t handled, entry_mask;
    knot_handled_signal_set(&handled);
    sigemptyset(&knot_blocked_at_entry);
    if (pthread_sigmask(SIG_UNBLOCK, &handled, &entry_mask) == 0) {
        for (int number = 1; number < NSIG; number++) {
            if (sigismember(&handled, number) == 1 && sigismember(&entry_mask, number) == 1) sigaddset(&knot_blocked_at_entry, number);
        }
    }

    if (tcsetattr(input_fd, TCSAFLUSH, &knot_raw_modes) != 0) {
        int saved_errno = errno;
        knot_active = 0;
        knot_remove_handlers();
        (void)pthread_sigmask(SIG_BLOCK, &knot_blocked_at_entry, NULL);
        errno = saved_errno;
        return -1;
    }
    knot_write_all(output_fd, knot_enter_sequence, knot_enter_length);
    return 0;
}

int knot_term_restore(void) {
    if (!knot_active) return 0;
    /* Block our signals so that none lands between "not active" and "modes back". A signal
       that arrives meanwhile is delivered on unblock, to the previous action. */
    sigset_t handled, previous_mask;
    knot_handled_signal_set(&handled);
    (void)sigprocmask(SIG_BLOCK, &handled, &previous_mask);

    knot_active = 0;
    knot_write_all(knot_output_fd, knot_leave_sequence, knot_leave_length);
    int result = 0;
    int saved_errno = 0;
    while ((result = tcsetattr(knot_input_fd, TCSADRAIN, &knot_saved_modes)) != 0 && errno == EINTR) {}
    if (result != 0) saved_errno = errno;
    knot_remove_handlers();

    (void)sigprocmask(SIG_SETMASK, &previous_mask, NULL);
    (void)pthread_sigmask(SIG_BLOCK, &knot_blocked_at_entry, NULL); /* as the process was started */
    if (result != 0) errno = saved_errno;
    return result;
}

int knot_term_is_active(void) {
    return knot_active ? 1 : 0;
}

int knot_term_take_resized(void) {
    if (!knot_resized) return 0;
    knot_resized = 0;
    return 1;
}

int knot_term_suspend(void) {
    if (!knot_active || !knot_installed_tstp) {
        errno = ENOTSUP;
        return -1;
    }
    (void)raise(SIGTSTP); /* runs knot_on_stop_signal, returns after `fg` */
    return 0;
}

/* ---- Character width ---------------------------------------------------------------------- */

static pthread_once_t knot_width_once = PTHREAD_ONCE_INIT;
static locale_t knot_width_locale = (locale_t)0;

static void knot_make_width_locale(void) {
    static const char *const names[] = { "C.UTF-8", "C.utf8", "en_US.UTF-8", "UTF-8", "" };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        locale_t candidate = newlocale(LC_CTYPE_MASK, names[i], (locale_t)0);
        if (candidate == (locale_t)0) continue;
        /* Accept it only if it really is a UTF-8 locale that knows East Asian widths. */
        locale_t previous = uselocale(candidate);
        int looks_right = wcwidth((wchar_t)0x4E2D) == 2 && wcwidth((wchar_t)0x0301) == 0;
        uselocale(previous);
        if (looks_right) {
            knot_width_locale = candidate;
            return;
        }
        freelocale(candidate);
    }
}

int knot_term_wcwidth(uint32_t scalar) {
    (void)pthread_once(&knot_width_once, knot_make_width_locale);
    if (knot_width_locale == (locale_t)0) return -2;
    locale_t previous = uselocale(knot_width_locale);
    int width = wcwidth((wchar_t)scalar);
    uselocale(previous);
    return width;
}
