fn main() -> std::process::ExitCode {
    clausebook::cli::run()
}
