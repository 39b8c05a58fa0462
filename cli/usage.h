#pragma once
// Usage errors of the command line itself (not diagnostics): the one `error: ` prefix
// every line the CLI prints about a failure starts with, and CLI11's parse errors
// reported in that form, with "did you mean `--out`?" for an unknown option.
#include <CLI/CLI.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace seg::cli {

// The prefix of every error line `seg` prints itself (diagnostics keep `error[SEGxxx]`).
inline constexpr std::string_view kErrorPrefix = "error: ";

// The closest of `candidates` (long option names with their dashes, `--out`) to an
// unknown `--name`: by edit distance, else one that is a prefix of the other (`--outdir`
// → `--out`). Empty when nothing is close.
std::string closest_option(const std::string& given, const std::vector<std::string>& candidates);

// Prints a CLI11 parse error of `seg ARGS…` on stderr and returns the exit code: help and
// --version as CLI11 prints them (0); an unknown `--option` of the chosen verb as
// `error: unknown option `--x` for `seg VERB`; did you mean `--y`?`; any other error
// as `error: <CLI11's message>` (2 for all of them).
int report_parse_error(const CLI::App& app, const CLI::ParseError& e, int argc, char** argv);

}  // namespace seg::cli
