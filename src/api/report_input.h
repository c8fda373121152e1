// read_report_input: the fields of a report (category, description, when,
// what was involved, language, contact or anonymity, consent) checked one by
// one, each error naming its field. Pure, so it is unit-tested and fuzzed.
#pragma once

#include <boost/json.hpp>

#include "model/report.h"
#include "util/result.h"

namespace jaga::api {

Result<ReportInput> read_report_input(const boost::json::object& fields);

}  // namespace jaga::api
