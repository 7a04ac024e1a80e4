fn main() -> std::process::ExitCode {
    wenji::cli::main()
}
