/**
 * Preloaded (`--import`) into processes the launcher forks, such as Azurite: when the launcher's IPC
 * channel closes, because it exited or was killed, the child exits too instead of lingering.
 */
process.on('disconnect', () => process.exit(0));
