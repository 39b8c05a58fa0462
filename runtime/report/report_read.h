#pragma once
// The steps of `load_report()` (report.h), each its own file: where the out folder is
// and summary.json + drift.ndjson (read_out.cpp), the op files (ops_history.cpp).
#include <string>

#include "runtime/report/report.h"

namespace seg::rt::report {

Status resolve_out(const std::string& out_dir, const std::string& state_dir, Report& r,
                   std::string& error);
Status read_out_files(Report& r, std::string& error);
// Every destination's op file: sizes over time, ops per day, and the span and step.
Status read_ops(Report& r, std::string& error);

}  // namespace seg::rt::report
