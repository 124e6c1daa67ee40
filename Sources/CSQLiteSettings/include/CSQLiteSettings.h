/*
 * CSQLiteSettings: the one process-wide SQLite setting Knot makes, in C because Swift cannot
 * call `sqlite3_config` (it is variadic). Only ClinicStore imports this module.
 */
#ifndef KNOT_CSQLITESETTINGS_H
#define KNOT_CSQLITESETTINGS_H

/* Switches off SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS), process-wide. With them on
   (Debian's build), every allocation and free SQLite makes takes a global mutex to count bytes
   Knot never reads. Must run before SQLite is initialised (before the first connection opens).
   Returns SQLite's result code: SQLITE_OK (0), or SQLITE_MISUSE (21) when SQLite was already
   initialised in this process, in which case nothing changed. */
int knot_sqlite_memory_statistics_off(void);

#endif
