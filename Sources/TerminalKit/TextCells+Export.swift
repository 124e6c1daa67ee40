// Display width and the terminal-safe text function live in TextCells, one of each for every
// module (the plain-text plan measures with them too); TerminalKit's users see them as before.
@_exported import TextCells
