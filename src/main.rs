fn main() -> std::process::ExitCode {
    // Rust starts programs with SIGPIPE ignored, so a write to a closed pipe fails with EPIPE
    // and every `println!`/`eprintln!` (ours, clap's, codespan's, the progress bar's) panics:
    // `clausebook check 2>&1 | head -1` ended in exit 101. Restoring the default action ends
    // the process quietly the way every Unix tool ends (the shell reports 141), wherever the
    // write happens, without threading a BrokenPipe check through each print. The preview
    // server's sockets are unaffected: std sends on them with MSG_NOSIGNAL (SO_NOSIGPIPE on
    // macOS), so a browser closing a connection is still an ordinary error.
    #[cfg(unix)]
    // SAFETY: called first thing in main, before any thread exists; SIG_DFL is a valid action.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    clausebook::cli::run()
}
